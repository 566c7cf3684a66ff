"""OPD acts: open a visit (token + fee) for a patient, alone or with a new registration."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.billing.services import NoTariff, post_charge
from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.models import Department, Facility
from app.core.numbering import ist_today, next_number
from app.extensions import db
from app.registration import services as registration
from app.registration.models import Patient

from .models import OPEN_STATUSES, VISIT_TYPES, OpdVisit

FEE_CODES = {"NEW": "OPD-NEW", "FU": "OPD-FU"}


def facility_department(facility_id: int, department_id) -> Department | None:
    """The facility's active department with this id (as typed or posted), else None."""
    try:
        department_id = int(getattr(department_id, "id", department_id))
    except (TypeError, ValueError):
        return None
    dept = db.session.get(Department, department_id)
    if dept is None or dept.facility_id != facility_id or not dept.active:
        return None
    return dept


def add_visit(patient: Patient, department_id, visit_type: str = "NEW", user_id=None,
              doctor_id=None, room: str | None = None, today: date | None = None) -> OpdVisit:
    """Stage a visit in the current transaction: token, fee and exemption (no commit)."""
    # Lookups must not flush a patient being registered in the same act: everything
    # is written once, at commit.
    with db.session.no_autoflush:
        return _add_visit(patient, department_id, visit_type, user_id, doctor_id, room,
                          today or ist_today())


def _add_visit(patient, department_id, visit_type, user_id, doctor_id, room, today):
    errors = {}
    dept = facility_department(patient.facility_id, department_id)
    if dept is None:
        errors["department"] = _("Choose a department of this facility.")
    elif not dept.is_clinical:
        errors["department"] = _("OPD visits are only for clinical departments.")
    if visit_type not in VISIT_TYPES:
        errors["visit_type"] = _("Choose new or follow-up.")
    if room and len(room) > 20:
        errors["room"] = _("Must be at most %(n)s characters.", n=20)
    # One open visit per patient, department and day: the patient's row is locked, so
    # a second clerk issuing the same token waits and then finds the first one's visit
    # (a partial unique index backs this up).
    lock(patient)
    ids = registration.record_ids(patient)
    if not errors and ids:
        existing = db.session.execute(select(OpdVisit).where(
            OpdVisit.patient_id.in_(ids),
            OpdVisit.department_id == dept.id, OpdVisit.visit_date == today,
            OpdVisit.status.in_(OPEN_STATUSES)).order_by(OpdVisit.id).limit(1)).scalar()
        if existing is not None:
            errors["department"] = _("This patient already has token %(token)s in this "
                                     "department today.", token=existing.token)
    if errors:
        raise DomainError(errors)
    token = next_number(db.session, patient.facility_id, f"token:{dept.id}", today.isoformat())
    try:  # the fee goes to the cash counter as a charge, exempted by category
        fee = post_charge(patient.facility_id, patient, f"opd:{dept.id}:{today}:{token}",
                          FEE_CODES[visit_type],
                          patient.category.code if patient.category else None, today)
    except NoTariff:
        raise DomainError({"visit_type": _("No OPD fee is set for this facility; ask the "
                                           "supervisor to add the tariff.")}) from None
    visit = OpdVisit(facility_id=patient.facility_id, patient=patient,
                     department_id=dept.id, doctor_id=doctor_id, room=room,
                     visit_type=visit_type, visit_date=today, token=token, status="waiting",
                     fee_code=fee.code, fee_amount=fee.amount, fee_exempt=fee.scheme_en is not None,
                     exemption_scheme=fee.scheme_en, exemption_scheme_hi=fee.scheme_hi,
                     created_by_id=user_id)
    patient.last_visit_on = today
    db.session.add(visit)
    return visit


def register_with_visit(data: dict, facility: Facility, department_id, user_id,
                        visit_type: str = "NEW",
                        check_duplicates: bool = False) -> tuple[OpdVisit, list]:
    """The registration counter's one act: new patient, their visit, ready to print.
    With check_duplicates, raises registration.PossibleDuplicates instead of
    registering someone who may be on record already."""
    try:
        patient, warnings = registration.add_patient(data, facility, user_id,
                                                     check_duplicates=check_duplicates)
        visit = add_visit(patient, department_id, visit_type, user_id)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return visit, warnings


def revisit(patient_id: int, facility_id: int, department_id, user_id,
            visit_type: str = "FU") -> OpdVisit:
    patient = db.session.get(Patient, patient_id)
    if patient is None or patient.facility_id != facility_id:
        raise DomainError({"patient": _("No such record.")})
    patient = registration.resolve(patient)
    try:
        visit = add_visit(patient, department_id, visit_type, user_id)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return visit


def visit_for_print(visit_id: int) -> OpdVisit | None:
    """The visit with what a slip shows (patient with village, district and category,
    department, facility) loaded in one statement."""
    from sqlalchemy.orm import joinedload
    patient = joinedload(OpdVisit.patient)
    return db.session.execute(
        select(OpdVisit).where(OpdVisit.id == visit_id).options(
            patient.joinedload(Patient.village), patient.joinedload(Patient.district),
            patient.joinedload(Patient.category),
            joinedload(OpdVisit.department),
            joinedload(OpdVisit.facility))).unique().scalar_one_or_none()


def staff_profile(user_id: int):
    from app.core.models import StaffProfile
    return db.session.execute(select(StaffProfile).where(
        StaffProfile.user_id == user_id)).scalar_one_or_none()
