"""The stay's diagnoses and its discharge summary: a doctor records ICD-10 diagnoses
(provisional, confirmed final, ruled out with a reason), drafts the summary from the
record, signs it (not without a final diagnosis and the condition at discharge), amends it
only with a reason as the next version, and it prints on A4 with both languages'
headings; the API reads and writes the same summary."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.core.models import utcnow
from app.extensions import db
from app.ipd import medication
from app.ipd.models import (
    Admission, AdmissionDiagnosis, DischargeSummary, DischargeSummaryVersion,
)
from tests.conftest import denied

TYPHOID = "A01.0 Typhoid fever"


def _diagnoses(app, admission_id):
    with app.app_context():
        return [(d.icd10.code, d.kind, d.ruled_out_reason) for d in db.session.execute(
            select(AdmissionDiagnosis).where(AdmissionDiagnosis.admission_id == admission_id)
            .order_by(AdmissionDiagnosis.id)).scalars()]


def _summary(app, admission_id):
    with app.app_context():
        return db.session.execute(select(DischargeSummary).where(
            DischargeSummary.admission_id == admission_id)).scalar_one_or_none()


def _pdf_text(resp) -> str:
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(resp.data)).pages)


def test_diagnoses_are_added_confirmed_and_ruled_out_by_doctors(app, as_user, admitted):
    admission_id = admitted()
    doctor, nurse = as_user("doctor.dhr"), as_user("nurse.dhr")
    assert denied(nurse.post(f"/ipd/diagnosis/{admission_id}", data={"diagnosis": TYPHOID}))
    resp = doctor.post(f"/ipd/diagnosis/{admission_id}", data={"diagnosis": TYPHOID})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#diagnoses")
    doctor.post(f"/ipd/diagnosis/{admission_id}", data={"diagnosis": "J18.9", "kind": "final"})
    for form, message in (({"diagnosis": TYPHOID}, "on the stay already"),
                          ({"diagnosis": "Q99.99 nothing"}, "Pick an ICD-10 code"),
                          ({"diagnosis": "A01.0", "kind": "maybe"}, "allowed choices")):
        resp = doctor.post(f"/ipd/diagnosis/{admission_id}", data=form)
        assert resp.status_code == 422 and message in resp.get_data(as_text=True), form
    typhoid, pneumonia = [row for row in _ids(app, admission_id)]
    assert doctor.post(f"/ipd/diagnosis/item/{typhoid}/confirm").status_code == 302
    resp = doctor.post(f"/ipd/diagnosis/item/{pneumonia}/rule-out", data={})
    assert resp.status_code == 422 and "reason the diagnosis is ruled out" in resp.get_data(
        as_text=True)
    doctor.post(f"/ipd/diagnosis/item/{pneumonia}/rule-out",
                data={"ruled_out_reason": "Chest X-ray clear"})
    assert _diagnoses(app, admission_id) == [("A01.0", "final", None),
                                             ("J18.9", "final", "Chest X-ray clear")]
    # Ruled out, the code may be recorded again.
    assert doctor.post(f"/ipd/diagnosis/{admission_id}",
                       data={"diagnosis": "J18.9"}).status_code == 302
    page = as_user("nurse.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    assert "अंतिम" in page.get_data(as_text=True) and "Chest X-ray clear" in page.get_data(
        as_text=True)


def _ids(app, admission_id):
    with app.app_context():
        return db.session.execute(select(AdmissionDiagnosis.id).where(
            AdmissionDiagnosis.admission_id == admission_id)
            .order_by(AdmissionDiagnosis.id)).scalars().all()


SUMMARY = {"complaints": "Fever for 7 days", "course": "Widal positive; IV ceftriaxone; "
           "afebrile from day 3", "condition": "Afebrile, eating well",
           "advice": "उबला पानी पिएँ, आराम करें", "follow_up_on": "",
           "rx_drug_1": "Amoxicillin 500 mg capsule", "rx_dose_1": "1 capsule",
           "rx_frequency_1": "BD", "rx_days_1": "7", "rx_route_1": "oral"}


def test_the_summary_is_drafted_signed_amended_and_printed(app, as_user, admitted):
    admission_id = admitted(days_ago=2)
    with app.app_context():
        medication.order(db.session.get(Admission, admission_id), {
            "drug_name": "Inj. Ceftriaxone 1 g", "dose": "1 g", "route": "IV",
            "frequency": "BD", "start_at": utcnow() - timedelta(days=1)}, None)
    doctor, nurse = as_user("doctor.dhr"), as_user("nurse.dhr")
    doctor.post(f"/ipd/notes/{admission_id}", data={
        "kind": "round", "plan": "Dressing", "procedure_code_1": "DRESSING",
        "procedure_detail_1": "right foot ulcer"})
    # The first draft comes from the record: the running order as a medicine to take home,
    # the procedures the rounds ordered.
    page = doctor.get(f"/ipd/summary/{admission_id}").get_data(as_text=True)
    assert 'value="Inj. Ceftriaxone 1 g"' in page and "Sign the summary" in page
    assert "Dressing (right foot ulcer)" in page
    assert denied(nurse.post(f"/ipd/summary/{admission_id}", data=SUMMARY))
    assert doctor.post(f"/ipd/summary/{admission_id}",
                       data={**SUMMARY, "action": "save"}).status_code == 302
    assert _summary(app, admission_id).status == "draft"
    draft = _pdf_text(doctor.get(f"/print/discharge-summary/{admission_id}"))
    assert "DRAFT" in draft and "DISCHARGE SUMMARY" in draft
    # Not signed without a final diagnosis, nor without the condition at discharge.
    resp = doctor.post(f"/ipd/summary/{admission_id}",
                       data={**SUMMARY, "condition": "", "action": "sign"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "final diagnosis" in text and "condition at" in text
    assert _summary(app, admission_id).status == "draft"
    doctor.post(f"/ipd/diagnosis/{admission_id}", data={"diagnosis": TYPHOID, "kind": "final"})
    resp = doctor.post(f"/ipd/summary/{admission_id}", data={**SUMMARY, "action": "sign"})
    assert resp.status_code == 302
    signed = _summary(app, admission_id)
    assert (signed.status, signed.version, signed.signed_by_id is not None) == \
        ("signed", 1, True)
    # Signed, a change needs its reason and is the next version; the first is kept.
    resp = doctor.post(f"/ipd/summary/{admission_id}",
                       data={**SUMMARY, "advice": "Drink boiled water", "action": "sign"})
    assert resp.status_code == 422 and "reason for the amendment" in resp.get_data(as_text=True)
    resp = doctor.post(f"/ipd/summary/{admission_id}", data={
        **SUMMARY, "advice": "Drink boiled water", "amend_reason": "Advice in English asked",
        "action": "sign"})
    assert resp.status_code == 302 and _summary(app, admission_id).version == 2
    with app.app_context():
        versions = db.session.execute(select(DischargeSummaryVersion.version).where(
            DischargeSummaryVersion.summary_id == signed.id)).scalars().all()
    assert sorted(versions) == [1, 2]
    page = nurse.get(f"/ipd/summary/{admission_id}").get_data(as_text=True)
    assert "Earlier signed versions" in page and "उबला पानी" in page
    printed = _pdf_text(nurse.get(f"/print/discharge-summary/{admission_id}"))
    for words in ("A01.0", "Typhoid fever", "Amoxicillin 500 mg capsule", "AMENDED",
                  "Advice in English asked", "Drink boiled water", "Afebrile, eating well"):
        assert words in printed, words
    assert "DRAFT" not in printed


@pytest.mark.parametrize("form, field, message", [
    ({**SUMMARY, "follow_up_on": "31-02-2026"}, "follow_up_on", "dd-mm-yyyy"),
    ({**SUMMARY, "follow_up_on": "01-01-2020"}, "follow_up_on", "after the admission"),
    ({**SUMMARY, "follow_up_department": "999999"}, "follow_up_department",
     "department of this facility"),
    ({**SUMMARY, "rx_frequency_1": "thrice"}, "rx_frequency_1", "Frequency like"),
    ({**SUMMARY, "condition": "x" * 301}, "condition", "at most 300"),
])
def test_bad_summaries_are_refused_naming_the_field(app, as_user, admitted, form, field,
                                                     message):
    admission_id = admitted()
    resp = as_user("doctor.dhr").post(f"/ipd/summary/{admission_id}",
                                      data={**form, "action": "save"})
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _summary(app, admission_id) is None


def test_the_api_writes_and_reads_the_summary_on_the_admission(app, api, admitted):
    admission_id = admitted()
    doctor, nurse = api("doctor.dhr"), api("nurse.dhr")
    path = f"/api/v1/admission/{admission_id}/discharge_summary"
    assert doctor("GET", path).status_code == 404  # nothing written yet
    body = {"course": "Treated for enteric fever", "condition": "Well",
            "medicines": [{"drug_name": "Amoxicillin 500 mg capsule", "dose": "1 tablet",
                           "frequency": "BD", "days": 7, "route": "oral"}], "sign": True}
    resp = api("doctor.dhr", lang="hi")("POST", path, json=body)
    assert resp.status_code == 422 and "diagnoses" in resp.get_json()["message"]
    assert "अंतिम निदान" in str(resp.get_json()["message"])
    assert nurse("POST", path, json={**body, "sign": False}).status_code == 403
    with app.app_context():
        from app.ipd import summary
        from app.opd.consultation import icd10_named
        from flask_appbuilder.security.sqla.models import User
        admission = db.session.get(Admission, admission_id)
        user = db.session.execute(select(User).where(User.username == "doctor.dhr")).scalar()
        summary.add_diagnosis(admission, {"diagnosis": icd10_named("A01.0").code,
                                          "kind": "final"}, user)
    resp = doctor("POST", path, json=body)
    assert resp.status_code == 200, resp.get_json()
    result = resp.get_json()["result"]
    assert (result["status"], result["version"], result["diagnoses"][0]["code"],
            result["medicines"][0]["days"]) == ("signed", 1, "A01.0", 7)
    assert nurse("GET", path).get_json()["result"]["course"] == "Treated for enteric fever"
    resp = doctor("POST", path, json={**body, "medicines": [{"drug_name": "x"}]})
    assert resp.status_code == 422  # a medicine line without its frequency
    other = admitted("RNC")
    assert doctor("GET", f"/api/v1/admission/{other}/discharge_summary").status_code == 404
    spec = doctor("GET", "/api/v1/_openapi").get_json()
    assert "/api/v1/admission/{pk}/discharge_summary" in spec["paths"]
