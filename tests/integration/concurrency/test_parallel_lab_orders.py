"""Parallel lab orders on PostgreSQL: order numbers never collide and leave no gaps, even
when an order refused for a test without a price rolls back its number."""
import uuid

from sqlalchemy import select

from app.core.models import Facility
from app.extensions import db
from app.lab import services as lab
from app.lab.models import LabOrder, LabTest
from app.registration import services as registration
from tests.integration.concurrency.conftest import CLIENTS, assert_gapless, run_parallel


def test_parallel_doctors_order_at_once_get_gapless_order_numbers(app):
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar()
        facility_id = facility.id
        patients = [registration.register_patient(
            {"name": f"Lab {n} {uuid.uuid4().hex[:4]}", "gender": "F", "age_years": "30"},
            facility, None).id for n in range(CLIENTS)]
        cbc = db.session.execute(select(LabTest.id).where(
            LabTest.facility_id == facility_id, LabTest.code == "CBC")).scalar()
        unpriced = LabTest(facility_id=facility_id, code=f"NP-{uuid.uuid4().hex[:6]}",
                           name_en="Unpriced", name_hi="बिना मूल्य", section="serology",
                           sample="blood", active=True)
        db.session.add(unpriced)
        db.session.commit()
        unpriced_id = unpriced.id

    def order(n):
        tests = [cbc, unpriced_id] if n == 0 else [cbc]  # the first is refused
        return lab.place_order(db.session.get(Facility, facility_id), patients[n],
                               {"tests": tests}, None).order_number

    try:
        outcomes = run_parallel(app, order)
    finally:
        with app.app_context():
            db.session.get(LabTest, unpriced_id).active = False
            db.session.commit()
    placed = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, dict)]
    assert len(placed) == CLIENTS - 1 and len(set(placed)) == CLIENTS - 1, outcomes
    assert len(refused) == 1 and set(refused[0]) == {"tests"}
    with app.app_context():
        every = db.session.execute(select(LabOrder.order_number).where(
            LabOrder.facility_id == facility_id)).scalars().all()
    assert_gapless(every)
