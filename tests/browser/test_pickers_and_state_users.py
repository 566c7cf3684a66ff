"""In the browser: a supervisor filters OPD visits by patient with the type-ahead (Hindi,
typing Latin letters finds a Devanagari name; another facility's patient never shows);
the state admin chooses the facility to look at before the desk opens."""
import uuid

import pytest

from tests.conftest import browser_login, person

pytestmark = pytest.mark.browser


def _visit(api, new_department, code, name):
    call = api(f"clerk.{code.lower()}")
    pid = call("POST", "/api/v1/patient/", json=person(name=name, confirm_new=True)).get_json()["id"]
    resp = call("POST", "/api/v1/opd_visit/", json={"patient": pid,
                                                    "department": new_department(code)})
    assert resp.status_code == 201
    return pid


def test_patient_filter_is_a_scoped_type_ahead(live_server, page, output_dir, api,
                                               new_department, make_user):
    tag = uuid.uuid4().hex[:4]
    _visit(api, new_department, "DHR", f"सावित्री देवी {tag}")
    _visit(api, new_department, "RNC", f"Savitri Devi {tag}")  # Ranchi's: never offered
    browser_login(page, live_server, make_user("Supervisor", "DHR"), "hi")
    page.goto(f"{live_server}/opdvisitview/list/")
    page.click("#accordion1 a.accordion-toggle")
    page.click("#filter_form .dropdown-toggle")
    page.click("a.filter[name=patient]")
    page.locator(".filters .select2-selection").last.click()
    page.fill(".select2-container--open .select2-search__field", f"savitri devi {tag}")
    option = page.locator(".select2-results__option", has_text=tag)
    option.first.wait_for()
    offered = page.locator(".select2-results__option").all_inner_texts()
    assert len(offered) == 1 and f"सावित्री देवी {tag}" in offered[0]
    page.screenshot(path=str(output_dir / "patient-type-ahead-hi.png"), full_page=True)
    option.first.click()
    page.click("#filter_form button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("table").last.locator("tbody tr").all_inner_texts()
    assert len(rows) == 1 and f"सावित्री देवी {tag}" in rows[0]


def test_state_admin_chooses_a_facility_before_the_desk(live_server, page, output_dir):
    browser_login(page, live_server, "admin", "hi")
    page.goto(f"{live_server}/desk/")
    assert "/facility/choose" in page.url
    assert "देखी जाने वाली स्वास्थ्य संस्था" in page.locator("body").inner_text()
    page.screenshot(path=str(output_dir / "choose-facility-hi.png"), full_page=True)
    page.locator("tr", has_text="RNC").locator("button").click()
    page.wait_for_url(f"{live_server}/desk/")
    assert "RNC" in page.locator("body").inner_text()
