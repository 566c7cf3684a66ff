"""Parallel admissions on PostgreSQL: a bed goes to one patient only, and IPD numbers
never collide and leave no gaps, even when losers roll back."""
import time
import uuid

from sqlalchemy import select

from app.core.models import Department, Facility
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission, Bed, BedStay, Ward
from app.registration import services as registration
from tests.integration.concurrency.conftest import CLIENTS, assert_gapless, run_parallel

def _setup(app, beds):
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar()
        tag = uuid.uuid4().hex[:6].upper()
        ward = Ward(facility_id=facility.id, code=f"P{tag}", name_en="Parallel ward",
                    name_hi="समानांतर वार्ड", gender="", active=True)
        rows = [Bed(facility_id=facility.id, ward=ward, number=str(n), tariff_code="BED-GEN",
                    active=True) for n in range(beds)]
        db.session.add_all([ward, *rows])
        db.session.commit()
        patients = [registration.register_patient(
            {"name": f"Ward {n} {uuid.uuid4().hex[:4]}", "gender": "M", "age_years": "45"},
            facility, None).id for n in range(CLIENTS)]
        medicine = db.session.execute(select(Department.id).where(
            Department.facility_id == facility.id, Department.code == "MED")).scalar()
        return facility.id, [b.id for b in rows], patients, medicine


def test_parallel_nurses_admit_into_the_same_bed(app):
    facility_id, (bed,), patients, medicine = _setup(app, beds=1)

    def admit(n):
        return ipd.admit(db.session.get(Facility, facility_id), patients[n],
                         {"department": medicine, "bed": bed}, None).ipd_number

    outcomes = run_parallel(app, admit)
    won = [o for o in outcomes if isinstance(o, str)]
    lost = [o for o in outcomes if isinstance(o, dict)]
    assert len(won) == 1 and len(lost) == CLIENTS - 1, outcomes
    assert all(set(o) == {"bed"} for o in lost)
    with app.app_context():
        assert db.session.execute(select(BedStay.admission_id).where(
            BedStay.bed_id == bed, BedStay.to_at.is_(None))).scalars().all() != []
        assert len(db.session.execute(select(BedStay.id).where(
            BedStay.bed_id == bed)).scalars().all()) == 1


def test_parallel_nurses_admit_at_once_get_gapless_ipd_numbers(app):
    facility_id, beds, patients, medicine = _setup(app, beds=CLIENTS)

    def admit(n):
        return ipd.admit(db.session.get(Facility, facility_id), patients[n],
                         {"department": medicine, "bed": beds[n]}, None).ipd_number

    outcomes = run_parallel(app, admit)
    assert all(isinstance(o, str) for o in outcomes), outcomes
    assert len(set(outcomes)) == CLIENTS
    with app.app_context():
        every = db.session.execute(select(Admission.ipd_number).where(
            Admission.facility_id == facility_id)).scalars().all()
    assert_gapless(every)  # every admission of the facility, other tests' included


def test_a_bed_blocked_while_nurses_admit_is_either_blocked_or_occupied(app):
    """Half the clients admit into the bed, half block it: the bed ends up with one
    patient and free, or blocked and empty, never blocked with a patient in it."""
    facility_id, (bed,), patients, medicine = _setup(app, beds=1)

    def act(n):
        if n % 2:  # spread over the admissions' own time, so some block mid-admission
            time.sleep(0.004 * n)
            return ipd.set_bed_state(db.session.get(Bed, bed), "blocked", "Repair").state
        return ipd.admit(db.session.get(Facility, facility_id), patients[n],
                         {"department": medicine, "bed": bed}, None).ipd_number

    outcomes = run_parallel(app, act)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    with app.app_context():
        state = db.session.get(Bed, bed).state
        patients_in = db.session.execute(select(BedStay.admission_id).where(
            BedStay.bed_id == bed, BedStay.to_at.is_(None))).scalars().all()
        assert (state, len(patients_in)) in (("free", 1), ("blocked", 0)), (state, outcomes)
        admitted = [o for o in outcomes if isinstance(o, str) and o.startswith("DHR-IPD")]
        assert len(admitted) == len(patients_in)
