"""Menus fit the role: every entry a user's menu shows opens for them (no 403), and the
screens a role may not use are not offered (a lab technician is not shown the
registration desk, an auditor neither the merge nor the cash counter)."""
import re

import pytest

from app.core import roles as R

LINK = re.compile(r'<li>\s*<a[^>]+href="(/[^"#]*)"', re.S)
USERS = {R.CLERK: "clerk.dhr", R.DOCTOR: "doctor.dhr", R.NURSE: "nurse.dhr",
         R.LAB_TECH: "labtech.dhr", R.PATHOLOGIST: "pathologist.dhr",
         R.CASHIER: "cashier.dhr", R.SUPERVISOR: "supervisor.dhr", R.AUDITOR: "auditor",
         R.ADMIN: "admin"}


def _menu_links(page: str) -> set[str]:
    menu = page.split('class="navbar-collapse')[1].split("</nav>")[0] \
        if 'class="navbar-collapse' in page else page
    return {href for href in LINK.findall(menu) if not href.startswith(("/lang/", "/logout"))}


@pytest.mark.parametrize("role", sorted(USERS))
def test_every_menu_entry_opens_for_the_role(as_user, role):
    client = as_user(USERS[role])
    links = _menu_links(client.get("/").get_data(as_text=True))
    assert links, "no menu at all"
    refused = {href: client.get(href).status_code for href in sorted(links)}
    assert not {h: s for h, s in refused.items() if s in (401, 403, 404, 405, 500)}, refused


def test_screens_a_role_cannot_use_are_not_offered(as_user):
    lab = _menu_links(as_user("labtech.dhr").get("/").get_data(as_text=True))
    assert "/desk/" not in lab and not any(h.startswith("/lab/order") for h in lab)
    auditor = _menu_links(as_user("auditor").get("/").get_data(as_text=True))
    assert not {"/desk/", "/cash/", "/patients/merge/"} & auditor
