"""A new supervisor in Hindi and a new auditor in English find a patient's timeline from
the Audit menu and from the patient's page, read it in order and follow a line to its
record."""
import re

import pytest
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import select

from app.core.models import Facility
from app.extensions import db
from app.ipd import services as ipd
from tests.conftest import browser_login, person

pytestmark = pytest.mark.browser


def _lines(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("table.hmis-timeline tr").all_inner_texts()]


def test_supervisor_and_auditor_follow_a_patients_timeline(app, api, live_server, page,
                                                           output_dir, make_user,
                                                           new_department, new_ward,
                                                           medicine):
    clerk = api("clerk.dhr")
    created = clerk("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()
    pk, uhid = created["id"], created["result"]["uhid"]
    visit = clerk("POST", "/api/v1/opd_visit/", json={"patient": pk,
                                                      "department": new_department()})
    visit_id = visit.get_json()["id"]
    bed, = new_ward(beds=1)
    with app.app_context():
        dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        nurse = db.session.execute(select(User.id).where(User.username == "nurse.dhr")).scalar()
        ipd.admit(dhr, pk, {"department": medicine(), "bed": bed}, nurse)

    browser_login(page, live_server, make_user("Supervisor", "DHR"), "hi")
    page.click(".navbar a.dropdown-toggle:has-text('ऑडिट')")
    page.click(".navbar a[href='/audit/timeline/']")
    page.fill("input[name=patient]", uhid)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/audit/timeline/\?patient="))
    lines = _lines(page)
    assert f"पंजीकरण हुआ, UHID {uhid}" in lines[1] and "clerk.dhr" in lines[1]
    assert "ओपीडी विज़िट" in lines[2] and "भर्ती" in lines[3] and "nurse.dhr" in lines[3]
    page.screenshot(path=str(output_dir / "timeline-hi.png"), full_page=True)
    page.click(f"table.hmis-timeline a[href='/opdvisitview/show/{visit_id}']")
    page.wait_for_url(re.compile(rf".*/opdvisitview/show/{visit_id}$"))

    browser_login(page, live_server, make_user("Auditor", None), "en")
    page.goto(f"{live_server}/patientview/show/{pk}")
    page.click("a.hmis-timeline-link")
    page.wait_for_url(re.compile(rf".*/audit/timeline/\?patient_id={pk}$"))
    lines = _lines(page)
    assert f"Registered, UHID {uhid}" in lines[1]
    assert "Record opened: patient's details" in lines[-1]             # the auditor, just now
    assert "Record opened: timeline" in lines[-2]                       # the supervisor
    page.select_option("select[name=order]", "newest")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*order=newest"))
    assert "Record opened: timeline" in _lines(page)[1]   # the supervisor's, then this one
    page.screenshot(path=str(output_dir / "timeline-en.png"), full_page=True)
