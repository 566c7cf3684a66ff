"""Lab helpers: tests by code, an order paid at the counter, a value each analyte takes
as normal for the patient."""
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.billing import services as billing
from app.core.models import Facility
from app.extensions import db
from app.lab import judging, results
from app.lab.models import LabOrder, LabOrderItem, LabTest


def facility(code="DHR"):
    return db.session.query(Facility).filter_by(code=code).one()


def test_ids(app, *codes, facility_code="DHR"):
    with app.app_context():
        ids = dict(db.session.execute(select(LabTest.code, LabTest.id).where(
            LabTest.facility_id == facility(facility_code).id, LabTest.code.in_(codes))).all())
        return [ids[c] for c in codes]


def order_id_of(resp):
    return int(re.search(r"/lab/order/(\d+)", resp.headers["Location"]).group(1))


def normal_value(analyte: LabTest, sex="F", age_days=34 * 365) -> str:
    """A value inside the patient's reference range (or a normal choice)."""
    if analyte.result_type in ("choice", "titre"):
        return (analyte.normal_list or analyte.choice_list)[0]
    if analyte.result_type == "text":
        return "NAD"
    low, high = judging.reference_range(analyte.ranges, sex, age_days)
    if low is not None and high is not None:
        value = (low + high) / 2
    elif high is not None:
        value = high * Decimal("0.8")
    elif low is not None:
        value = low * Decimal("1.2")
    else:
        value = Decimal(1)
    return f"{value:.{analyte.decimals or 0}f}"


@pytest.fixture
def lab_order(app, new_patient, as_user):
    """lab_order("CBC", "KFT", paid=True) → (order id, patient id), ordered by the doctor
    (and paid at the counter)."""
    def make(*codes, paid=True, patient=None, **over):
        pid = patient or new_patient(**over)
        resp = as_user("doctor.dhr").post("/lab/order", data={
            "patient": pid, "tests": test_ids(app, *codes)})
        order_id = order_id_of(resp)
        if paid:
            with app.app_context():
                order = db.session.get(LabOrder, order_id)
                charges = [i.charge_id for i in order.items]
                total = sum(i.charge.amount for i in order.items)
                bill = billing.create_bill(facility(), pid, charges, [], None)
                billing.add_payment(bill, "cash", str(total), None)
                db.session.commit()
        return order_id, pid
    return make


def items_of(app, order_id) -> dict:
    """{test code: order item id}"""
    with app.app_context():
        return {i.test.code: i.id for i in db.session.get(LabOrder, order_id).items}


def analytes_of(app, item_id) -> list:
    with app.app_context():
        item = results.item_for_entry(item_id)
        return [(a.code, normal_value(a)) for a in results.analytes(item.test)]


def item_state(app, item_id):
    with app.app_context():
        item = db.session.get(LabOrderItem, item_id)
        return item.status, item.revision
