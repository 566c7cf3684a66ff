"""In Hindi, no list or record page shows a stored code where its words belong: a bill's
"part_paid", a gender's "M", a relation's "SO", a payment's "cash", a route's "IV"...

The codes come from the app itself: every code → label table (a dict of translated labels)
of every module. Every generated list and show page is rendered in Hindi with rows of every
model present, and a table cell that reads exactly as one of those codes fails the test,
naming the page and the code. A code whose Hindi label is the code itself (SpO2) is not
counted."""
import re
import sys
from collections import defaultdict

import pytest
from flask_appbuilder import ModelView
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from tests.integration.core.test_authorization_generated import _make_rows

# Role and permission names are FAB's keys, and also words staff are named by (the demo's
# "Cashier DHR", a designation "Pathologist"): the role list shows them in words (tested
# below), and FAB's permission catalogue (Admin only) lists them as they are.
NOT_CODES = {"ROLE_LABELS", "RESOURCES"}
INTERNAL_VIEWS = {"PermissionViewListView", "ViewMenuListView", "PermissionModelView"}
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
TAG = re.compile(r"<[^>]+>")


def _code_tables() -> dict[str, set[str]]:
    """{code: the tables (module.name) it is a key of} for every code → label dict."""
    codes = defaultdict(set)
    for name, module in list(sys.modules.items()):
        if not name.startswith("app.") or module is None:
            continue
        for attr, value in vars(module).items():
            if not (isinstance(value, dict) and len(value) >= 2 and attr.isupper()) \
                    or attr in NOT_CODES or attr.endswith("HEADINGS") or "facility" in value:
                continue  # column headings and field labels are words, not codes
            if not all(isinstance(k, str) and isinstance(v, LazyString) for k, v in value.items()):
                continue
            with force_locale("hi"):
                for code, label in value.items():
                    if code and str(label) != code:
                        codes[code].add(f"{name}.{attr}")
    return codes


def _cells(html: str) -> list[str]:
    return [" ".join(TAG.sub(" ", c).split()) for c in CELL.findall(html)]


@pytest.fixture(scope="module")
def rows(app):
    with app.app_context():
        return _make_rows("DHR")


def test_no_page_shows_a_code_in_hindi(app, as_user, rows):
    with app.app_context():
        codes = _code_tables()
        views = [v for v in app.appbuilder.baseviews if isinstance(v, ModelView)
                 and "list" in (v.include_route_methods or {"list"})
                 and type(v).__name__ not in INTERNAL_VIEWS]
        models = {model: pk for model, pk in rows.items()}
    assert {"part_paid", "M", "SO", "cash", "recovered"} <= set(codes)  # the scan sees them
    admin = as_user("admin", lang="hi")
    found = defaultdict(set)
    for view in views:
        base = view.route_base
        pages = [f"{base}/list/?psize_{view.__class__.__name__.lower()}=100"]
        pk = models.get(view.datamodel.obj)
        if pk is not None and "show" in (view.include_route_methods or {"show"}):
            pages.append(f"{base}/show/{pk}")
        for page in pages:
            resp = admin.get(page)
            assert resp.status_code == 200, page
            for cell in _cells(resp.get_data(as_text=True)):
                if cell in codes:
                    found[f"{view.__class__.__name__} {page.split('?')[0]}"].add(cell)
    assert not found, "\n".join(f"{page}: {sorted(cells)}" for page, cells in
                                sorted(found.items()))


def test_role_names_read_in_hindi(as_user):
    page = as_user("admin", lang="hi").get("/roles/list/").get_data(as_text=True)
    cells = _cells(page)
    assert "Registration Clerk" not in cells and "पंजीकरण लिपिक" in page


def test_the_audit_log_reads_in_words(as_user, rows):
    page = as_user("admin", lang="hi").get("/auditlogview/list/").get_data(as_text=True)
    cells = _cells(page)
    assert "बनाया गया" in cells and "insert" not in cells   # the action
    assert "मरीज़" in cells or "रोगी" in cells or "Patient" not in cells  # the table
