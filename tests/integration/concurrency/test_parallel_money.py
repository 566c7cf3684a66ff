"""Sixteen cashiers at once on PostgreSQL, over HTTP as the counter and the REST API send
it: a charge is billed once, a bill is never paid beyond what it owes, a refund or a
cancellation happens once, a deposit is spent or returned once; the losers are told
422 or 409, never 500, and afterwards the money balances to the paisa."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.billing import services as billing
from app.billing.models import Bill, Charge, Payment
from app.core.models import Facility
from app.extensions import db
from app.opd import services as opd
from tests.conftest import DEMO_PASSWORD
from tests.integration.concurrency.conftest import (
    CLIENTS, api_callers, assert_money_balances, logged_in, race, statuses,
)

AUTH = {"auth_username": "supervisor.dhr", "auth_password": DEMO_PASSWORD}

pytestmark = pytest.mark.both


def _dhr():
    return db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()


def _patient_with_fee(app, new_patient, new_department) -> tuple[int, int]:
    """A patient with one pending ₹10 OPD fee: (patient id, charge id)."""
    pid = new_patient()
    with app.app_context():
        opd.revisit(pid, _dhr().id, new_department(), None, "NEW")
        charge = db.session.execute(select(Charge.id).where(Charge.patient_id == pid)).scalar_one()
    return pid, charge


def _unpaid_bill(app, new_patient, quantity="5") -> int:
    """A ₹10 × quantity bill of manual items, nothing paid yet."""
    pid = new_patient()
    with app.app_context():
        bill = billing.create_bill(_dhr(), pid, [], [{"code": "OPD-NEW", "quantity": quantity}],
                                   None)
        db.session.commit()
        return bill.id


def _paid_bill(app, new_patient, quantity="5") -> int:
    bill_id = _unpaid_bill(app, new_patient, quantity)
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        billing.add_payment(bill, "cash", bill.net, None)
        db.session.commit()
    return bill_id


def _balanced(app):
    with app.app_context():
        assert_money_balances(_dhr().id)


def test_one_charge_is_billed_once_whoever_bills_it(app, new_patient, new_department):
    pid, charge = _patient_with_fee(app, new_patient, new_department)
    web, rest = logged_in(app, "cashier.dhr", CLIENTS // 2), api_callers(app, "cashier.dhr",
                                                                         CLIENTS // 2)
    form = {"charge": [charge], "mode": "cash", "amount": "10"}
    body = {"patient": pid, "charges": [charge], "payment": {"mode": "cash", "amount": "10"}}
    responses = race([lambda c=c: c.post(f"/cash/patient/{pid}/bill", data=form) for c in web] +
                     [lambda c=c: c("POST", "/api/v1/bill/", json=body) for c in rest])
    seen = statuses(responses)
    assert seen[302] + seen[201] == 1 and seen[422] == CLIENTS - 1, seen
    loser = next(r for r in responses if r.status_code == 422)
    assert "no longer pending" in loser.get_data(as_text=True)
    with app.app_context():
        (bill,) = db.session.execute(select(Bill).where(Bill.patient_id == pid)).scalars()
        assert bill.paid == Decimal("10.00") and bill.status == "paid"
        assert db.session.get(Charge, charge).bill_id == bill.id
    _balanced(app)


def test_sixteen_payments_on_a_fifty_rupee_bill_stop_at_fifty(app, new_patient):
    bill_id = _unpaid_bill(app, new_patient)
    web, rest = logged_in(app, "cashier.dhr", CLIENTS // 2), api_callers(app, "cashier.dhr",
                                                                         CLIENTS // 2)
    responses = race(
        [lambda c=c: c.post(f"/cash/bill/{bill_id}/pay", data={"mode": "cash", "amount": "10"})
         for c in web] +
        [lambda c=c: c("POST", "/api/v1/payment/",
                       json={"bill": bill_id, "mode": "upi", "amount": "10", "reference": "U1"})
         for c in rest])
    seen = statuses(responses)
    assert seen[302] + seen[201] == 5 and seen[422] == CLIENTS - 5, seen
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        assert bill.paid == Decimal("50.00") and bill.status == "paid"
        assert sum(p.amount for p in bill.payments) == Decimal("50.00")
    _balanced(app)


def test_parallel_refunds_never_return_more_than_was_paid(app, new_patient):
    bill_id = _paid_bill(app, new_patient)
    web = logged_in(app, "cashier.dhr")
    responses = race([lambda c=c: c.post(f"/cash/bill/{bill_id}/refund", data={
        "amount": "20", "reason": "Test not done", "mode": "cash", **AUTH}) for c in web])
    seen = statuses(responses)
    assert seen[302] == 2 and seen[422] == CLIENTS - 2, seen
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        refunds = [p.amount for p in bill.payments if p.kind == "refund"]
        assert refunds == [Decimal("20.00")] * 2 and bill.paid == Decimal("10.00")
        assert (bill.refunded, bill.due, bill.status) == (Decimal("40.00"), 0, "paid")
    _balanced(app)


def test_a_bill_is_cancelled_and_refunded_once(app, new_patient):
    bill_id = _paid_bill(app, new_patient)
    web = logged_in(app, "cashier.dhr")
    responses = race([lambda c=c: c.post(f"/cash/bill/{bill_id}/cancel", data={
        "reason": "Wrong patient", **AUTH}) for c in web])
    seen = statuses(responses)
    assert seen[302] == 1 and seen[422] == CLIENTS - 1, seen
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        assert bill.status == "cancelled" and bill.paid == 0
        assert [p.amount for p in bill.payments if p.kind == "refund"] == [Decimal("50.00")]
    _balanced(app)


def test_cancelling_while_others_pay_keeps_the_books_square(app, new_patient):
    bill_id = _unpaid_bill(app, new_patient)
    web = logged_in(app, "cashier.dhr")
    calls = [lambda c=c: c.post(f"/cash/bill/{bill_id}/pay", data={"mode": "cash",
                                                                   "amount": "10"})
             for c in web[:-1]]
    calls.append(lambda: web[-1].post(f"/cash/bill/{bill_id}/cancel",
                                      data={"reason": "Duplicate bill", **AUTH}))
    statuses(race(calls))
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        assert bill.status == "cancelled" and bill.paid == 0
    _balanced(app)


def test_a_deposit_is_spent_once_by_parallel_bills(app, new_patient):
    """Sixteen bills made at once for one patient, each asking to use the ₹30 deposit:
    it pays for three ₹10 bills, not sixteen."""
    pid = new_patient()
    with app.app_context():
        billing.take_advance(_dhr(), pid, "30", "cash", None)
        db.session.commit()
    web = logged_in(app, "cashier.dhr")
    responses = race([lambda c=c: c.post(f"/cash/patient/{pid}/bill", data={
        "item_1": "OPD-NEW", "quantity_1": "1", "use_advance": "1"}) for c in web])
    assert statuses(responses)[302] == CLIENTS
    with app.app_context():
        bills = db.session.execute(select(Bill).where(Bill.patient_id == pid,
                                                      Bill.kind == "bill")).scalars().all()
        assert sorted(b.status for b in bills).count("paid") == 3
        deposit = db.session.execute(select(Bill).where(Bill.patient_id == pid,
                                                        Bill.kind == "advance")).scalar_one()
        assert deposit.applied == Decimal("30.00") == deposit.paid
    _balanced(app)


def test_what_is_left_of_a_deposit_is_returned_once(app, new_patient, new_ward, medicine):
    from app.ipd import services as ipd
    bed, = new_ward(beds=1)
    pid = new_patient()
    with app.app_context():
        admission = ipd.admit(_dhr(), pid, {"department": medicine(), "bed": bed}, None)
        billing.take_advance(_dhr(), pid, "5000", "cash", None, account=admission.account)
        db.session.commit()
        ipd.discharge(admission, {"discharge_type": "recovered"}, None)
        final = billing.bill_account(_dhr(), admission.account, "final", [], None)
        db.session.commit()
        account_id, due = admission.account_id, final.due
        assert due == 0  # the deposit covered the stay
    web = logged_in(app, "cashier.dhr")
    responses = race([lambda c=c: c.post(f"/cash/account/{account_id}/refund-deposit",
                                         data={"mode": "cash"}) for c in web])
    seen = statuses(responses)
    assert seen[302] == 1 and seen[422] == CLIENTS - 1, seen
    with app.app_context():
        returned = db.session.execute(select(Payment).join(Bill).where(
            Bill.account_id == account_id, Bill.kind == "advance",
            Payment.kind == "refund")).scalars().all()
        assert len(returned) == 1
    _balanced(app)


def test_sixteen_final_bills_of_one_stay_make_one(app, new_patient, new_ward, medicine):
    from app.ipd import services as ipd
    bed, = new_ward(beds=1)
    pid = new_patient()
    with app.app_context():
        admission = ipd.admit(_dhr(), pid, {"department": medicine(), "bed": bed}, None)
        ipd.discharge(admission, {"discharge_type": "recovered"}, None)
        account_id = admission.account_id
    web, rest = logged_in(app, "cashier.dhr", CLIENTS // 2), api_callers(app, "cashier.dhr",
                                                                         CLIENTS // 2)
    responses = race(
        [lambda c=c: c.post(f"/cash/account/{account_id}/bill", data={"stage": "final"})
         for c in web] +
        [lambda c=c: c("POST", "/api/v1/bill/", json={"patient": pid, "account": account_id,
                                                       "stage": "final"}) for c in rest])
    seen = statuses(responses)
    assert seen[302] + seen[201] == 1 and seen[422] == CLIENTS - 1, seen
    with app.app_context():
        finals = db.session.execute(select(Bill).where(Bill.account_id == account_id,
                                                       Bill.stage == "final")).scalars().all()
        assert len(finals) == 1
    _balanced(app)
