"""Medicines on the ward: a doctor orders (and stops, with a reason), nurses mark each due
dose given, held or refused on the admission's page or the ward's medicine round; a dose is
marked once, a wrong mark is struck out with a reason, nothing is deleted; refused input
names its field and saves nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.formatting import aware
from app.core.models import utcnow
from app.extensions import db
from app.ipd import medication
from app.ipd import services as ipd
from app.ipd.models import Admission, MedicationAdministration, MedicationOrder
from tests.conftest import denied

ORDER = {"drug_name": "Paracetamol 500 mg tablet", "dose": "1 tablet", "route": "",
         "frequency": "tds", "days": "5", "instructions": "after food"}


def _orders(app, admission_id):
    with app.app_context():
        return db.session.execute(select(MedicationOrder).where(
            MedicationOrder.admission_id == admission_id).order_by(MedicationOrder.id)
        ).scalars().all()


def _marks(app, admission_id):
    with app.app_context():
        return [(m.outcome, m.reason, m.voided_at is not None) for m in db.session.execute(
            select(MedicationAdministration).where(
                MedicationAdministration.admission_id == admission_id)
            .order_by(MedicationAdministration.id)).scalars()]


def _hourly(app, admission_id, drug="Ceftriaxone 1 g", frequency="Q1H"):
    """An order started a day ago, so that the round has doses overdue, due and later."""
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        row = medication.order(admission, {"drug_name": drug, "dose": "1 g", "route": "IV",
                                           "frequency": frequency,
                                           "start_at": utcnow() - timedelta(days=1)}, None)
        return row.id


def test_the_doctor_orders_and_the_nurse_marks_todays_doses(app, as_user, admitted):
    admission_id = admitted(days_ago=2)
    doctor, nurse = as_user("doctor.dhr"), as_user("nurse.dhr")
    resp = doctor.post(f"/ipd/medication/{admission_id}", data=ORDER)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#medicines")
    order, = _orders(app, admission_id)
    # The drug master's entry is linked, its route taken; the course ends in five days.
    assert (order.drug_id is not None, order.route, order.frequency, order.days) == \
        (True, "oral", "TDS", 5)
    assert order.end_at - order.start_at == timedelta(days=5)
    page = nurse.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "Paracetamol 500 mg tablet" in page and "after food" in page
    # A nurse does not order.
    assert denied(nurse.post(f"/ipd/medication/{admission_id}", data=ORDER))
    assert len(_orders(app, admission_id)) == 1
    hourly = _hourly(app, admission_id)
    with app.app_context():
        due = medication.of_admission(admission_id)["today"]
    dose = next(d for d in due if d.order.id == hourly and d.state == "overdue")
    resp = nurse.post(f"/ipd/mar/{hourly}", data={"due_at": dose.due_at.isoformat(),
                                                   "outcome": "given"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#medicines")
    assert _marks(app, admission_id) == [("given", None, False)]
    # The same dose again: refused, naming who marked it.
    resp = nurse.post(f"/ipd/mar/{hourly}", data={"due_at": dose.due_at.isoformat(),
                                                   "outcome": "given"})
    assert resp.status_code == 422 and "already marked" in resp.get_data(as_text=True)
    hindi = as_user("nurse.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    text = hindi.get_data(as_text=True)
    assert "दवाइयाँ" in text and "मुँह से" in text  # Medicines; oral, in words


@pytest.mark.parametrize("form, field, message", [
    ({**ORDER, "drug_name": ""}, "drug_name", "Write the medicine"),
    ({**ORDER, "dose": ""}, "dose", "Write the dose"),
    ({**ORDER, "frequency": "thrice"}, "frequency", "Frequency like"),
    ({**ORDER, "frequency": "Q5H"}, "frequency", "Frequency like"),
    ({**ORDER, "days": "0"}, "days", "Days must be 1 to 90"),
    ({**ORDER, "days": "५००"}, "days", "Days must be 1 to 90"),
    ({**ORDER, "drug_name": "Kadha", "route": ""}, "route", "Choose the route"),
    ({**ORDER, "route": "by mouth"}, "route", "Choose the route"),
    ({**ORDER, "start_at": "01-01-2020 10:00"}, "start_at", "during the stay"),
    ({**ORDER, "start_at": "tomorrow"}, "start_at", "dd-mm-yyyy hh:mm"),
    ({**ORDER, "instructions": "x" * 201}, "instructions", "at most 200"),
])
def test_bad_orders_are_refused_naming_the_field(app, as_user, admitted, form, field, message):
    admission_id = admitted()
    resp = as_user("doctor.dhr").post(f"/ipd/medication/{admission_id}", data=form)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _orders(app, admission_id) == []


def test_held_needs_a_reason_a_wrong_mark_is_struck_out_and_the_dose_marked_again(
        app, as_user, admitted):
    admission_id = admitted(days_ago=2)
    hourly = _hourly(app, admission_id)
    nurse = as_user("nurse.dhr")
    with app.app_context():
        dose = next(d for d in medication.of_admission(admission_id)["today"]
                    if d.state == "overdue")
    due = dose.due_at.isoformat()
    for form, message in (({"due_at": due, "outcome": "held"}, "reason the dose was held"),
                          ({"due_at": due, "outcome": "forgot"}, "given, held or refused"),
                          ({"due_at": due, "outcome": "given", "at": "23:61"}, "dd-mm-yyyy"),
                          ({"due_at": "2026-11-30T07:13:00+00:00", "outcome": "given"},
                           "a dose of this order as scheduled"),
                          ({"outcome": "given"}, "a dose of this order as scheduled")):
        resp = nurse.post(f"/ipd/mar/{hourly}", data=form)
        assert resp.status_code == 422 and message in resp.get_data(as_text=True), form
    assert _marks(app, admission_id) == []
    nurse.post(f"/ipd/mar/{hourly}", data={"due_at": due, "outcome": "refused",
                                           "reason": "Vomiting"})
    with app.app_context():
        mark_id = db.session.execute(select(MedicationAdministration.id).where(
            MedicationAdministration.admission_id == admission_id)).scalar_one()
    assert nurse.post(f"/ipd/mar/entry/{mark_id}/void", data={}).status_code == 422
    resp = nurse.post(f"/ipd/mar/entry/{mark_id}/void", data={"void_reason": "Wrong patient"})
    assert resp.status_code == 302
    assert nurse.post(f"/ipd/mar/{hourly}", data={"due_at": due, "outcome": "given"}
                      ).status_code == 302
    # Both entries stay: the struck-out one and the dose given.
    assert _marks(app, admission_id) == [("refused", "Vomiting", True), ("given", None, False)]
    page = nurse.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "Struck out" in page and "Wrong patient" in page


def test_stopping_needs_a_reason_and_ends_the_doses(app, as_user, admitted):
    admission_id = admitted(days_ago=2)
    hourly = _hourly(app, admission_id)
    doctor, nurse = as_user("doctor.dhr"), as_user("nurse.dhr")
    assert denied(nurse.post(f"/ipd/medication/order/{hourly}/stop",
                             data={"stop_reason": "x"}))
    resp = doctor.post(f"/ipd/medication/order/{hourly}/stop", data={"stop_reason": " "})
    assert resp.status_code == 422 and "reason for stopping" in resp.get_data(as_text=True)
    resp = doctor.post(f"/ipd/medication/order/{hourly}/stop",
                       data={"stop_reason": "Rash after the dose"})
    assert resp.status_code == 302
    order, = _orders(app, admission_id)
    assert order.stop_reason == "Rash after the dose" and order.stopped_at is not None
    resp = doctor.post(f"/ipd/medication/order/{hourly}/stop", data={"stop_reason": "again"})
    assert resp.status_code == 422 and "already ended" in resp.get_data(as_text=True)
    # No dose falls due after the stop: the next hour's is not to be marked.
    next_hour = (utcnow() + timedelta(hours=1)).replace(minute=30, second=0, microsecond=0)
    resp = nurse.post(f"/ipd/mar/{hourly}", data={"due_at": next_hour.isoformat(),
                                                   "outcome": "given"})
    assert resp.status_code == 422
    with app.app_context():
        assert [d for d in medication.due_on_ward(order.facility_id, None)
                if d.order.id == hourly and d.due_at > aware(order.stopped_at)] == []


def test_the_medicine_round_lists_the_wards_doses_and_marks_them_together(
        app, as_user, admitted):
    admission_id = admitted(name="Round Patient", days_ago=2)
    hourly = _hourly(app, admission_id, drug="Metronidazole 500 mg")
    nurse = as_user("nurse.dhr")
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        ward_id = admission.bed.ward_id
        doses = medication.due_on_ward(admission.facility_id, ward_id)
    # 12 hours back, 3 ahead, hourly: overdue, due and later doses, in time order.
    states = [d.state for d in doses]
    assert states[0] == "overdue" and "due" in states and states[-1] == "later"
    assert [d.due_at for d in doses] == sorted(d.due_at for d in doses)
    page = nurse.get(f"/ipd/mar/?ward={ward_id}").get_data(as_text=True)
    assert "Metronidazole 500 mg" in page and "Round Patient" in page and "overdue" in page
    first, second, later = doses[0], doses[1], doses[-1]
    key = lambda d: f"{hourly}:{d.due_at.isoformat()}"  # noqa: E731
    # One dose refused without its reason: nothing saved, the form comes back as chosen.
    resp = nurse.post("/ipd/mar/round", data={
        "ward": str(ward_id), f"o:{key(first)}": "given", f"o:{key(second)}": "held"})
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "reason the dose was held" in text and "Metronidazole 500 mg" in text
    assert 'value="held" selected' in text and _marks(app, admission_id) == []
    # A dose three hours ahead is not marked yet.
    resp = nurse.post("/ipd/mar/round", data={"ward": str(ward_id), f"o:{key(later)}": "given"})
    assert resp.status_code == 422 and "marked from an hour before" in resp.get_data(
        as_text=True)
    resp = nurse.post("/ipd/mar/round", data={
        "ward": str(ward_id), f"o:{key(first)}": "given", f"o:{key(second)}": "held",
        f"r:{key(second)}": "Nil by mouth for endoscopy"})
    assert resp.status_code == 302 and f"ward={ward_id}" in resp.headers["Location"]
    assert _marks(app, admission_id) == [("given", None, False),
                                         ("held", "Nil by mouth for endoscopy", False)]
    # Marked doses leave the round's list.
    page = nurse.get(f"/ipd/mar/?ward={ward_id}").get_data(as_text=True)
    assert key(first) not in page and "Marked already: 2" in page
    hindi = as_user("nurse.dhr", lang="hi").get(f"/ipd/mar/?ward={ward_id}")
    assert "दवा का राउंड" in hindi.get_data(as_text=True)
    # Nothing chosen, or a dose of another facility: refused, nothing saved.
    assert nurse.post("/ipd/mar/round", data={"ward": str(ward_id)}).status_code == 422
    other = admitted("RNC", days_ago=2)
    theirs = _hourly(app, other)
    resp = nurse.post("/ipd/mar/round", data={
        "ward": str(ward_id), f"o:{theirs}:{first.due_at.isoformat()}": "given"})
    assert resp.status_code == 422 and len(_marks(app, admission_id)) == 2
    assert _marks(app, other) == []


def test_after_discharge_no_dose_is_marked_and_other_facilities_see_nothing(
        app, as_user, api, admitted):
    admission_id = admitted(days_ago=2)
    hourly = _hourly(app, admission_id)
    other = admitted("RNC", days_ago=2)
    theirs = _hourly(app, other)
    nurse = as_user("nurse.dhr")
    assert nurse.post(f"/ipd/mar/{theirs}", data={"outcome": "given"}).status_code == 404
    assert as_user("doctor.dhr").post(f"/ipd/medication/order/{theirs}/stop",
                                      data={"stop_reason": "x"}).status_code == 404
    assert api("nurse.dhr")("GET", f"/api/v1/medication_order/{theirs}").status_code == 404
    with app.app_context():
        dose = next(d for d in medication.of_admission(admission_id)["today"]
                    if d.state == "overdue")
        ipd.discharge(db.session.get(Admission, admission_id),
                      {"discharge_type": "recovered"}, None)
    resp = nurse.post(f"/ipd/mar/{hourly}", data={"due_at": dose.due_at.isoformat(),
                                                   "outcome": "given"})
    assert resp.status_code == 422 and "already discharged" in resp.get_data(as_text=True)
    assert _marks(app, admission_id) == []


def test_the_api_orders_marks_stops_and_strikes_out(app, api, admitted):
    admission_id = admitted()
    doctor, nurse = api("doctor.dhr"), api("nurse.dhr")
    resp = doctor("POST", "/api/v1/medication_order/", json={
        "admission": admission_id, "drug_name": "Inj. Pantoprazole 40 mg", "dose": "40 mg",
        "route": "IV", "frequency": "STAT"})
    assert resp.status_code == 201, resp.get_json()
    order = resp.get_json()["result"]
    assert (order["frequency"], order["route"], order["end_at"]) == ("STAT", "IV", None)
    assert nurse("POST", "/api/v1/medication_order/", json={
        "admission": admission_id, "drug_name": "x", "dose": "1", "route": "oral",
        "frequency": "OD"}).status_code == 403
    resp = nurse("POST", "/api/v1/medication_administration/", json={
        "order": resp.get_json()["id"], "due_at": order["start_at"], "outcome": "given"})
    assert resp.status_code == 201, resp.get_json()
    mark_id = resp.get_json()["id"]
    resp = api("nurse.dhr", lang="hi")("POST", "/api/v1/medication_administration/", json={
        "order": order["id"], "due_at": order["start_at"], "outcome": "given"})
    assert resp.status_code == 422 and "due_at" in resp.get_json()["message"]
    assert "पहले ही" in str(resp.get_json()["message"])  # already marked, in Hindi
    resp = nurse("POST", f"/api/v1/medication_administration/{mark_id}/void",
                 json={"void_reason": "Charted on the wrong patient"})
    assert resp.status_code == 200 and resp.get_json()["result"]["voided_at"]
    resp = doctor("POST", "/api/v1/medication_order/", json={
        "admission": admission_id, "drug": 999999, "dose": "1", "frequency": "OD"})
    assert resp.status_code == 422 and "drug" in resp.get_json()["message"]
    resp = doctor("POST", "/api/v1/medication_order/", json={
        "admission": admission_id, "drug_name": "Tab. Amlodipine 5 mg", "dose": "5 mg",
        "route": "oral", "frequency": "OD", "days": 30})
    order_id = resp.get_json()["id"]
    assert doctor("POST", f"/api/v1/medication_order/{order_id}/stop",
                  json={}).status_code == 422
    resp = doctor("POST", f"/api/v1/medication_order/{order_id}/stop",
                  json={"stop_reason": "BP low"})
    assert resp.status_code == 200 and resp.get_json()["result"]["stop_reason"] == "BP low"
    listed = nurse("GET", "/api/v1/medication_administration/").get_json()["result"]
    assert any(m["id"] == mark_id for m in listed)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(MedicationOrder).where(
            MedicationOrder.admission_id == admission_id)).scalar() == 2
