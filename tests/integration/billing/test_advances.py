"""Advance deposits (IPD): taken and receipted like a bill, applied to the final bill,
the excess refunded with authorisation; day-end counts the money once."""
import re
from decimal import Decimal

from app.billing import dayend
from app.billing.models import Bill
from app.core.models import Facility
from app.core.numbering import ist_today
from app.extensions import db
from tests.conftest import DEMO_PASSWORD, person


def _bill_id(resp):
    return int(re.search(r"/cash/bill/(\d+)", resp.headers["Location"]).group(1))


def test_deposit_applied_to_final_bill_and_excess_refunded(api, as_user, app, make_user):
    cashier = make_user("Cashier", "RNC")
    pid = api("clerk.rnc")("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    counter = as_user(cashier)
    resp = counter.post(f"/cash/patient/{pid}/advance", data={
        "advance_amount": "500", "advance_mode": "cash", "advance_tendered": "500"})
    assert resp.status_code == 302
    deposit_id = _bill_id(resp)
    with app.app_context():
        deposit = db.session.get(Bill, deposit_id)
        assert deposit.kind == "advance" and deposit.status == "paid"
        assert re.fullmatch(r"RNC/20\d\d-\d\d/\d{6}", deposit.number)
    assert "₹500.00" in counter.get(f"/cash/patient/{pid}").get_data(as_text=True)
    # The final bill (services worth ₹100) is settled from the deposit.
    resp = counter.post(f"/cash/patient/{pid}/bill", data={
        "item_1": "OPD-NEW", "quantity_1": "10", "use_advance": "1"})
    assert resp.status_code == 302
    final_id = _bill_id(resp)
    with app.app_context():
        final = db.session.get(Bill, final_id)
        assert final.status == "paid" and [p.mode for p in final.payments] == ["advance"]
        assert db.session.get(Bill, deposit_id).applied == Decimal("100.00")
    receipt = counter.get(f"/print/receipt/{final_id}")
    assert receipt.status_code == 200
    # The ₹400 left is refunded, with a supervisor; not a rupee more.
    auth = {"auth_username": "supervisor.rnc", "auth_password": DEMO_PASSWORD}
    resp = counter.post(f"/cash/bill/{deposit_id}/refund", data={"amount": "401", "reason": "Discharged", **auth})
    assert resp.status_code == 422
    resp = counter.post(f"/cash/bill/{deposit_id}/refund", data={"amount": "400", "reason": "Discharged", **auth})
    assert resp.status_code == 302
    with app.app_context():
        from app.billing.services import advance_balance
        assert advance_balance(db.session.get(Bill, deposit_id).facility_id, pid) == 0
        fid = db.session.query(Facility).filter_by(code="RNC").one().id
        report = dayend.day_end(fid, ist_today())
        mine = [net for name, net in report.by_cashier.items() if f"({cashier})" in name]
        assert mine == [Decimal("100.00")]   # 500 in, 400 out; the ₹100 moved is not counted again
        assert report.advances_applied >= Decimal("100.00")


def test_cancelled_final_bill_returns_money_to_the_deposit(api, as_user, app, make_user):
    cashier = make_user("Cashier", "DHR")
    pid = api("clerk.dhr")("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    counter = as_user(cashier)
    deposit_id = _bill_id(counter.post(f"/cash/patient/{pid}/advance", data={
        "advance_amount": "50", "advance_mode": "upi", "advance_reference": "UPI-77"}))
    final_id = _bill_id(counter.post(f"/cash/patient/{pid}/bill", data={
        "item_1": "OPD-NEW", "quantity_1": "2", "use_advance": "1"}))
    auth = {"auth_username": "supervisor.dhr", "auth_password": DEMO_PASSWORD}
    resp = counter.post(f"/cash/bill/{deposit_id}/cancel", data={"reason": "x", **auth})
    assert resp.status_code == 422     # part of the deposit is used
    resp = counter.post(f"/cash/bill/{final_id}/cancel", data={"reason": "Billed twice", **auth})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Bill, deposit_id).applied == 0
        final = db.session.get(Bill, final_id)
        assert final.paid == 0 and [p.mode for p in final.payments if p.kind == "refund"] == ["advance"]


def test_advance_amount_must_be_valid(api, as_user, app):
    pid = api("clerk.dhr")("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    resp = as_user("cashier.dhr").post(f"/cash/patient/{pid}/advance", data={
        "advance_amount": "-100", "advance_mode": "cash"})
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.query(Bill).filter_by(patient_id=pid).count() == 0
