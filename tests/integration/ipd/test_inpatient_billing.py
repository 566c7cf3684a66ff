"""An admission's money: deposits tied to it, interim bills with the nights so far, the
final bill after discharge netting the deposits, the unused deposit returned."""
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from app.billing import dayend
from app.billing import services as billing
from app.billing.models import Bill
from app.core.base_views import DomainError
from app.core.formatting import IST
from app.core.models import Facility
from app.core.numbering import ist_today
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission
from tests.conftest import DEMO_PASSWORD


def _facility():
    return db.session.query(Facility).filter_by(code="DHR").one()


def _bill_id(resp):
    return int(re.search(r"/cash/bill/(\d+)", resp.headers["Location"]).group(1))


def counter_page(app, account_id):
    from tests.conftest import login
    client = app.test_client()
    login(client, "cashier.dhr")
    return client.get(f"/cash/account/{account_id}").get_data(as_text=True)


def _admit(app, bed, pid, medicine, days_ago=0):
    with app.app_context():
        admitted = datetime.now(IST) - timedelta(days=days_ago)
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": bed}, None,
                              now=admitted)
        return admission.id, admission.account_id


def test_deposit_interim_final_and_refund_at_the_counter(app, as_user, new_ward, new_patient,
                                                         medicine, make_user):
    bed, = new_ward(beds=1)
    pid = new_patient()
    admission_id, account_id = _admit(app, bed, pid, medicine, days_ago=3)
    counter = as_user(make_user("Cashier", "DHR"))
    # Scanning the admission slip's barcode (the IPD number) opens the patient.
    with app.app_context():
        number = db.session.get(Admission, admission_id).ipd_number
    resp = counter.get(f"/cash/?q={number}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/cash/patient/{pid}")
    page = counter.get(f"/cash/patient/{pid}").get_data(as_text=True)
    assert f"/cash/account/{account_id}" in page
    # A ₹1,000 deposit on admission, tied to it.
    resp = counter.post(f"/cash/patient/{pid}/advance", data={
        "account": account_id, "advance_amount": "1000", "advance_mode": "cash"})
    deposit_id = _bill_id(resp)
    # The final bill cannot come before discharge.
    resp = counter.post(f"/cash/account/{account_id}/bill", data={"stage": "final"})
    assert resp.status_code == 422 and "after discharge" in resp.get_data(as_text=True)
    # Interim bill: admission fee and the three nights so far, paid in cash.
    resp = counter.post(f"/cash/account/{account_id}/bill", data={
        "stage": "interim", "mode": "cash", "amount": "175"})
    assert resp.status_code == 302
    interim_id = _bill_id(resp)
    with app.app_context():
        interim = db.session.get(Bill, interim_id)
        assert interim.stage == "interim" and interim.account_id == account_id
        assert [(line.code, line.quantity) for line in interim.lines] == [
            ("ADM-FEE", Decimal("1.00")), ("BED-GEN", Decimal("3.00"))]
        assert interim.net == Decimal("175.00") and interim.status == "paid"
        # Nothing is pending now: the nights are charged once.
        assert billing.account_charges(interim.account) == []
    receipt = counter.get(f"/print/receipt/{interim_id}")
    assert receipt.status_code == 200
    # Discharged today: tonight is not a night in hospital, so nothing more for the bed;
    # the cashier adds a procedure to the final bill and the deposit pays it.
    nurse = as_user("nurse.dhr")
    assert nurse.post(f"/ipd/admission/{admission_id}/discharge",
                      data={"discharge_type": "recovered"}).status_code == 302
    resp = counter.post(f"/cash/account/{account_id}/bill", data={
        "stage": "final", "item_1": "BED-ICU", "quantity_1": "1"})
    assert resp.status_code == 302
    final_id = _bill_id(resp)
    with app.app_context():
        final = db.session.get(Bill, final_id)
        assert final.stage == "final" and final.status == "paid"
        assert [(p.mode, p.amount, p.reference) for p in final.payments] == [
            ("advance", Decimal("500.00"), db.session.get(Bill, deposit_id).number)]
        st = billing.statement(final.account)
        assert (st.charged, st.paid, st.deposit_left, st.due) == (
            Decimal("675.00"), Decimal("675.00"), Decimal("500.00"), Decimal("0.00"))
        assert final.account.settled_at is None   # ₹500 of the deposit is still held
    page = counter.get(f"/cash/bill/{final_id}").get_data(as_text=True)
    assert "Final bill" in page and f"/cash/account/{account_id}" in page
    assert counter.get(f"/print/receipt/{final_id}?size=thermal").status_code == 200
    # A second final bill is refused; the rest of the deposit goes back, no supervisor.
    resp = counter.post(f"/cash/account/{account_id}/bill", data={"stage": "final"})
    assert resp.status_code == 422 and "already made" in resp.get_data(as_text=True)
    resp = counter.post(f"/cash/account/{account_id}/refund-deposit", data={"mode": "cash"})
    assert resp.status_code == 302
    with app.app_context():
        account = db.session.get(Admission, admission_id).account
        assert account.settled_at is not None
        assert billing.advance_balance(account.facility_id, pid, account.id) == 0
        deposit = db.session.get(Bill, deposit_id)
        assert [(p.kind, p.amount) for p in deposit.payments] == [
            ("payment", Decimal("1000.00")), ("refund", Decimal("500.00"))]
    # Settled: no more deposits or bills on this admission.
    resp = counter.post(f"/cash/patient/{pid}/advance", data={
        "account": account_id, "advance_amount": "10", "advance_mode": "cash"})
    assert resp.status_code == 422
    assert counter.post(f"/cash/account/{account_id}/refund-deposit",
                        data={"mode": "cash"}).status_code == 422


def test_final_bill_collects_what_the_deposit_does_not_cover(app, new_ward, new_patient,
                                                             medicine):
    bed, = new_ward(beds=1, tariff="BED-PVT")
    pid = new_patient()
    admission_id, account_id = _admit(app, bed, pid, medicine, days_ago=2)
    with app.app_context():
        facility = _facility()
        account = db.session.get(Admission, admission_id).account
        billing.take_advance(facility, pid, "200", "upi", None, reference="UPI-1",
                             account=account)
        db.session.commit()
        ipd.discharge(db.session.get(Admission, admission_id), {"discharge_type": "recovered"},
                      None)
        final = billing.bill_account(facility, account, "final", [], None)
        db.session.commit()
        # ₹25 admission fee + 2 nights × ₹300, less the ₹200 deposit.
        assert (final.net, final.paid, final.due, final.status) == (
            Decimal("625.00"), Decimal("200.00"), Decimal("425.00"), "part_paid")
        assert account.settled_at is None
        final_id = final.id
    page = counter_page(app, account_id)
    assert "Collect on the final bill (₹425.00 due)" in page and 'value="final"' not in page
    with app.app_context():
        final = db.session.get(Bill, final_id)
        account = final.account
        billing.add_payment(final, "cash", "425", None)
        db.session.commit()
        assert account.settled_at is not None
        # Day-end shows bed-days as a service kind of their own.
        report = dayend.day_end(final.facility_id, ist_today())
        assert report.by_kind["bed_day"] >= Decimal("600.00")


def test_an_admissions_deposit_is_kept_for_that_admission(app, new_ward, new_patient,
                                                          medicine):
    bed, = new_ward(beds=1)
    pid = new_patient()
    admission_id, _ = _admit(app, bed, pid, medicine)
    with app.app_context():
        facility = _facility()
        account = db.session.get(Admission, admission_id).account
        billing.take_advance(facility, pid, "300", "cash", None, account=account)
        db.session.commit()
        # An OPD bill for the same patient does not eat into the admission's deposit.
        assert billing.advance_balance(facility.id, pid) == 0
        bill = billing.create_bill(facility, pid, [], [{"code": "OPD-NEW"}], None)
        assert billing.apply_advances(bill, None) == 0
        db.session.rollback()


def test_cancelling_the_final_bill_reopens_the_account(app, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1)
    pid = new_patient()
    admission_id, _ = _admit(app, bed, pid, medicine)
    with app.app_context():
        facility = _facility()
        admission = db.session.get(Admission, admission_id)
        ipd.discharge(admission, {"discharge_type": "recovered"}, None)
        final = billing.bill_account(facility, admission.account, "final", [], None)
        billing.add_payment(final, "cash", str(final.due), None)
        db.session.commit()
        assert admission.account.settled_at is not None
        with pytest.raises(DomainError):
            billing.bill_account(facility, admission.account, "final", [], None)
        billing.cancel_bill(final, "Wrong bed category",
                            ("supervisor.dhr", DEMO_PASSWORD), None)
        db.session.commit()
        assert admission.account.settled_at is None
        # Its items are pending again and go on the new final bill.
        again = billing.bill_account(facility, admission.account, "final", [], None)
        assert again.net == final.net
        db.session.rollback()


def test_interim_bill_after_discharge_is_refused(app, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1)
    admission_id, _ = _admit(app, bed, new_patient(), medicine)
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        ipd.discharge(admission, {"discharge_type": "recovered"}, None)
        with pytest.raises(DomainError) as err:
            billing.bill_account(_facility(), admission.account, "interim", [], None)
        assert "final bill" in err.value.errors["bill"]


def test_a_charge_after_the_final_bill_is_billed_at_the_counter(app, new_ward, new_patient,
                                                                medicine):
    bed, = new_ward(beds=1)
    pid = new_patient()
    admission_id, _ = _admit(app, bed, pid, medicine)
    with app.app_context():
        facility = _facility()
        admission = db.session.get(Admission, admission_id)
        ipd.discharge(admission, {"discharge_type": "recovered"}, None)
        billing.bill_account(facility, admission.account, "final", [], None)
        db.session.commit()
        late = billing.post_charge(facility.id, admission.patient, "late:ecg", "ECG", None,
                                   ist_today(), account=admission.account)
        db.session.commit()
        assert late.account_id is None
        assert late.id in [c.id for c in billing.pending_charges(facility.id, pid)]


def test_inpatient_billing_through_the_api(app, api, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1)
    pid, other = new_patient(), new_patient()
    admission_id, account_id = _admit(app, bed, pid, medicine, days_ago=1)
    call = api("cashier.dhr", lang="hi")
    resp = call("POST", "/api/v1/bill/", json={"patient": other, "account": account_id,
                                               "stage": "interim"})
    assert resp.status_code == 422 and "account" in resp.get_json()["message"]
    resp = call("POST", "/api/v1/bill/", json={
        "patient": pid, "account": account_id,
        "advance": {"amount": "1000", "mode": "upi", "reference": "UPI-55"}})
    assert resp.status_code == 201 and resp.get_json()["result"]["kind"] == "advance"
    resp = call("POST", "/api/v1/bill/", json={"patient": pid, "account": account_id,
                                               "stage": "final"})
    assert resp.status_code == 422
    assert "छुट्टी" in resp.get_json()["message"]["bill"][0]   # after discharge, in Hindi
    resp = call("POST", "/api/v1/bill/", json={"patient": pid, "account": account_id,
                                               "stage": "interim",
                                               "payment": {"mode": "cash", "amount": "75"}})
    assert resp.status_code == 201
    interim = resp.get_json()["result"]
    assert (interim["stage"], interim["net"], interim["status"]) == ("interim", "75.00", "paid")
    assert interim["account"]["reference"].startswith("DHR-IPD-")
    with app.app_context():
        ipd.discharge(db.session.get(Admission, admission_id), {"discharge_type": "recovered"},
                      None)
    resp = call("POST", "/api/v1/bill/", json={"patient": pid, "account": account_id,
                                               "stage": "final", "items": [{"code": "ECG"}]})
    assert resp.status_code == 201
    final = resp.get_json()["result"]
    assert (final["stage"], final["net"], final["paid"], final["status"]) == (
        "final", "50.00", "50.00", "paid")
