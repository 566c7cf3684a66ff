"""A death certified by a doctor as the MCCD (Form 4) asks ends the stay, prints as the
certificate, and records to whom the body was handed; an MLC admission carries its police
details into the MLC register. Bad input names its field and saves nothing."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.core.formatting import IST
from app.core.models import utcnow
from app.extensions import db
from app.ipd.models import Admission, Bed, DeathRecord, MedicoLegalCase
from tests.conftest import denied


def _local(value) -> str:
    return value.astimezone(IST).strftime("%d-%m-%Y %H:%M")


def _death(app, admission_id):
    with app.app_context():
        return db.session.execute(select(DeathRecord).where(
            DeathRecord.admission_id == admission_id)).scalar_one_or_none()


def _form(**over):
    return {"died_at": _local(utcnow() - timedelta(hours=1)), "manner": "natural",
            "cause_a": "Septic shock", "interval_a": "6 hours",
            "cause_b": "Lobar pneumonia", "interval_b": "4 days",
            "underlying": "J18.1 Lobar pneumonia, unspecified",
            "other_conditions": "Type 2 diabetes", **over}


def test_a_doctor_certifies_a_death_which_ends_the_stay_and_prints(app, as_user, admitted):
    admission_id = admitted(days_ago=2)
    doctor, nurse = as_user("doctor.dhr"), as_user("nurse.dhr")
    assert denied(nurse.post(f"/ipd/legal/{admission_id}/death", data=_form()))
    resp = doctor.post(f"/ipd/legal/{admission_id}/death", data=_form())
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#legal")
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        assert (admission.status, admission.discharge_type, admission.discharge_note) == \
            ("discharged", "death", "Septic shock")
        assert db.session.get(Bed, admission.bed_id).state == "cleaning"
        assert admission.account.closed_at is not None  # the final bill may be made
    record = _death(app, admission_id)
    assert record.underlying_icd10_id is not None and record.manner == "natural"
    # The body handed over: to whom and their relation, once.
    resp = doctor.post(f"/ipd/legal/{admission_id}/handover", data={"handed_over_to": ""})
    assert resp.status_code == 422 and "to whom the body" in resp.get_data(as_text=True)
    assert doctor.post(f"/ipd/legal/{admission_id}/handover", data={
        "handed_over_to": "Sita Devi", "handed_over_relation": "Wife"}).status_code == 302
    resp = doctor.post(f"/ipd/legal/{admission_id}/handover", data={
        "handed_over_to": "Someone", "handed_over_relation": "Son"})
    assert resp.status_code == 422 and "already handed over" in resp.get_data(as_text=True)
    pdf = nurse.get(f"/print/death-certificate/{admission_id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    for words in ("MEDICAL CERTIFICATE OF CAUSE OF DEATH", "Form No. 4", "Septic shock",
                  "Lobar pneumonia", "J18.1", "Type 2 diabetes", "Sita Devi"):
        assert words in text, words
    page = as_user("nurse.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    assert "प्राकृतिक" in page.get_data(as_text=True)  # the manner, in Hindi


@pytest.mark.parametrize("over, field, message", [
    ({"died_at": ""}, "died_at", "date and time of death"),
    ({"died_at": "01-01-2020 10:00"}, "died_at", "between the admission and now"),
    ({"cause_a": ""}, "cause_a", "immediate cause"),
    ({"underlying": "fever"}, "underlying", "ICD-10 code of the underlying cause"),
    ({"manner": "unknown"}, "manner", "manner of death"),
    ({"interval_a": "x" * 41}, "interval_a", "at most 40"),
])
def test_a_death_without_its_time_or_cause_is_refused(app, as_user, admitted, over, field,
                                                       message):
    admission_id = admitted(days_ago=1)
    resp = as_user("doctor.dhr").post(f"/ipd/legal/{admission_id}/death", data=_form(**over))
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _death(app, admission_id) is None
    with app.app_context():
        assert db.session.get(Admission, admission_id).status == "admitted"


def test_a_future_death_and_a_plain_discharge_as_death_are_refused(app, as_user, admitted):
    admission_id = admitted(days_ago=1)
    doctor = as_user("doctor.dhr")
    resp = doctor.post(f"/ipd/legal/{admission_id}/death",
                       data=_form(died_at=_local(utcnow() + timedelta(hours=2))))
    assert resp.status_code == 422 and _death(app, admission_id) is None
    resp = doctor.post(f"/ipd/admission/{admission_id}/discharge",
                       data={"discharge_type": "death", "discharge_note": "Cardiac arrest"})
    assert resp.status_code == 422 and "its own form" in resp.get_data(as_text=True)


def test_mlc_details_fill_the_register(app, as_user, admitted):
    admission_id = admitted(name="Injured Person")
    doctor = as_user("doctor.dhr")
    resp = doctor.post(f"/ipd/legal/{admission_id}/mlc", data={"brought_by": "Police"})
    assert resp.status_code == 422 and "police station" in resp.get_data(as_text=True)
    resp = doctor.post(f"/ipd/legal/{admission_id}/mlc", data={
        "police_station": "PS Kotwali Dharamshala", "gd_entry": "GD 17/2026",
        "police_informed_at": _local(utcnow()), "brought_by": "HC Ram Singh, PS Kotwali",
        "injuries": "Lacerated wound 4 x 1 cm over left forehead"})
    assert resp.status_code == 302
    with app.app_context():
        case = db.session.execute(select(MedicoLegalCase).where(
            MedicoLegalCase.admission_id == admission_id)).scalar_one()
        assert case.gd_entry == "GD 17/2026" and db.session.get(Admission, admission_id).mlc
    # Brought up to date as the police's details arrive: one case, changed.
    doctor.post(f"/ipd/legal/{admission_id}/mlc", data={
        "police_station": "PS Kotwali Dharamshala", "gd_entry": "GD 18/2026",
        "brought_by": "HC Ram Singh, PS Kotwali"})
    register = as_user("supervisor.dhr").get("/mlcregisterview/list/")
    text = register.get_data(as_text=True)
    assert register.status_code == 200 and "GD 18/2026" in text and "GD 17/2026" not in text
    other = admitted("RNC")
    assert doctor.post(f"/ipd/legal/{other}/mlc", data={
        "police_station": "x", "brought_by": "y"}).status_code == 404
