"""A ward nurse working in Hindi charts two sets of vitals from the keyboard on the
admission's page (Tab between the fields, Enter saves): the second, of a patient getting
worse, scores high on NEWS2; the chart and the table show both and the bed board flags
the bed. She writes her shift note; the doctor, in Hindi too, writes the round."""
import re

import pytest

from app.core.models import Facility
from app.extensions import db
from app.ipd import services as ipd
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_nurse_charts_vitals_and_the_board_flags_the_bed(app, live_server, page, output_dir,
                                                         new_patient, new_ward, medicine):
    bed, = new_ward(beds=1)
    pid = new_patient(name="रामेश्वर महतो", gender="M")
    with app.app_context():
        facility = db.session.query(Facility).filter_by(code="DHR").one()
        admission_id = ipd.admit(facility, pid, {"department": medicine(), "bed": bed},
                                 None).id

    browser_login(page, live_server, "nurse.dhr", "hi")
    for values in (("98.4", "78", "16", "124", "80", "98"),
                   ("102.6", "126", "26", "96", "60", "93")):
        page.goto(f"{live_server}/ipd/admission/{admission_id}")
        page.focus("#v-temperature_f")
        for n, value in enumerate(values):  # temperature, pulse, RR, BP, SpO2: Tab between
            page.keyboard.type(value)
            if n < len(values) - 1:
                page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf".*/ipd/admission/{admission_id}#vitals$"))
        assert "वाइटल्स सहेजे गए" in page.locator(".alert").inner_text()
    table = page.locator("table.hmis-vital-table").inner_text()
    assert "126" in table and "11 · अधिक" in table and "0 · कम" in table
    assert page.locator(".hmis-vital-charts svg").count() == 5
    page.screenshot(path=str(output_dir / "admission-vitals-hi.png"), full_page=True)

    # Her shift note, then the doctor's round.
    page.select_option("#n-shift", "night")
    page.fill("#n-text", "रात 2 बजे बुखार 102.6, डॉक्टर को बताया; पैरासिटामोल दी")
    page.click("form.hmis-note button[type=submit]")
    page.wait_for_url(re.compile(rf".*/ipd/admission/{admission_id}#notes$"))
    browser_login(page, live_server, "doctor.dhr", "hi")
    page.goto(f"{live_server}/ipd/admission/{admission_id}")
    page.fill("#n-assessment", "संदिग्ध सेप्सिस")
    page.fill("#n-plan", "ब्लड कल्चर, CBC; IV एंटीबायोटिक")
    page.click("form.hmis-note button[type=submit]")
    page.wait_for_url(re.compile(rf".*/ipd/admission/{admission_id}#notes$"))
    shown = page.locator(".hmis-note-shown").all_inner_texts()
    assert "डॉक्टर का राउंड" in shown[0] and "संदिग्ध सेप्सिस" in shown[0]
    assert "रात की शिफ्ट" in shown[1] and "पैरासिटामोल" in shown[1]
    page.screenshot(path=str(output_dir / "admission-notes-hi.png"), full_page=True)

    page.goto(f"{live_server}/ipd/")
    assert page.locator(".hmis-bed", has_text="रामेश्वर महतो").locator(".hmis-news2").inner_text() \
        == "NEWS2 11"
    page.screenshot(path=str(output_dir / "bed-board-hi.png"), full_page=True)


def test_admitting_enter_takes_the_first_found_patient(app, live_server, page, new_patient,
                                                       new_ward):
    bed, = new_ward(beds=1)
    pid = new_patient(name="सुखदेव राणा", gender="M")
    with app.app_context():
        from app.registration.models import Patient
        uhid = db.session.get(Patient, pid).uhid
    browser_login(page, live_server, "nurse.dhr", "hi")
    page.goto(f"{live_server}/ipd/admit?bed={bed}&q={uhid}")
    page.wait_for_function("document.activeElement && document.activeElement.classList"
                           ".contains('btn-success')")
    page.keyboard.press("Enter")                 # the first result's "Admit", as at the desk
    page.wait_for_url(re.compile(rf".*/ipd/admit\?patient={pid}.*"))
    assert page.input_value("select#bed") == str(bed)   # the clicked bed is kept
