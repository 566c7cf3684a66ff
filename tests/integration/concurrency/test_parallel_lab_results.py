"""The lab on PostgreSQL under parallel hands: sample numbers gapless per facility and day
with 8 collectors at once; two technicians saving the same test's results at once: one
wins, the other is told it changed, and nothing is lost or doubled."""
import uuid

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import func, select

from app.billing import services as billing
from app.core.models import Facility
from app.extensions import db
from app.lab import results, samples, services as lab
from app.lab.models import LabOrder, LabOrderItem, LabResult, LabSample, LabTest
from app.registration import services as registration
from tests.integration.concurrency.conftest import race

COLLECTORS = 8


def _paid_order(facility, code="HB") -> int:
    patient = registration.register_patient(
        {"name": f"Lab {uuid.uuid4().hex[:6]}", "gender": "F", "age_years": "30"},
        facility, None)
    test = db.session.execute(select(LabTest.id).where(
        LabTest.facility_id == facility.id, LabTest.code == code)).scalar()
    order = lab.place_order(facility, patient.id, {"tests": [test]}, None)
    bill = billing.create_bill(facility, patient.id, [i.charge_id for i in order.items], [],
                               None)
    billing.add_payment(bill, "cash", str(sum(i.charge.amount for i in order.items)), None)
    db.session.commit()
    return order.id


def _in_threads(app, calls):
    def client(call):
        with app.app_context():
            try:
                return call()
            except Exception as exc:  # a refusal or a failure: the test looks at each
                db.session.rollback()
                return exc
            finally:
                db.session.remove()
    return race([lambda c=c: client(c) for c in calls])


def test_parallel_collectors_get_gapless_sample_numbers(app):
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar()
        orders = [_paid_order(facility) for _ in range(COLLECTORS)]
    outcomes = _in_threads(app, [
        lambda o=o: samples.collect(db.session.get(LabOrder, o), [], None)[0].sample_number
        for o in orders])
    assert all(isinstance(o, str) for o in outcomes), outcomes
    assert len(set(outcomes)) == COLLECTORS
    with app.app_context():
        prefix = outcomes[0][:-4]
        every = sorted(int(n[-4:]) for n in db.session.execute(select(
            LabSample.sample_number).where(LabSample.sample_number.like(f"{prefix}%"))).scalars())
    assert every == list(range(1, len(every) + 1))  # the day's numbers: 1..n, no gap


def test_two_technicians_saving_one_test_at_once(app):
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar()
        order_id = _paid_order(facility)
        sample = samples.collect(db.session.get(LabOrder, order_id), [], None)[0]
        samples.receive(facility.id, sample.sample_number, None)
        item_id = db.session.execute(select(LabOrderItem.id).where(
            LabOrderItem.order_id == order_id)).scalar()
        users = db.session.execute(select(User.id).where(
            User.username.in_(["labtech.dhr", "pathologist.dhr"]))).scalars().all()

    def save(user_id, value):
        item = results.item_for_entry(item_id)
        results.enter(item, {"HB": {"value": value}}, user_id, revision=0)
        return value
    outcomes = _in_threads(app, [lambda: save(users[0], "11.0"),
                                 lambda: save(users[1], "12.0")])
    won = [o for o in outcomes if isinstance(o, str)]
    lost = [o for o in outcomes if isinstance(o, results.Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "Someone else saved" in lost[0].errors["revision"]
    with app.app_context():
        rows = db.session.execute(select(LabResult.value, LabResult.version).where(
            LabResult.item_id == item_id)).all()
        assert rows == [(won[0], 1)]
        assert db.session.get(LabOrderItem, item_id).revision == 1
        assert db.session.scalar(select(func.count()).select_from(LabResult).where(
            LabResult.item_id == item_id)) == 1
