"""In Hindi, a doctor orders a medicine on the admission's page, the nurse gives its dose
on the ward's medicine round, the doctor records a diagnosis (ICD-10 suggested as typed),
confirms it final, drafts and signs the discharge summary, and prints it: the PDF says
both languages' headings and carries the diagnosis and the medicine to take home."""
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app.core.formatting import IST
from app.core.models import Facility, utcnow
from app.extensions import db
from app.ipd import services as ipd
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_medicines_given_and_the_summary_signed_in_hindi(app, live_server, page, output_dir,
                                                        new_patient, new_ward, medicine):
    bed, = new_ward(beds=1)
    pid = new_patient(name="सुरेश कुमार", gender="M")
    with app.app_context():
        facility = db.session.query(Facility).filter_by(code="DHR").one()
        admission = ipd.admit(facility, pid, {"department": medicine(), "bed": bed}, None,
                              now=utcnow() - timedelta(days=2))
        admission_id, ward_id = admission.id, admission.bed.ward_id
    url = f"{live_server}/ipd/admission/{admission_id}"

    browser_login(page, live_server, "doctor.dhr", "hi")
    page.goto(url)
    page.fill("#m-drug_name", "Paracetamol 500 mg tablet")
    page.fill("#m-dose", "1 गोली")
    page.fill("#m-frequency", "Q1H")  # every hour: a dose is due whenever the test runs
    page.fill("#m-start_at", (utcnow() - timedelta(hours=3)).astimezone(IST)
              .strftime("%d-%m-%Y %H:%M"))
    page.click("form.hmis-medication button[type=submit]")
    page.wait_for_url(re.compile(rf".*/ipd/admission/{admission_id}#medicines$"))
    assert "दवा का ऑर्डर हो गया" in page.locator(".alert").inner_text()
    assert "मुँह से" in page.locator("table.hmis-orders").inner_text()

    browser_login(page, live_server, "nurse.dhr", "hi")
    page.goto(f"{live_server}/ipd/mar/?ward={ward_id}")  # (other tests' wards give too)
    row = page.locator("table.hmis-round tr", has_text="सुरेश कुमार").first
    row.locator("select").select_option("given")
    page.click("form.hmis-round-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/ipd/mar/\?ward=\d+$"))
    assert "खुराकें दर्ज हो गईं" in page.locator(".alert").inner_text()
    page.screenshot(path=str(output_dir / "medicine-round-hi.png"), full_page=True)
    page.goto(url)
    assert "दी गई" in page.locator("table.hmis-orders").inner_text()

    browser_login(page, live_server, "doctor.dhr", "hi")
    page.goto(url)
    page.locator("form.hmis-diagnosis input.hmis-icd").type("typhoid", delay=30)
    page.wait_for_selector("#icd10-options option", state="attached")
    page.fill("form.hmis-diagnosis input.hmis-icd", "A01.0 Typhoid fever")
    page.click("form.hmis-diagnosis button[type=submit]")
    page.wait_for_url(re.compile(rf".*/ipd/admission/{admission_id}#diagnoses$"))
    page.click("form[action*='/confirm'] button")
    page.wait_for_url(re.compile(r".*#diagnoses$"))
    assert "अंतिम" in page.locator("table.hmis-diagnoses").inner_text()

    page.click(f"a[href$='/ipd/summary/{admission_id}']")
    assert page.input_value("input[name=rx_drug_1]") == "Paracetamol 500 mg tablet"
    page.fill("#s-course", "टाइफाइड बुखार; IV एंटीबायोटिक से तीसरे दिन बुखार उतरा")
    page.fill("#s-condition", "बुखार नहीं, ठीक से खा रहे हैं")
    page.fill("#s-advice", "उबला हुआ पानी पिएँ, दवा का पूरा कोर्स लें")
    page.click("button[value=sign]")
    page.wait_for_url(re.compile(rf".*/ipd/summary/{admission_id}$"))
    assert "हस्ताक्षर हो गए" in page.locator(".alert").inner_text()
    page.screenshot(path=str(output_dir / "discharge-summary-hi.png"), full_page=True)

    pdf = page.request.get(f"{live_server}/print/discharge-summary/{admission_id}")
    assert pdf.headers["content-type"] == "application/pdf"
    (output_dir / "discharge-summary.pdf").write_bytes(pdf.body())
    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert "DISCHARGE SUMMARY" in text and "A01.0" in text and "Paracetamol" in text
