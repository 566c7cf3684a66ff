"""The ward's vitals chart: a nurse charts a set at the bedside in a few keystrokes, it is
scored by NEWS2, drawn on the admission's page and flagged on the bed board; what cannot be
right is refused naming the field, and nothing is saved."""
import pytest
from sqlalchemy import func, select

from app.core.models import utcnow
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import VitalSign
from tests.conftest import denied


def _count(app, admission_id):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(VitalSign).where(
            VitalSign.admission_id == admission_id)).scalar()


SICK = {"temperature_f": "102.6", "pulse": "126", "resp_rate": "26", "bp_systolic": "96",
        "bp_diastolic": "60", "spo2": "93", "consciousness": "A", "pain_score": "6"}


def test_a_set_charted_at_the_bedside_is_scored_drawn_and_flagged(app, as_user, admitted):
    admission_id = admitted()
    nurse = as_user("nurse.dhr")
    well = {"temperature_f": "98.4", "pulse": "78", "resp_rate": "16", "bp_systolic": "124",
            "bp_diastolic": "80", "spo2": "98", "consciousness": "A"}
    resp = nurse.post(f"/ipd/vitals/{admission_id}", data=well)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#vitals")
    resp = nurse.post(f"/ipd/vitals/{admission_id}", data=SICK)
    assert resp.status_code == 302
    with app.app_context():
        sets = db.session.execute(select(VitalSign).where(
            VitalSign.admission_id == admission_id).order_by(VitalSign.id)).scalars().all()
        # RR 26 → 3, SpO2 93 → 2, SBP 96 → 2, pulse 126 → 2, 39.2 °C → 2: 11, high.
        assert [(s.news2, s.news2_risk) for s in sets] == [(0, "low"), (11, "high")]
        assert sets[1].recorded_by.username == "nurse.dhr"
    page = nurse.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert page.count("<svg") >= 5 and "hmis-vital-table" in page and "126" in page
    board = nurse.get("/ipd/").get_data(as_text=True)
    assert "NEWS2 11" in board and "label-danger" in board.split("NEWS2 11")[0][-200:]
    # In Hindi too.
    page = as_user("nurse.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    assert "वाइटल" in page.get_data(as_text=True) or "जीवन" in page.get_data(as_text=True)


@pytest.mark.parametrize("form, field, message", [
    ({"pulse": "400"}, "pulse", "is not possible"),
    ({"pulse": "fast"}, "pulse", "must be a number"),
    ({"pain_score": "³"}, "pain_score", "0 to 10"),
    ({"pulse": "80", "on_oxygen": "maybe"}, "on_oxygen", "Choose yes or no"),
    ({"spo2": "101"}, "spo2", "is not possible"),
    ({"pain_score": "11"}, "pain_score", "0 to 10"),
    ({"spo2": "97", "consciousness": "Z"}, "consciousness", "allowed choices"),
    ({"bp_systolic": "80", "bp_diastolic": "90"}, "bp_diastolic", "below systolic"),
    ({"pulse": "80", "taken_at": "31-12-2099 10:00"}, "taken_at", "between the admission"),
    ({"pulse": "80", "taken_at": "yesterday"}, "taken_at", "dd-mm-yyyy hh:mm"),
    ({}, "vitals", "at least one value"),
])
def test_bad_sets_are_refused_naming_the_field(app, as_user, admitted, form, field, message):
    admission_id = admitted()
    resp = as_user("nurse.dhr").post(f"/ipd/vitals/{admission_id}",
                                     data={"consciousness": "", **form})
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _count(app, admission_id) == 0


def test_a_discharged_patient_is_not_charted(app, as_user, admitted):
    admission_id = admitted()
    with app.app_context():
        from app.ipd.models import Admission
        ipd.discharge(db.session.get(Admission, admission_id),
                      {"discharge_type": "recovered"}, None)
    resp = as_user("nurse.dhr").post(f"/ipd/vitals/{admission_id}", data={"pulse": "80"})
    assert resp.status_code == 422 and "already discharged" in resp.get_data(as_text=True)
    assert _count(app, admission_id) == 0


def test_the_api_charts_through_the_same_service(app, api, admitted):
    admission_id = admitted()
    nurse = api("nurse.dhr")
    resp = nurse("POST", "/api/v1/vital_sign/", json={
        "admission": admission_id, "pulse": 126, "resp_rate": 26, "spo2": 93,
        "bp_systolic": 96, "bp_diastolic": 60, "temperature_f": "102.6",
        "consciousness": "A", "on_oxygen": True,
        "taken_at": utcnow().isoformat()})
    assert resp.status_code == 201, resp.get_json()
    shown = resp.get_json()["result"]
    assert (shown["news2"], shown["news2_risk"], shown["admission"]["id"]) == (13, "high",
                                                                           admission_id)
    listed = nurse("GET", "/api/v1/vital_sign/").get_json()["result"]
    assert any(row["id"] == resp.get_json()["id"] for row in listed)
    # Refused in the caller's language, naming the field; nothing saved.
    resp = api("nurse.dhr", lang="hi")("POST", "/api/v1/vital_sign/", json={
        "admission": admission_id, "pulse": 400})
    assert resp.status_code == 422 and "pulse" in resp.get_json()["message"]
    assert _count(app, admission_id) == 1
    # Another facility's admission is as none at all.
    other = admitted(code="RNC", name="Birsa Munda")
    resp = nurse("POST", "/api/v1/vital_sign/", json={"admission": other, "pulse": 80})
    assert resp.status_code == 422 and "admission" in resp.get_json()["message"]
    assert _count(app, other) == 0


def test_only_the_ward_charts_vitals(as_user, admitted):
    admission_id = admitted()
    assert denied(as_user("clerk.dhr").post(f"/ipd/vitals/{admission_id}",
                                            data={"pulse": "80"}))
    assert as_user("doctor.dhr").post(f"/ipd/vitals/{admission_id}",
                                      data={"pulse": "80"}).status_code == 302
