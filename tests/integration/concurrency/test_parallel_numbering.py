"""Parallel clerks on PostgreSQL: UHIDs and tokens never collide and leave no gaps."""
import threading
import uuid

from sqlalchemy import select

from app.core.models import Department, Facility
from app.extensions import db
from app.opd import services as opd
from app.registration import services as registration
from app.registration.models import Patient
from tests.integration.concurrency.conftest import CLIENTS, race

def _run_parallel(app, work, per_client):
    """work(n, i) for i < per_client in each of CLIENTS threads started at once."""
    def client(n):
        with app.app_context():
            try:
                for i in range(per_client):
                    work(n, i)
            finally:
                db.session.remove()
    outcomes = race([lambda n=n: client(n) for n in range(CLIENTS)])
    assert all(o is None for o in outcomes), outcomes


def test_parallel_clerks_register_200_patients_each(app):
    with app.app_context():
        facility_id = db.session.execute(select(Facility.id).where(Facility.code == "DHR")).scalar()
    uhids = []
    lock = threading.Lock()

    def register(n, i):
        facility = db.session.get(Facility, facility_id)
        patient = registration.register_patient(
            {"name": f"Parallel {n} {i} {uuid.uuid4().hex[:4]}", "gender": "F",
             "age_years": "30"}, facility, None)
        with lock:
            uhids.append(patient.uhid)

    _run_parallel(app, register, 200)
    assert len(uhids) == CLIENTS * 200 == len(set(uhids))
    with app.app_context():
        every = db.session.execute(select(Patient.uhid).where(
            Patient.facility_id == facility_id)).scalars().all()
    by_year = {}
    for uhid in every:
        _code, yy, seq = uhid.split("-")
        by_year.setdefault(yy, []).append(int(seq))
    for seqs in by_year.values():  # the whole series, other tests' patients included
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_parallel_clerks_issue_tokens_for_one_department(app):
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "RNC")).scalar()
        dept = Department(facility_id=facility.id, code="P" + uuid.uuid4().hex[:6].upper(),
                          name_en="Parallel OPD", name_hi="समानांतर ओपीडी", is_clinical=True,
                          active=True)
        db.session.add(dept)
        db.session.commit()
        dept_id, facility_id = dept.id, facility.id
        patient_ids = []
        for n in range(CLIENTS * 25):
            patient = registration.register_patient(
                {"name": f"Token {n} {uuid.uuid4().hex[:4]}", "gender": "M", "age_years": "40"},
                db.session.get(Facility, facility_id), None)
            patient_ids.append(patient.id)
    tokens, lock = [], threading.Lock()

    def issue(n, i):
        visit = opd.revisit(patient_ids[n * 25 + i], facility_id, dept_id, None, "NEW")
        with lock:
            tokens.append(visit.token)

    _run_parallel(app, issue, 25)
    assert sorted(tokens) == list(range(1, CLIENTS * 25 + 1))


def test_parallel_cashiers_bill_at_once(app):
    from app.billing import services as billing
    from app.billing.models import Bill
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar()
        facility_id = facility.id
        patient = registration.register_patient(
            {"name": f"Billing {uuid.uuid4().hex[:4]}", "gender": "F", "age_years": "50"},
            facility, None)
        patient_id = patient.id
    numbers, lock = [], threading.Lock()

    def bill(n, i):
        made = billing.create_bill(db.session.get(Facility, facility_id), patient_id, [],
                                   [{"code": "OPD-NEW", "quantity": "1"}], None)
        billing.add_payment(made, "cash", made.net, None)
        db.session.commit()
        with lock:
            numbers.append(made.number)

    _run_parallel(app, bill, 25)
    assert len(numbers) == len(set(numbers)) == CLIENTS * 25
    with app.app_context():
        every = db.session.execute(select(Bill.number).where(
            Bill.facility_id == facility_id)).scalars().all()
    by_year = {}
    for number in every:
        _code, fy, seq = number.split("/")
        by_year.setdefault(fy, []).append(int(seq))
    for seqs in by_year.values():  # every bill of the facility, other tests' included
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
