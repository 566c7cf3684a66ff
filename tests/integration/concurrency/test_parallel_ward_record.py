"""The ward's record written at once on PostgreSQL: a dose is marked once, the other nurses
told who marked it (never a 500, never two records); different doses of one patient all
land; a diagnosis stands once on a stay and its summary is one, however many doctors."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.models import Facility, utcnow
from app.extensions import db
from app.ipd import medication
from app.ipd import services as ipd
from app.ipd.models import MedicationAdministration, MedicationOrder
from tests.integration.concurrency.conftest import CLIENTS, logged_in, race, run_parallel


@pytest.fixture
def hourly_order(app, new_ward, new_patient, medicine):
    """An hourly order started a day ago for a patient admitted two days ago: its id and
    its doses of the last twelve hours."""
    bed, = new_ward(beds=1)
    pid = new_patient(gender="F")
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar()
        admission = ipd.admit(facility, pid, {"department": medicine(), "bed": bed}, None,
                              now=utcnow() - timedelta(days=2))
        order = medication.order(admission, {
            "drug_name": "Inj. Ceftriaxone 1 g", "dose": "1 g", "route": "IV",
            "frequency": "Q1H", "start_at": utcnow() - timedelta(days=1)}, None)
        now = utcnow()
        return order.id, medication.doses(order, now - timedelta(hours=12), now)


def _marks(app, order_id):
    with app.app_context():
        return db.session.execute(select(MedicationAdministration).where(
            MedicationAdministration.order_id == order_id,
            MedicationAdministration.voided_at.is_(None))).scalars().all()


def test_parallel_nurses_mark_the_same_dose_once(app, hourly_order):
    order_id, due = hourly_order

    def mark(n):
        return medication.administer(db.session.get(MedicationOrder, order_id),
                                     {"due_at": due[0], "outcome": "given"}, None).id

    outcomes = run_parallel(app, mark)
    won = [o for o in outcomes if isinstance(o, int)]
    lost = [o for o in outcomes if isinstance(o, dict)]
    assert len(won) == 1 and len(lost) == CLIENTS - 1, outcomes
    assert all(set(o) == {"due_at"} and "already marked" in str(o["due_at"]) for o in lost)
    assert [m.id for m in _marks(app, order_id)] == won


def test_parallel_nurses_mark_different_doses_of_one_patient_all_land(app, hourly_order):
    order_id, due = hourly_order
    assert len(due) >= CLIENTS - 4  # twelve hours of hourly doses

    def mark(n):
        return medication.administer(db.session.get(MedicationOrder, order_id),
                                     {"due_at": due[n % len(due)], "outcome": "given"},
                                     None).id

    outcomes = run_parallel(app, mark)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len(_marks(app, order_id)) == len(due)


@pytest.mark.both
def test_parallel_nurses_over_http_mark_a_dose_once_without_a_500(app, hourly_order):
    order_id, due = hourly_order
    clients = logged_in(app, "nurse.dhr")
    responses = race([lambda c=c: c.post(f"/ipd/mar/{order_id}", data={
        "due_at": due[-1].isoformat(), "outcome": "given"}) for c in clients])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [422] * (CLIENTS - 1), statuses
    assert len(_marks(app, order_id)) == 1


@pytest.fixture
def stay_and_doctor(app, new_ward, new_patient, medicine):
    from flask_appbuilder.security.sqla.models import User
    bed, = new_ward(beds=1)
    pid = new_patient(gender="M")
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar()
        admission = ipd.admit(facility, pid, {"department": medicine(), "bed": bed}, None)
        doctor = db.session.execute(select(User.id).where(User.username == "doctor.dhr")).scalar()
        return admission.id, doctor


def test_parallel_doctors_record_a_diagnosis_and_draft_the_summary_once(app, stay_and_doctor):
    """Half the clients add the same ICD-10 code, half save the first draft: one standing
    diagnosis, one summary; the others are told why, none fails."""
    from flask_appbuilder.security.sqla.models import User

    from app.ipd import summary
    from app.ipd.models import Admission, AdmissionDiagnosis, DischargeSummary
    admission_id, doctor_id = stay_and_doctor

    def act(n):
        admission, doctor = db.session.get(Admission, admission_id), db.session.get(User, doctor_id)
        if n % 2:
            return summary.add_diagnosis(admission, {"diagnosis": "A01.0"}, doctor).id
        return summary.save_summary(admission, {"course": f"draft {n}"}, doctor).id

    outcomes = run_parallel(app, act)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    refused = [o for o in outcomes if isinstance(o, dict)]
    assert len(refused) == CLIENTS // 2 - 1 and all(set(o) == {"diagnosis"} for o in refused)
    with app.app_context():
        assert len(db.session.execute(select(AdmissionDiagnosis.id).where(
            AdmissionDiagnosis.admission_id == admission_id)).scalars().all()) == 1
        assert len(db.session.execute(select(DischargeSummary.id).where(
            DischargeSummary.admission_id == admission_id)).scalars().all()) == 1
