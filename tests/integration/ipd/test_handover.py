"""The shift handover: each patient of the ward by bed, with the standing diagnosis, the
latest vitals and NEWS2, the doses overdue and due, and the lab tests still awaited; on
screen and printed."""
import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from app.core.models import Facility, utcnow
from app.extensions import db
from app.ipd import medication, summary, vitals
from app.ipd.models import Admission, Bed
from app.lab import services as lab
from app.lab.models import LabTest


def test_the_handover_sheet_lists_each_patient_with_what_the_next_shift_needs(
        app, as_user, admitted):
    admission_id = admitted(name="Handover Patient", days_ago=1)
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User
        admission = db.session.get(Admission, admission_id)
        doctor = db.session.execute(select(User).where(User.username == "doctor.dhr")).scalar()
        summary.add_diagnosis(admission, {"diagnosis": "A01.0", "kind": "final"}, doctor)
        vitals.record(db.session.get(Admission, admission_id), {
            "temperature_f": "101.2", "pulse": "112", "resp_rate": "22", "bp_systolic": "100",
            "bp_diastolic": "64", "spo2": "95", "consciousness": "A"}, None,
            now=utcnow() - timedelta(hours=1))
        medication.order(db.session.get(Admission, admission_id), {
            "drug_name": "Inj. Ceftriaxone 1 g", "dose": "1 g", "route": "IV",
            "frequency": "Q1H", "start_at": utcnow() - timedelta(hours=5)}, None)
        dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        cbc = db.session.execute(select(LabTest.id).where(
            LabTest.facility_id == dhr.id, LabTest.code == "CBC")).scalar()
        lab.place_order(dhr, admission.patient_id, {"tests": [cbc], "admission": admission_id},
                        None)
        ward_id = db.session.get(Bed, admission.bed_id).ward_id
    nurse = as_user("nurse.dhr")
    page = nurse.get(f"/ipd/handover/?ward={ward_id}").get_data(as_text=True)
    for words in ("Handover Patient", "A01.0", "NEWS2", "Inj. Ceftriaxone 1 g", "CBC",
                  "To collect"):
        assert words in page, words
    assert " !</strong>" in page  # the doses of the last hours are overdue
    hindi = as_user("nurse.dhr", lang="hi").get(f"/ipd/handover/?ward={ward_id}")
    assert "शिफ्ट हैंडओवर" in hindi.get_data(as_text=True)
    pdf = nurse.get(f"/print/handover?ward={ward_id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "SHIFT HANDOVER" in text and "Handover Patient" in text and "A01.0" in text
    # Another facility's ward is not offered: asked for, the sheet is one of ours.
    other = admitted("RNC", name="Other Facility Patient")
    with app.app_context():
        theirs = db.session.get(Bed, db.session.get(Admission, other).bed_id).ward_id
    for path in (f"/ipd/handover/?ward={theirs}", f"/print/handover?ward={theirs}"):
        resp = nurse.get(path)
        shown = resp.get_data(as_text=True) if resp.mimetype == "text/html" else \
            PdfReader(io.BytesIO(resp.data)).pages[0].extract_text()
        assert resp.status_code == 200 and "Other Facility Patient" not in shown
