"""The nightly census command, and the synthetic admissions the benchmarks load."""
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.billing.models import Bill, BillLine, Charge
from app.core.formatting import IST
from app.core.models import Facility
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission


def test_post_bed_days_command_charges_each_night_once(app, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1, tariff="BED-ICU")
    with app.app_context():
        facility = db.session.query(Facility).filter_by(code="DHR").one()
        admission = ipd.admit(facility, new_patient(), {"department": medicine(), "bed": bed},
                              None, now=datetime.now(IST) - timedelta(days=2))
        account_id = admission.account_id
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["hmis", "post-bed-days"])
        assert result.exit_code == 0 and "bed-days charged" in result.output
    with app.app_context():
        nights = db.session.execute(select(func.sum(Charge.quantity)).where(
            Charge.account_id == account_id, Charge.code == "BED-ICU")).scalar()
        assert nights == Decimal("2.00")


def test_bench_data_admissions_are_consistent(app):
    runner = app.test_cli_runner()
    with app.app_context():
        before = db.session.execute(select(func.max(Admission.id))).scalar() or 0
    result = runner.invoke(args=["hmis", "bench-data", "160"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        made = db.session.execute(select(Admission).where(Admission.id > before)).scalars().all()
        assert len(made) >= 2 and f"{len(made)} admissions" in result.output
        for admission in made:
            assert admission.status == "discharged" and admission.account.settled_at
            bills = db.session.execute(select(Bill).where(
                Bill.account_id == admission.account_id)).scalars().all()
            assert bills[-1].stage == "final"
            for bill in bills:
                lines = db.session.execute(select(func.sum(BillLine.amount)).where(
                    BillLine.bill_id == bill.id)).scalar()
                assert bill.net == lines == bill.paid
            nights = db.session.execute(select(func.sum(Charge.quantity)).where(
                Charge.account_id == admission.account_id,
                Charge.kind == "bed_day")).scalar()
            stay = admission.discharged_at - admission.admitted_at
            assert nights == stay.days
