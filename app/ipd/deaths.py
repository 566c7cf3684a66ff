"""Deaths and medico-legal cases on the ward.

A death is recorded by a doctor as the Medical Certificate of Cause of Death (Form 4)
asks: the time (during the stay, not in the future), part I's chain of causes from the
immediate one back to the underlying one (its ICD-10 code required), part II's other
conditions, the manner of death. Recording it ends the stay in the same transaction
(discharge type "death": the bed to cleaning, the nights charged, the account closed).
The body's handing over (to whom, relation, when) is recorded after.

An MLC admission carries the police station informed, its general diary (GD/DD) entry,
who brought the patient and the injuries noted: the MLC register lists them."""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.formatting import aware
from app.core.input_guard import stripped
from app.core.models import utcnow
from app.extensions import db
from app.opd.consultation import icd10_named

from .models import MANNERS, Admission, DeathRecord, MedicoLegalCase
from .notes import is_doctor
from .services import _admitted, _utc, discharge_time, leave_hospital

CAUSES = ("cause_a", "cause_b", "cause_c")
INTERVALS = ("interval_a", "interval_b", "interval_c")


def record_death(admission: Admission, data: dict, user, now: datetime | None = None
                 ) -> DeathRecord:
    """{"died_at" (aware), "cause_a" (immediate cause, required), "interval_a", "cause_b",
    "interval_b", "cause_c", "interval_c", "underlying" (ICD-10 box), "other_conditions",
    "manner"}: the death certified and the stay ended. Commits."""
    _admitted(admission)
    now = now or utcnow()
    errors = {}
    if not is_doctor(user):
        errors["death"] = _("Only a doctor certifies a death.")
    texts = {f: stripped(data.get(f)) for f in (*CAUSES, *INTERVALS, "other_conditions")}
    for field, value in texts.items():
        limit = 40 if field in INTERVALS else 300
        if len(value) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
    if not texts["cause_a"]:
        errors["cause_a"] = _("Write the immediate cause of death (part I, a).")
    underlying = icd10_named(data.get("underlying"))
    if underlying is None:
        errors["underlying"] = _("Pick the ICD-10 code of the underlying cause.")
    manner = data.get("manner") or ""
    if manner not in MANNERS:
        errors["manner"] = _("Choose the manner of death.")
    if not data.get("died_at"):
        errors["died_at"] = _("Enter the date and time of death.")
        died_at = now
    else:
        died_at = discharge_time(admission, data["died_at"], now, errors, "died_at")
    if errors:
        raise DomainError(errors)
    record = DeathRecord(
        facility_id=admission.facility_id, admission=admission, died_at=died_at,
        underlying_icd10=underlying, manner=manner, certified_by_id=user.id,
        certified_at=now, **{f: v or None for f, v in texts.items()})
    db.session.add(record)
    leave_hospital(admission, "death", died_at, texts["cause_a"], user.id)
    db.session.commit()
    return record


def hand_over_body(record: DeathRecord, data: dict, user_id, now: datetime | None = None
                   ) -> DeathRecord:
    """{"handed_over_to", "handed_over_relation", "handed_over_at" (aware; now when left
    out)}: recorded once. Commits."""
    lock(record)
    now = now or utcnow()
    errors = {}
    to, relation = stripped(data.get("handed_over_to")), stripped(data.get("handed_over_relation"))
    if record.handed_over_at is not None:
        errors["handed_over_to"] = _("The body was already handed over.")
    elif not to:
        errors["handed_over_to"] = _("Write to whom the body was handed over.")
    elif len(to) > 100:
        errors["handed_over_to"] = _("Must be at most %(n)s characters.", n=100)
    if not relation:
        errors["handed_over_relation"] = _("Write their relation to the deceased (or "
                                           "police).")
    elif len(relation) > 40:
        errors["handed_over_relation"] = _("Must be at most %(n)s characters.", n=40)
    at = _utc(data.get("handed_over_at") or now)
    if at < aware(record.died_at) or at > now:
        errors["handed_over_at"] = _("The time must be after the death and not in the "
                                     "future.")
    if errors:
        raise DomainError(errors)
    record.handed_over_to, record.handed_over_relation = to, relation
    record.handed_over_at, record.handed_over_by_id = at, user_id
    db.session.commit()
    return record


def death_of(admission_id: int) -> DeathRecord | None:
    return db.session.execute(select(DeathRecord).where(
        DeathRecord.admission_id == admission_id).options(
        joinedload(DeathRecord.underlying_icd10), joinedload(DeathRecord.certified_by))
    ).scalar_one_or_none()


def save_mlc(admission: Admission, data: dict, user_id, now: datetime | None = None
             ) -> MedicoLegalCase:
    """The MLC details of an admission: {"police_station", "gd_entry",
    "police_informed_at" (aware), "brought_by", "injuries"}; written first or brought up
    to date; the admission is marked MLC. Commits."""
    lock(admission)
    now = now or utcnow()
    errors = {}
    if admission.status == "cancelled":
        errors["admission"] = _("This admission was cancelled.")
    limits = {"police_station": 100, "gd_entry": 40, "brought_by": 150, "injuries": 2000}
    values = {f: stripped(data.get(f)) for f in limits}
    for field, limit in limits.items():
        if len(values[field]) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
    if not values["police_station"]:
        errors["police_station"] = _("Write the police station informed.")
    if not values["brought_by"]:
        errors["brought_by"] = _("Write who brought the patient (name, and police or "
                                 "relation).")
    informed = data.get("police_informed_at")
    informed = _utc(informed) if informed else None
    # (the police may be told in casualty, before the admission)
    if informed is not None and (informed > now + timedelta(minutes=5) or
                                 informed < aware(admission.admitted_at) - timedelta(days=1)):
        errors["police_informed_at"] = _("The time must be around the admission and not in "
                                         "the future.")
    if errors:
        raise DomainError(errors)
    case = db.session.execute(select(MedicoLegalCase).where(
        MedicoLegalCase.admission_id == admission.id)).scalar_one_or_none()
    if case is None:
        case = MedicoLegalCase(facility_id=admission.facility_id, admission=admission,
                               recorded_by_id=user_id, recorded_at=now)
        db.session.add(case)
    for field, value in values.items():
        setattr(case, field, value or None)
    case.police_informed_at = informed
    admission.mlc = True
    db.session.commit()
    return case

