"""The cash counter as a cashier uses it, and the bad input it must refuse."""
import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from app.billing import services
from app.billing.models import Bill, Charge, Tariff
from app.core.models import AuditLog, Facility
from app.extensions import db
from tests.conftest import DEMO_PASSWORD, denied, person

IST = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def visit_patient(api, new_department):
    """A DHR patient with an OPD visit today (so a ₹10 OPD fee is pending)."""
    def make(**over):
        call = api("clerk.dhr")
        pid = call("POST", "/api/v1/patient/", json=person(confirm_new=True, **over)).get_json()["id"]
        resp = call("POST", "/api/v1/opd_visit/", json={"patient": pid,
                                                        "department": new_department()})
        assert resp.status_code == 201, resp.get_json()
        return pid
    return make


def _pending(app, pid):
    with app.app_context():
        return [c.id for c in db.session.query(Charge).filter_by(patient_id=pid, bill_id=None)]


def _bill_id(resp):
    return int(re.search(r"/cash/bill/(\d+)", resp.headers["Location"]).group(1))


def test_opd_fee_is_pending_with_its_exemption(app, visit_patient):
    pid = visit_patient()
    with app.app_context():
        (charge,) = db.session.query(Charge).filter_by(patient_id=pid).all()
        assert charge.amount == Decimal("10.00") and charge.scheme_en is None


def test_collect_opd_fee_in_cash_with_change_and_print_receipt(as_user, app, visit_patient):
    pid = visit_patient()
    cashier = as_user("cashier.dhr")
    page = cashier.get(f"/cash/patient/{pid}").get_data(as_text=True)
    assert "OPD registration (new)" in page
    resp = cashier.post(f"/cash/patient/{pid}/bill", data={
        "charge": _pending(app, pid), "mode": "cash", "amount": "10", "tendered": "50"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    bill_id = _bill_id(resp)
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        assert re.fullmatch(r"DHR/20\d\d-\d\d/\d{6}", bill.number)
        assert bill.status == "paid" and bill.paid == Decimal("10.00")
        (payment,) = bill.payments
        assert payment.change_due == Decimal("40.00") and payment.tendered == Decimal("50.00")
        assert db.session.query(Charge).filter_by(patient_id=pid, bill_id=None).count() == 0
    for size in ("a5", "thermal"):
        pdf = cashier.get(f"/print/receipt/{bill_id}?size={size}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Rupees Ten Only" in text and "REPRINT" in text   # the second print says so


def test_part_payment_then_upi_and_manual_items(as_user, app, visit_patient):
    pid = visit_patient()
    cashier = as_user("cashier.dhr")
    resp = cashier.post(f"/cash/patient/{pid}/bill", data={
        "charge": _pending(app, pid), "item_1": "OPD-FU", "quantity_1": "3",
        "mode": "cash", "amount": "5"})
    bill_id = _bill_id(resp)
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        assert bill.gross == Decimal("25.00") == sum(line.amount for line in bill.lines)
        assert bill.status == "part_paid" and bill.due == Decimal("20.00")
    resp = cashier.post(f"/cash/bill/{bill_id}/pay", data={"mode": "upi", "amount": "20"})
    assert resp.status_code == 422 and "reference" in resp.get_data(as_text=True)
    resp = cashier.post(f"/cash/bill/{bill_id}/pay", data={"mode": "upi", "amount": "20",
                                                           "reference": "UPI/4471/8821"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Bill, bill_id).status == "paid"


@pytest.mark.parametrize("amount,fragment", [
    ("-5", "more than zero"), ("abc", "rupees"), ("10.005", "two decimals"), ("0", "more than zero"),
    ("11", "More than the amount due"),
])
def test_bad_amounts_refused_nothing_saved(as_user, app, visit_patient, amount, fragment):
    pid = visit_patient()
    with app.app_context():
        bills = db.session.query(Bill).count()
    resp = as_user("cashier.dhr").post(f"/cash/patient/{pid}/bill", data={
        "charge": _pending(app, pid), "mode": "cash", "amount": amount})
    assert resp.status_code == 422 and fragment in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Bill).count() == bills
        assert len(_pending(app, pid)) == 1


def test_discount_needs_supervisor_and_cannot_exceed_total(as_user, app, visit_patient):
    pid = visit_patient()
    cashier = as_user("cashier.dhr")
    base = {"charge": _pending(app, pid), "item_1": "OPD-NEW", "discount": "5",
            "discount_reason": "Poor patient, no card"}
    resp = cashier.post(f"/cash/patient/{pid}/bill", data=dict(base))
    assert resp.status_code == 422 and "supervisor" in resp.get_data(as_text=True)
    resp = cashier.post(f"/cash/patient/{pid}/bill", data=dict(
        base, auth_username="supervisor.rnc", auth_password=DEMO_PASSWORD))
    assert resp.status_code == 422          # a supervisor of another facility cannot
    resp = cashier.post(f"/cash/patient/{pid}/bill", data=dict(
        base, discount="25", auth_username="supervisor.dhr", auth_password=DEMO_PASSWORD))
    assert resp.status_code == 422 and "more than the total" in resp.get_data(as_text=True)
    resp = cashier.post(f"/cash/patient/{pid}/bill", data=dict(
        base, auth_username="supervisor.dhr", auth_password=DEMO_PASSWORD))
    assert resp.status_code == 302
    with app.app_context():
        bill = db.session.get(Bill, _bill_id(resp))
        assert bill.net == Decimal("15.00") and bill.discount_authorised_by_id is not None
        refused = db.session.query(AuditLog).filter_by(action="auth_refused").count()
        assert refused >= 2


def test_cancel_keeps_number_refunds_and_frees_charges(as_user, app, visit_patient):
    pid = visit_patient()
    cashier = as_user("cashier.dhr")
    bill_id = _bill_id(cashier.post(f"/cash/patient/{pid}/bill", data={
        "charge": _pending(app, pid), "mode": "cash", "amount": "10"}))
    with app.app_context():
        number = db.session.get(Bill, bill_id).number
    resp = cashier.post(f"/cash/bill/{bill_id}/cancel", data={"reason": "Wrong patient"})
    assert resp.status_code == 422
    resp = cashier.post(f"/cash/bill/{bill_id}/cancel", data={
        "reason": "Wrong patient", "auth_username": "supervisor.dhr",
        "auth_password": DEMO_PASSWORD})
    assert resp.status_code == 302
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        assert bill.status == "cancelled" and bill.number == number and bill.paid == 0
        assert [(p.kind, p.amount) for p in bill.payments] == [("payment", Decimal("10.00")),
                                                               ("refund", Decimal("10.00"))]
    assert len(_pending(app, pid)) == 1                        # can be billed again
    resp = cashier.post(f"/cash/bill/{bill_id}/pay", data={"mode": "cash", "amount": "10"})
    assert resp.status_code == 422 and "cancelled" in resp.get_data(as_text=True)
    receipt = cashier.get(f"/print/receipt/{bill_id}")
    assert "CANCELLED" in PdfReader(io.BytesIO(receipt.data)).pages[0].extract_text()


def test_refund_never_above_paid_and_settled_bill_takes_no_more(as_user, app, visit_patient):
    pid = visit_patient()
    cashier = as_user("cashier.dhr")
    bill_id = _bill_id(cashier.post(f"/cash/patient/{pid}/bill", data={
        "charge": _pending(app, pid), "mode": "cash", "amount": "10"}))
    resp = cashier.post(f"/cash/bill/{bill_id}/pay", data={"mode": "cash", "amount": "1"})
    assert resp.status_code == 422 and "settled" in resp.get_data(as_text=True)
    auth = {"auth_username": "supervisor.dhr", "auth_password": DEMO_PASSWORD}
    resp = cashier.post(f"/cash/bill/{bill_id}/refund", data={
        "act": "refund", "amount": "11", "reason": "Fee charged twice", **auth})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "more than was paid" in page
    # The refused form keeps what was typed (not the password), open; reloading the page
    # goes back to the bill rather than answering 405.
    assert 'value="Fee charged twice"' in page
    assert DEMO_PASSWORD not in page and '<details class="hmis-cancel" open' in page
    reload = cashier.get(f"/cash/bill/{bill_id}/refund")
    assert reload.status_code == 302 and reload.headers["Location"].endswith(f"/cash/bill/{bill_id}")
    # The supervisor's password was right: the form carries their authorisation, so the
    # corrected refund goes through without them typing it again.
    assert "hmis-authorised" in page and 'name="auth_username" value="@authorised"' in page
    carried = re.search(r'name="auth_password" value="([^"]+)"', page).group(1)
    forged = cashier.post(f"/cash/bill/{bill_id}/cancel", data={
        "act": "cancel", "reason": "x", "auth_username": "@authorised", "auth_password": carried})
    assert forged.status_code == 422 and "run out" in forged.get_data(as_text=True)  # not this act
    resp = cashier.post(f"/cash/bill/{bill_id}/refund", data={
        "amount": "4", "reason": "Fee charged twice", "auth_username": "@authorised",
        "auth_password": carried})
    assert resp.status_code == 302
    # A refund is taken off the bill: a settled bill stays settled and owes nothing, and the
    # screen and the receipt say what was refunded.
    with app.app_context():
        bill = db.session.get(Bill, bill_id)
        assert (bill.paid, bill.refunded, bill.due, bill.status) == (
            Decimal("6.00"), Decimal("4.00"), Decimal("0.00"), "paid")
    page = cashier.get(f"/cash/bill/{bill_id}").get_data(as_text=True)
    assert "hmis-refunded" in page and "− ₹4.00" in page
    resp = cashier.post(f"/cash/bill/{bill_id}/pay", data={"mode": "cash", "amount": "1"})
    assert resp.status_code == 422 and "settled" in resp.get_data(as_text=True)
    receipt = cashier.get(f"/print/receipt/{bill_id}?size=a5")
    text = PdfReader(io.BytesIO(receipt.data)).pages[0].extract_text()
    assert "Cashier: Cashier DHR" in text   # the receipt names who took the money
    assert "Refunded (taken o" in text and re.search(r"Balance due\s*0\.00", text)


def test_other_facility_and_roles(as_user, api, app, visit_patient):
    pid = visit_patient()
    assert as_user("cashier.rnc").get(f"/cash/patient/{pid}").status_code == 404
    resp = api("cashier.rnc")("POST", "/api/v1/bill/", json={"patient": pid,
                                                              "charges": _pending(app, pid)})
    assert resp.status_code == 422 and "patient" in resp.get_json()["message"]
    assert denied(as_user("clerk.dhr").get("/cash/"))


def test_api_bill_and_payment(api, app, visit_patient):
    pid = visit_patient()
    call = api("cashier.dhr")
    resp = call("POST", "/api/v1/bill/", json={"patient": pid, "charges": _pending(app, pid)})
    assert resp.status_code == 201, resp.get_json()
    bill = resp.get_json()
    assert bill["result"]["status"] == "unpaid"
    resp = call("POST", "/api/v1/payment/", json={"bill": bill["id"], "mode": "card",
                                                  "amount": "10.00", "reference": "CARD-99"})
    assert resp.status_code == 201
    assert call("GET", f"/api/v1/bill/{bill['id']}").get_json()["result"]["status"] == "paid"
    assert call("PUT", f"/api/v1/bill/{bill['id']}", json={"net": "0"}).status_code in (404, 405)
    resp = call("POST", "/api/v1/payment/", json={"bill": bill["id"], "mode": "cash",
                                                  "amount": "1"})
    assert resp.status_code == 422
    rnc_rows = api("cashier.rnc")("GET", "/api/v1/bill/?q=(page_size:100)").get_json()["result"]
    assert bill["id"] not in [row["id"] for row in rnc_rows]


def test_financial_year_rollover_by_ist_date(app):
    with app.app_context():
        facility = db.session.query(Facility).filter_by(code="RNC").one()
        from app.registration import services as registration
        patient = registration.register_patient(
            {"name": "Rollover Test", "gender": "M", "age_years": "40"}, facility, None)
        before = datetime(2027, 3, 31, 23, 59, tzinfo=IST)
        after = datetime(2027, 4, 1, 0, 0, tzinfo=IST)
        first = services.create_bill(facility, patient.id, [], [{"code": "OPD-NEW"}], None,
                                     now=before)
        second = services.create_bill(facility, patient.id, [], [{"code": "OPD-NEW"}], None,
                                      now=after)
        db.session.commit()
        assert first.number.startswith("RNC/2026-27/") and first.financial_year == "2026-27"
        assert second.number.startswith("RNC/2027-28/") and second.financial_year == "2027-28"
        # The new year's series is its own: numbered from 1, whatever 2026-27 has reached.
        in_new_year = db.session.query(Bill).filter_by(facility_id=facility.id,
                                                       financial_year="2027-28").count()
        assert int(second.number.rsplit("/", 1)[1]) == in_new_year


def test_overlapping_tariff_refused(as_user, app):
    supervisor = as_user("supervisor.dhr")
    with app.app_context():
        fid = db.session.query(Facility).filter_by(code="DHR").one().id
        before = db.session.query(Tariff).count()
    resp = supervisor.post("/tariffview/add", data={
        "facility": fid, "code": "OPD-NEW", "name_en": "OPD new (revised)", "name_hi": "ओपीडी नया",
        "kind": "consultation", "price": "20", "valid_from": "2026-12-01"})
    assert resp.status_code == 200 and "Another price" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Tariff).count() == before


def test_category_price_and_exemption_apply_to_counter_items(as_user, api, app):
    """A service can cost a patient category a different price; exempt categories pay
    nothing for counter items too, with the scheme on the line."""
    from datetime import date

    from app.billing.models import TariffPrice
    from app.registration.models import PatientCategory
    with app.app_context():
        fid = db.session.query(Facility).filter_by(code="RNC").one().id
        tariff = Tariff(facility_id=fid, code="XRAY-CH", kind="procedure", name_en="X-ray chest",
                        name_hi="छाती का एक्स-रे", price=Decimal("100.00"),
                        valid_from=date(2026, 4, 1))
        db.session.add(tariff)
        db.session.flush()
        db.session.add(TariffPrice(facility_id=fid, tariff_id=tariff.id, category_code="GEN",
                                   price=Decimal("70.00")))
        bpl = db.session.query(PatientCategory).filter_by(facility_id=fid, code="BPL").one().id
        db.session.commit()
    call = api("clerk.rnc")
    general = call("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    poor = call("POST", "/api/v1/patient/", json=person(confirm_new=True, category=bpl,
                                                        card_number="JH-BPL-7781")).get_json()["id"]
    cashier = as_user("cashier.rnc")
    lines = {}
    for pid in (general, poor):
        resp = cashier.post(f"/cash/patient/{pid}/bill", data={"item_1": "XRAY-CH", "quantity_1": "2"})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
        with app.app_context():
            (line,) = db.session.get(Bill, _bill_id(resp)).lines
            lines[pid] = (line.unit_price, line.amount, line.scheme_en)
    assert lines[general] == (Decimal("70.00"), Decimal("140.00"), None)
    assert lines[poor] == (Decimal("100.00"), Decimal("0.00"), "BPL free treatment")


def test_a_cancelled_bill_is_refunded_in_the_modes_it_was_paid_in(app, new_patient):
    pid = new_patient()
    with app.app_context():
        facility = db.session.query(Facility).filter_by(code="DHR").one()
        bill = services.create_bill(facility, pid, [], [{"code": "ECG"}, {"code": "DRESSING"}],
                                    None)
        services.add_payment(bill, "upi", "50", None, reference="UPI-9")
        services.add_payment(bill, "cash", "20", None)
        services.cancel_bill(bill, "Duplicate", ("supervisor.dhr", DEMO_PASSWORD), None)
        db.session.commit()
        refunds = sorted((p.mode, p.amount) for p in bill.payments if p.kind == "refund")
        assert refunds == [("cash", Decimal("20.00")), ("upi", Decimal("50.00"))]
