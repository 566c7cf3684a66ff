"""Rounds and nursing notes: the doctor writes the round, nurses their shift notes; a note
is never edited, a correction amends it with a reason; after discharge only a doctor's
amendment is taken. Refused input names its field and saves nothing."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission, ClinicalNote
from tests.conftest import denied


def _notes(app, admission_id):
    with app.app_context():
        return [(n.kind, n.shift, n.assessment or n.text, n.amends_id, n.amend_reason)
                for n in db.session.execute(select(ClinicalNote).where(
                    ClinicalNote.admission_id == admission_id).order_by(ClinicalNote.id))
                .scalars()]


ROUND = {"kind": "round", "subjective": "Fever less, ate breakfast",
         "examination": "Chest clear, pulse 88", "assessment": "Enteric fever, improving",
         "plan": "Continue ceftriaxone; CBC tomorrow"}


def test_the_doctor_rounds_and_the_nurse_writes_her_shift(app, as_user, admitted):
    admission_id = admitted()
    doctor, nurse = as_user("doctor.dhr"), as_user("nurse.dhr")
    resp = doctor.post(f"/ipd/notes/{admission_id}", data=ROUND)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#notes")
    resp = nurse.post(f"/ipd/notes/{admission_id}", data={
        "kind": "nursing", "shift": "night", "text": "Slept well; IV line patent"})
    assert resp.status_code == 302
    assert _notes(app, admission_id) == [
        ("round", None, "Enteric fever, improving", None, None),
        ("nursing", "night", "Slept well; IV line patent", None, None)]
    page = nurse.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "Continue ceftriaxone" in page and "Slept well" in page
    assert page.index("Slept well") < page.index("Continue ceftriaxone")  # newest first
    hindi = as_user("nurse.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    assert "रात की शिफ्ट" in hindi.get_data(as_text=True)


@pytest.mark.parametrize("who, form, field, message", [
    ("nurse.dhr", {**ROUND}, "kind", "Only a doctor writes the round notes"),
    ("doctor.dhr", {"kind": "round", "subjective": " "}, "assessment", "at least the assessment"),
    ("nurse.dhr", {"kind": "nursing", "text": "Comfortable"}, "shift", "Choose the shift"),
    ("nurse.dhr", {"kind": "nursing", "shift": "morning", "text": ""}, "text", "Write the note"),
    ("nurse.dhr", {"kind": "nursing", "shift": "morning", "text": "x" * 4001}, "text",
     "at most 4000"),
    ("nurse.dhr", {"kind": "memo", "text": "x"}, "kind", "allowed choices"),
])
def test_bad_notes_are_refused_naming_the_field(app, as_user, admitted, who, form, field, message):
    admission_id = admitted()
    resp = as_user(who).post(f"/ipd/notes/{admission_id}", data=form)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _notes(app, admission_id) == []


def test_a_correction_amends_with_a_reason_and_after_discharge_only_a_doctor_adds(
        app, as_user, admitted):
    admission_id = admitted()
    doctor, nurse = as_user("doctor.dhr"), as_user("nurse.dhr")
    doctor.post(f"/ipd/notes/{admission_id}", data=ROUND)
    first = _first_id(app, admission_id)
    # An amendment needs its reason, and a note of this stay.
    resp = doctor.post(f"/ipd/notes/{admission_id}", data={**ROUND, "amends": str(first),
                                                           "assessment": "Typhoid, improving"})
    assert resp.status_code == 422 and "reason for the amendment" in resp.get_data(as_text=True)
    resp = doctor.post(f"/ipd/notes/{admission_id}", data={**ROUND, "amends": "999999",
                                                           "amend_reason": "typo"})
    assert resp.status_code == 422 and "note of this admission" in resp.get_data(as_text=True)
    with app.app_context():
        ipd.discharge(db.session.get(Admission, admission_id),
                      {"discharge_type": "recovered"}, None)
    # Discharged: the nurse may no longer add; the doctor only amends, with a reason.
    resp = nurse.post(f"/ipd/notes/{admission_id}", data={
        "kind": "nursing", "shift": "morning", "text": "Late entry"})
    assert resp.status_code == 422 and "The patient has left" in resp.get_data(as_text=True)
    resp = doctor.post(f"/ipd/notes/{admission_id}", data=ROUND)
    assert resp.status_code == 422
    resp = doctor.post(f"/ipd/notes/{admission_id}", data={
        **ROUND, "assessment": "Typhoid fever (Widal positive), improving",
        "amends": str(first), "amend_reason": "Widal report came after the round"})
    assert resp.status_code == 302
    assert [n[2:] for n in _notes(app, admission_id)] == [
        ("Enteric fever, improving", None, None),
        ("Typhoid fever (Widal positive), improving", first, "Widal report came after the round")]
    page = doctor.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "amendment" in page and "Enteric fever, improving" in page  # both stay visible


def _first_id(app, admission_id):
    with app.app_context():
        return db.session.execute(select(func.min(ClinicalNote.id)).where(
            ClinicalNote.admission_id == admission_id)).scalar()


def test_the_api_writes_through_the_same_service(app, api, admitted):
    admission_id = admitted()
    resp = api("doctor.dhr")("POST", "/api/v1/clinical_note/",
                             json={"admission": admission_id, **ROUND})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["result"]["assessment"] == "Enteric fever, improving"
    resp = api("nurse.dhr", lang="hi")("POST", "/api/v1/clinical_note/",
                                       json={"admission": admission_id, **ROUND})
    assert resp.status_code == 422 and "kind" in resp.get_json()["message"]
    other = admitted(code="RNC")
    resp = api("doctor.dhr")("POST", "/api/v1/clinical_note/",
                             json={"admission": other, **ROUND})
    assert resp.status_code == 422 and "admission" in resp.get_json()["message"]
    assert len(_notes(app, admission_id)) == 1 and _notes(app, other) == []


def test_clerks_and_cashiers_do_not_write_notes(as_user, admitted):
    admission_id = admitted()
    for user in ("clerk.dhr", "cashier.dhr"):
        assert denied(as_user(user).post(f"/ipd/notes/{admission_id}", data={
            "kind": "nursing", "shift": "night", "text": "x"}))
