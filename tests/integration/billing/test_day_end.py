"""Day-end: figures that add up; exports; the cashier's shift close."""
import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from app.billing import dayend
from app.billing.models import CashierShift
from app.core.models import Facility
from app.core.numbering import ist_today
from app.extensions import db
from tests.conftest import DEMO_PASSWORD, denied, person


def _bill_and_pay(api, app, new_department, cashier, clerk="clerk.rnc", **pay):
    call = api(clerk)
    pid = call("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    call("POST", "/api/v1/opd_visit/", json={"patient": pid, "department": new_department("RNC")})
    with app.app_context():
        from app.billing.models import Charge
        charges = [c.id for c in db.session.query(Charge).filter_by(patient_id=pid, bill_id=None)]
    resp = api(cashier)("POST", "/api/v1/bill/", json={
        "patient": pid, "charges": charges, "items": [{"code": "OPD-FU", "quantity": "2"}],
        "payment": pay or {"mode": "cash", "amount": "20.00"}})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_sections_add_up(api, app, new_department, make_user, as_user):
    cashier = make_user("Cashier", "RNC")
    _bill_and_pay(api, app, new_department, cashier)
    _bill_and_pay(api, app, new_department, cashier, mode="upi", amount="20.00", reference="UPI-1")
    cancelled = _bill_and_pay(api, app, new_department, "cashier.rnc")
    resp = as_user("cashier.rnc").post(f"/cash/bill/{cancelled['id']}/cancel", data={
        "reason": "Duplicate bill", "auth_username": "supervisor.rnc",
        "auth_password": DEMO_PASSWORD})
    assert resp.status_code == 302
    with app.app_context():
        fid = db.session.query(Facility).filter_by(code="RNC").one().id
        report = dayend.day_end(fid, ist_today())
    assert report.net == sum(v[2] for v in report.by_mode.values())
    assert report.net == sum(report.by_cashier.values())
    assert report.billed == sum(report.by_kind.values()) - report.discounts
    # The OPD slip fees (new and follow-up) are registration income, not ₹0 of it.
    assert report.by_kind.get("registration", 0) >= Decimal("40.00")
    assert report.received - report.refunded == report.net
    assert any(number == cancelled["result"]["number"] for number, _n, _r in report.cancellations)
    assert any(number == cancelled["result"]["number"] for number, *_ in report.refunds)
    mine = [net for name, net in report.by_cashier.items() if f"({cashier})" in name]
    assert mine == [Decimal("40.00")]
    # Bill by bill: each of the day's bills with its patient, amounts, status and cashier.
    register = {row[0]: row for row in report.register}
    assert register[cancelled["result"]["number"]][6] == "cancelled"
    assert sum(1 for row in report.register if row[7] == cashier) == 2


def test_day_end_page_exports_and_pdf(as_user, api, app, new_department):
    _bill_and_pay(api, app, new_department, "cashier.rnc")
    supervisor = as_user("supervisor.rnc", lang="hi")
    page = supervisor.get("/day-end/")
    assert page.status_code == 200 and "माध्यम" in page.get_data(as_text=True)
    assert "hmis-bill-register" in page.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(supervisor.get("/day-end/csv").data.decode("utf-8-sig"))))
    assert rows[0] == ["section", "item", "amount", "extra"]
    total = [r for r in rows if r[:2] == ["total", "net collected"]][0]
    by_mode = sum(Decimal(r[2]) for r in rows if r[0] == "by mode")
    assert Decimal(total[2]) == by_mode
    book = load_workbook(io.BytesIO(supervisor.get("/day-end/xlsx").data))
    assert book.active["A1"].value == "section" and book.active.max_row == len(rows)
    pdf = supervisor.get("/print/day-end")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    auditor = as_user("auditor")
    assert denied(auditor.get("/day-end/close-shift"))


def test_cashier_closes_shift_with_difference(as_user, api, app, new_department, make_user):
    cashier = make_user("Cashier", "RNC")
    _bill_and_pay(api, app, new_department, cashier)                       # ₹20 cash
    _bill_and_pay(api, app, new_department, cashier, mode="card", amount="20.00",
                  reference="CARD-1")                                      # not cash
    client = as_user(cashier)
    page = client.get("/day-end/close-shift").get_data(as_text=True)
    # The first shift began with the first cash taken in, today, not "01-01-2000".
    assert "₹20.00" in page and "2000" not in page
    assert ist_today().strftime("%d-%m-%Y") in page
    resp = client.post("/day-end/close-shift", data={"declared_cash": "-1"})
    assert resp.status_code == 422
    resp = client.post("/day-end/close-shift", data={"declared_cash": "18.00", "note": "₹2 short"})
    assert resp.status_code == 302
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=cashier)
        shift = db.session.query(CashierShift).filter_by(cashier_id=user.id).one()
        assert (shift.system_cash, shift.declared_cash, shift.difference) == \
            (Decimal("20.00"), Decimal("18.00"), Decimal("-2.00"))
    # The next shift starts from zero.
    assert "₹0.00" in client.get("/day-end/close-shift").get_data(as_text=True)
