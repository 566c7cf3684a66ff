"""Sixteen clerks, doctors and nurses at once on PostgreSQL, over HTTP: one visit per
patient, department and day; one patient for one person registered sixteen times; one
admission per patient and one patient per bed; a discharge, a transfer or a cancellation
happens once. Losers are told 409 or 422, never 500, and the patient stays usable."""
import uuid

import pytest
from sqlalchemy import func, select

from app.billing.models import Charge
from app.core.models import Facility
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission, BedStay
from app.lab import services as lab
from app.lab.models import LabOrder, LabTest
from app.opd.models import OPEN_STATUSES, OpdVisit
from app.registration.models import Patient
from tests.conftest import person
from tests.integration.concurrency.conftest import (
    CLIENTS, api_callers, assert_money_balances, logged_in, race, run_parallel, statuses,
)

pytestmark = pytest.mark.both


def _dhr():
    return db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()


def _open_visits(pid, dept):
    return db.session.execute(select(func.count(OpdVisit.id)).where(
        OpdVisit.patient_id == pid, OpdVisit.department_id == dept,
        OpdVisit.status.in_(OPEN_STATUSES))).scalar()


def test_sixteen_tokens_for_one_patient_and_department_make_one_visit(
        app, new_patient, new_department):
    pid, dept = new_patient(), new_department()
    rest = api_callers(app, "clerk.dhr", CLIENTS // 2)
    desk = logged_in(app, "clerk.dhr", CLIENTS // 2)
    responses = race(
        [lambda c=c: c("POST", "/api/v1/opd_visit/", json={"patient": pid, "department": dept})
         for c in rest] +
        [lambda c=c: c.post("/desk/revisit", data={"patient_id": pid, "department": dept,
                                                   "visit_type": "NEW"}) for c in desk])
    seen = statuses(responses)
    issued = [r for r in responses if r.status_code == 201 or
              (r.status_code == 302 and "/desk/issued/" in r.headers["Location"])]
    assert len(issued) == 1, seen
    refused = [r for r in responses if r.status_code == 422]
    assert len(refused) + seen[302] - (1 if issued[0].status_code == 302 else 0) == CLIENTS - 1
    assert all("already has token" in str(r.get_json()) for r in refused)
    with app.app_context():
        assert _open_visits(pid, dept) == 1
    # The patient is not stuck: the next visit elsewhere, and the same one, answer cleanly.
    again = rest[0]("POST", "/api/v1/opd_visit/", json={"patient": pid, "department": dept})
    assert again.status_code == 422 and "already has token" in str(again.get_json())
    other = rest[0]("POST", "/api/v1/opd_visit/", json={"patient": pid,
                                                        "department": new_department()})
    assert other.status_code == 201
    with app.app_context():
        assert_money_balances(_dhr().id)
        fees = db.session.execute(select(func.count(Charge.id)).where(
            Charge.patient_id == pid)).scalar()
        assert fees == 2  # one fee per visit issued, none for the refused


def test_the_same_new_patient_registered_sixteen_times_is_one_patient(app, new_department):
    mobile = f"94{uuid.uuid4().int % 10**8:08d}"
    same = person(mobile=mobile)  # same name, guardian and mobile each time
    rest = api_callers(app, "clerk.dhr", CLIENTS // 2)
    desk = logged_in(app, "clerk.dhr", CLIENTS // 2)
    dept = new_department()
    form = {**same, "department": dept, "visit_type": "NEW"}
    responses = race([lambda c=c: c("POST", "/api/v1/patient/", json=same) for c in rest] +
                     [lambda c=c: c.post("/desk/register", data=form) for c in desk])
    seen = statuses(responses)
    created = seen[201] + sum(1 for r in responses if r.status_code == 302)
    assert created == 1, seen
    # The others are shown the patient now on record instead.
    assert seen[409] + seen[200] == CLIENTS - 1, seen
    assert all(r.get_json()["candidates"] for r in responses if r.status_code == 409)
    with app.app_context():
        assert db.session.execute(select(func.count(Patient.id)).where(
            Patient.mobile == mobile)).scalar() == 1


def test_one_patient_admitted_from_sixteen_screens_gets_one_bed(
        app, new_patient, new_ward, medicine):
    beds = new_ward(beds=CLIENTS)
    pid = new_patient()
    nurses = logged_in(app, "nurse.dhr", CLIENTS // 2)
    rest = api_callers(app, "nurse.dhr", CLIENTS // 2)
    dept = medicine()
    responses = race(
        [lambda c=c, b=b: c.post("/ipd/admit", data={"patient": pid, "department": dept,
                                                     "bed": b}) for c, b in zip(nurses, beds)] +
        [lambda c=c, b=b: c("POST", "/api/v1/admission/", json={"patient": pid,
                                                                "department": dept, "bed": b})
         for c, b in zip(rest, beds[CLIENTS // 2:])])
    seen = statuses(responses)
    assert seen[302] + seen[201] == 1 and seen[422] == CLIENTS - 1, seen
    with app.app_context():
        admissions = db.session.execute(select(Admission).where(
            Admission.patient_id == pid)).scalars().all()
        assert len(admissions) == 1 and admissions[0].status == "admitted"
        assert db.session.execute(select(func.count(BedStay.id)).where(
            BedStay.admission_id == admissions[0].id)).scalar() == 1


def _admitted(app, new_patient, new_ward, medicine, beds=1):
    free = new_ward(beds=beds)
    pid = new_patient()
    with app.app_context():
        admission = ipd.admit(_dhr(), pid, {"department": medicine(), "bed": free[0]}, None)
        return admission.id, free[1:]


def test_a_patient_is_discharged_once(app, new_patient, new_ward, medicine):
    admission_id, _ = _admitted(app, new_patient, new_ward, medicine)
    nurses = logged_in(app, "nurse.dhr")
    responses = race([lambda c=c: c.post(f"/ipd/admission/{admission_id}/discharge",
                                         data={"discharge_type": "recovered"}) for c in nurses])
    seen = statuses(responses)
    assert seen[302] == 1 and seen[422] == CLIENTS - 1, seen
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        assert admission.status == "discharged"
        bed_days = db.session.execute(select(Charge).where(
            Charge.account_id == admission.account_id, Charge.kind == "bed_day")).scalars().all()
        assert len(bed_days) == 1  # charged once, not once per nurse


def test_parallel_transfers_leave_the_patient_in_one_bed(app, new_patient, new_ward, medicine):
    admission_id, targets = _admitted(app, new_patient, new_ward, medicine, beds=CLIENTS + 1)
    nurses = logged_in(app, "nurse.dhr")
    responses = race([lambda c=c, b=b: c.post(f"/ipd/admission/{admission_id}/transfer",
                                              data={"bed": b, "reason": "Closer to station"})
                      for c, b in zip(nurses, targets)])
    statuses(responses)
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        open_stays = [s for s in admission.stays if s.to_at is None]
        assert len(open_stays) == 1 and open_stays[0].bed_id == admission.bed_id
        assert len(admission.stays) == 1 + sum(1 for r in responses if r.status_code == 302)


def test_an_admission_is_cancelled_once_and_no_deposit_slips_in(
        app, new_patient, new_ward, medicine):
    from tests.conftest import DEMO_PASSWORD
    admission_id, _ = _admitted(app, new_patient, new_ward, medicine)
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        pid, account_id = admission.patient_id, admission.account_id
    nurses = logged_in(app, "nurse.dhr", CLIENTS // 2)
    cashiers = logged_in(app, "cashier.dhr", CLIENTS // 2)
    responses = race(
        [lambda c=c: c.post(f"/ipd/admission/{admission_id}/cancel", data={
            "reason": "Wrong patient", "auth_username": "supervisor.dhr",
            "auth_password": DEMO_PASSWORD}) for c in nurses] +
        [lambda c=c: c.post(f"/cash/patient/{pid}/advance", data={
            "account": account_id, "advance_amount": "500", "advance_mode": "cash"})
         for c in cashiers])
    statuses(responses)
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        from app.billing.models import Bill
        deposits = db.session.execute(select(Bill).where(
            Bill.account_id == account_id, Bill.status != "cancelled")).scalars().all()
        # Either the admission was cancelled with nothing on its account, or deposits
        # were taken and the cancellation refused: never both.
        assert (admission.status == "cancelled") != bool(deposits)
        assert_money_balances(_dhr().id)


def test_a_lab_order_is_cancelled_or_billed_never_both(app, new_patient):
    pid = new_patient()
    with app.app_context():
        cbc = db.session.execute(select(LabTest.id).where(
            LabTest.facility_id == _dhr().id, LabTest.code == "CBC")).scalar()
        order = lab.place_order(_dhr(), pid, {"tests": [cbc]}, None)
        order_id, charge = order.id, order.items[0].charge_id
    doctors = logged_in(app, "doctor.dhr", CLIENTS // 2)
    cashiers = logged_in(app, "cashier.dhr", CLIENTS // 2)
    responses = race(
        [lambda c=c: c.post(f"/lab/order/{order_id}/cancel", data={"reason": "Wrong test"})
         for c in doctors] +
        [lambda c=c: c.post(f"/cash/patient/{pid}/bill", data={"charge": [charge]})
         for c in cashiers])
    seen = statuses(responses)
    assert seen[302] == 1 and seen[422] == CLIENTS - 1, seen
    with app.app_context():
        order = db.session.get(LabOrder, order_id)
        row = db.session.get(Charge, charge)
        assert (order.status == "cancelled") == (row.withdrawn_at is not None)
        assert (row.bill_id is None) or (row.withdrawn_at is None)
        assert_money_balances(_dhr().id)


def test_parallel_finished_consultations_each_count_their_diagnosis(app, facility):
    """Doctors finishing at the same moment with the same diagnosis: every one counts in
    the facility's ranking of suggestions (an upsert, not read-then-write)."""
    from app.opd import consultation as consult
    from app.opd.models import Icd10, Icd10Use
    with app.app_context():
        code = db.session.execute(select(Icd10).where(Icd10.code == "A06.0")).scalar_one()
        code_id, fid = code.id, facility("DHR")
        before = db.session.get(Icd10Use, (fid, code_id))
        before = before.uses if before else 0

    def finish(n):
        icd = db.session.get(Icd10, code_id)
        consult.count_uses(type("Finished", (), {
            "facility_id": fid, "diagnoses": [type("D", (), {"icd10_id": code_id,
                                                             "icd10": icd})()]}))
        db.session.commit()
        return True

    assert run_parallel(app, finish) == [True] * CLIENTS
    with app.app_context():
        assert db.session.get(Icd10Use, (fid, code_id)).uses == before + CLIENTS
