"""Registration acts: register a patient, find duplicates, search, merge."""
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.core.base_views import DomainError
from app.core.concurrency import lock, lock_all, lock_keys
from app.core.input_guard import ascii_digits
from app.core.models import Facility
from app.core.numbering import ist_today, next_number
from app.extensions import db

from .models import Patient, PatientNameToken
from .search_key import index_patient, mobile_key, name_key
from .validation import clean_patient

UHID = re.compile(r"^[A-Z]{2,6}-\d{2}-\d{7}$")
MOBILE_TAIL = 5  # fewest last digits of a mobile that find a patient


def new_uhid(facility: Facility, today: date) -> str:
    yy = f"{today.year % 100:02d}"
    seq = next_number(db.session, facility.id, "uhid", yy)
    return f"{facility.code}-{yy}-{seq:07d}"


class PossibleDuplicates(DomainError):
    """The person may be on record already: the clerk looks at the candidates and
    either picks one or confirms a new registration (the API: 409 with the candidates)."""
    status = 409

    def __init__(self, candidates):
        super().__init__({"confirm_new": _("This person may already be registered: pick "
                                           "the patient, or confirm a new registration.")})
        self.candidates = candidates

    def payload(self) -> dict:
        from .display import summary
        return {"candidates": [dict(summary(c.patient), reasons=[str(r) for r in c.reasons])
                               for c in self.candidates]}


def add_patient(data: dict, facility: Facility, user_id: int | None,
                today: date | None = None,
                check_duplicates: bool = False) -> tuple[Patient, list]:
    """Validate and stage a new patient in the current transaction (no commit). With
    check_duplicates, raise PossibleDuplicates when someone on record may be this
    person. The check holds a lock on the mobile, ABHA number and name until commit,
    so two clerks registering the same person at once cannot both find no one."""
    today = today or ist_today()
    values, errors, warnings = clean_patient(data, facility.id, today)
    if errors:
        raise DomainError(errors)
    if check_duplicates:
        lock_keys(*(f"patient:{facility.id}:{key}:{values.get(key) or ''}"
                    for key in ("mobile", "abha_number")),
                  f"patient:{facility.id}:name:{name_key(values.get('name'))}")
        candidates = _duplicates(facility.id, values, today)
        if candidates:
            raise PossibleDuplicates(candidates)
    patient = Patient(facility_id=facility.id, registered_by_id=user_id, **values)
    index_patient(patient)
    patient.uhid = new_uhid(facility, today)
    db.session.add(patient)  # written with the rest of the act, at its one flush
    return patient, warnings


def register_patient(data: dict, facility: Facility, user_id: int | None,
                     check_duplicates: bool = False) -> Patient:
    try:
        patient, _warnings = add_patient(data, facility, user_id,
                                         check_duplicates=check_duplicates)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return patient


def resolve(patient: Patient | None) -> Patient | None:
    """Follow merges: an old UHID keeps leading to the surviving record."""
    seen = set()
    while patient is not None and patient.merged_into_id and patient.id not in seen:
        seen.add(patient.id)
        patient = patient.merged_into
    return patient


def by_uhid(facility_id: int, uhid: str) -> Patient | None:
    patient = db.session.execute(select(Patient).where(
        Patient.uhid == uhid.strip().upper(), Patient.facility_id == facility_id)
    ).scalar_one_or_none()
    return resolve(patient)


def record_ids(patient: Patient) -> list[int]:
    """The patient's id and those of duplicates merged into it (their visits are theirs)."""
    if patient.id is None:  # being registered right now: nothing merged into it yet
        return []
    ids, frontier = [patient.id], [patient.id]
    while frontier:
        frontier = list(db.session.execute(
            select(Patient.id).where(Patient.merged_into_id.in_(frontier))).scalars())
        ids += frontier
    return ids


@dataclass
class Candidate:
    patient: Patient
    reasons: list = field(default_factory=list)


def find_duplicates(facility_id: int, data: dict, today: date | None = None,
                    limit: int = 10) -> list[Candidate]:
    """Patients who may be the person being registered: same mobile or ABHA, or a
    similar name with a matching guardian or village and an age within two years."""
    today = today or ist_today()
    values, _errors, _w = clean_patient(data, facility_id, today)
    return _duplicates(facility_id, values, today, limit)


def _duplicates(facility_id: int, values: dict, today: date, limit: int = 10) -> list[Candidate]:
    key = name_key(values.get("name"))
    conditions = []
    if values.get("mobile"):
        conditions.append(Patient.mobile == values["mobile"])
    if values.get("abha_number"):
        conditions.append(Patient.abha_number == values["abha_number"])
    if key:
        similar = [Patient.name_key == key]
        if values.get("dob"):
            similar += [Patient.dob.between(values["dob"] - timedelta(days=2 * 366),
                                            values["dob"] + timedelta(days=2 * 366))]
        guardian = name_key(values.get("guardian_name"))
        extra = []
        if guardian:
            extra.append(Patient.guardian_key == guardian)
        if values.get("village_id"):
            extra.append(Patient.village_id == values["village_id"])
        if extra:
            similar.append(or_(*extra))
        conditions.append(and_(*similar))
    if not conditions:
        return []
    rows = db.session.execute(
        select(Patient).where(Patient.facility_id == facility_id,
                              Patient.merged_into_id.is_(None), or_(*conditions))
        .order_by(Patient.last_visit_on.desc().nulls_last(), Patient.id.desc())
        .limit(limit)).scalars()
    result = []
    for patient in rows:
        candidate = Candidate(patient)
        if values.get("mobile") and patient.mobile == values["mobile"]:
            candidate.reasons.append(_("same mobile number"))
        if values.get("abha_number") and patient.abha_number == values["abha_number"]:
            candidate.reasons.append(_("same ABHA number"))
        if key and patient.name_key == key:
            candidate.reasons.append(_("similar name, guardian or village, and age"))
        result.append(candidate)
    return result


def _starts_with(column, prefix: str):
    """column starts with prefix, as an index range (keys are plain ASCII). PostgreSQL
    compares in the "C" collation its indexes on keys use (see migration 0003)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if db.session.get_bind().dialect.name == "postgresql":
        column = column.collate("C")
    return and_(column >= prefix, column < upper)


def _key_order(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return column.collate("C")
    return column


def search_patients(facility_id: int, q: str, guardian: str | None = None,
                    village_id: int | None = None, age: int | None = None,
                    today: date | None = None, limit: int = 20) -> list[Patient]:
    """UHID, mobile or ABHA exactly, or the last 5 or more digits of a mobile; otherwise a
    name in either script and as people spell it: first those whose name starts with it,
    then those with a later word starting with it, then those with every word typed in
    any order (a middle name left out, the surname first, two names written as one).
    Typed wildcards mean nothing: names are compared by their keys."""
    q = (q or "").strip()
    if not q:
        return []
    today = today or ist_today()
    # What a result line shows is loaded with it (not one query per patient per field).
    shown = (joinedload(Patient.village), joinedload(Patient.category))
    base = select(Patient).where(Patient.facility_id == facility_id).options(*shown)
    # Digits of any script read as digits (९८१६... is a mobile); "³" is not a digit.
    compact = ascii_digits(re.sub(r"[\s-]", "", q))
    if UHID.match(q.upper()):
        patient = by_uhid(facility_id, q)
        return [patient] if patient else []
    if compact.isascii() and compact.isdigit():
        if len(compact) == 10 or (len(compact) == 12 and compact.startswith("91")):
            query = base.where(Patient.mobile == compact[-10:])
        elif len(compact) == 14:
            query = base.where(Patient.abha_number == compact)
        elif len(compact) <= 7:  # the running number of a UHID, as clerks read it out
            query = base.where(Patient.uhid.in_(
                [f"{code}-{yy:02d}-{int(compact):07d}" for code in _facility_code(facility_id)
                 for yy in range(today.year % 100, today.year % 100 - 10, -1)]))
        else:
            query = None
        rows = list(db.session.execute(query.limit(limit)).scalars()) if query is not None \
            else []
        if len(compact) >= MOBILE_TAIL and len(rows) < limit:
            # The last digits of a mobile ("the number ends 34567"): a prefix of it backwards.
            rows += db.session.execute(
                base.where(_starts_with(Patient.mobile_rev, mobile_key(compact[-10:])))
                .order_by(Patient.id).limit(limit - len(rows))).scalars()
        return _unique([resolve(p) for p in rows])[:limit]
    key = name_key(q)
    if not key:
        return []
    filters = [Patient.merged_into_id.is_(None)]
    if guardian and name_key(guardian):
        filters.append(_starts_with(Patient.guardian_key, name_key(guardian)))
    if village_id:
        filters.append(Patient.village_id == village_id)
    if age is not None:  # the stated age, give or take two years
        filters.append(Patient.dob.between(today - relativedelta(years=age + 3),
                                           today - relativedelta(years=max(age - 2, 0))))
    found = list(db.session.execute(
        base.where(_starts_with(Patient.name_key, key), *filters)
        .order_by(_key_order(Patient.name_key)).limit(limit)).scalars())
    if len(found) < limit:
        words = key.split()
        rows = select(Patient).options(*shown).join(
            PatientNameToken, PatientNameToken.patient_id == Patient.id).where(
            PatientNameToken.facility_id == facility_id, *filters)
        if len(words) == 1:  # a later word starts with it, or two words written as one
            rows = rows.where(_starts_with(PatientNameToken.token, key),
                              PatientNameToken.position > 0)
        else:  # every word, in any order: the longest word's range, the others probed
            drive = max(words, key=len)
            token = aliased(PatientNameToken)
            rows = rows.where(_starts_with(PatientNameToken.token, drive), *[
                exists().where(token.patient_id == Patient.id, _starts_with(token.token, word))
                for word in words if word is not drive])
        seen = {p.id for p in found}
        for patient in db.session.execute(
                rows.order_by(_key_order(PatientNameToken.token))
                .limit(limit - len(found) + len(seen))).scalars():
            if patient.id not in seen and len(found) < limit:
                seen.add(patient.id)
                found.append(patient)
    return found


def _facility_code(facility_id: int) -> list[str]:
    return [db.session.get(Facility, facility_id).code]


def _unique(patients):
    seen, out = set(), []
    for p in patients:
        if p is not None and p.id not in seen:
            seen.add(p.id)
            out.append(p)
    return out


def merge_patients(survivor_id: int, duplicate_id: int, reason: str, facility_id: int | None):
    """Supervisor's act: the duplicate's UHID now resolves to the survivor; nothing is
    deleted, and the audit log records the merge."""
    errors = {}
    survivor = db.session.get(Patient, survivor_id)
    duplicate = db.session.get(Patient, duplicate_id)
    if survivor is None or (facility_id is not None and survivor.facility_id != facility_id):
        errors["survivor"] = _("No such record.")
    if duplicate is None or (facility_id is not None and duplicate.facility_id != facility_id):
        errors["duplicate"] = _("No such record.")
    if not errors:
        # Two supervisors merging the same records at once: the second waits and then
        # finds the first merge done.
        lock_all([survivor, duplicate])
        if survivor.facility_id != duplicate.facility_id:
            errors["duplicate"] = _("Both records must belong to the same facility.")
        elif resolve(survivor).id == duplicate.id or survivor.id == duplicate.id:
            errors["duplicate"] = _("A record cannot be merged into itself.")
        elif duplicate.merged_into_id:
            errors["duplicate"] = _("This record was already merged.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the merge.")
    if errors:
        raise DomainError(errors)
    survivor = lock(resolve(survivor))
    duplicate.merged_into_id = survivor.id
    duplicate.merge_reason = reason.strip()[:200]
    for attr in ("mobile", "abha_number", "abha_address", "guardian_name", "village_id"):
        if getattr(survivor, attr) is None and getattr(duplicate, attr) is not None:
            setattr(survivor, attr, getattr(duplicate, attr))
    index_patient(survivor)
    db.session.commit()
    return survivor


def patient_picker():
    """Patients of the user's facility, found as at the desk, for type-ahead pickers."""
    from app.core.pickers import Picker
    from app.core.scoping import in_scope, working_facility_id

    def search(q, limit):
        facility_id = working_facility_id()
        return search_patients(facility_id, q, limit=limit) if facility_id else []

    def get(patient_id):
        patient = db.session.get(Patient, patient_id)
        return patient if patient is not None and in_scope(patient.facility_id) else None

    return Picker("patient", Patient, "Patient", search, get,
                  lambda p: f"{p.uhid} · {p.name}")


PHOTO_MAX_SIDE = 600


def set_photo(patient: Patient, raw: bytes, user_id: int | None) -> None:
    """Store a JPEG or PNG photo, re-encoded as a JPEG of at most 600 px a side (which
    also drops EXIF data such as location). Refuses anything that is not an image."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    from .models import PatientPhoto
    try:
        image = Image.open(BytesIO(raw))
        if image.format not in ("JPEG", "PNG"):
            raise DomainError({"photo": _("The photo must be a JPEG or PNG image.")})
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise DomainError({"photo": _("The photo must be a JPEG or PNG image.")}) from None
    image = image.convert("RGB")
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = BytesIO()
    image.save(out, "JPEG", quality=85)
    photo = db.session.execute(select(PatientPhoto).where(
        PatientPhoto.patient_id == patient.id)).scalar_one_or_none()
    if photo is None:
        photo = PatientPhoto(patient_id=patient.id, facility_id=patient.facility_id)
        db.session.add(photo)
    photo.content_type, photo.data, photo.uploaded_by_id = "image/jpeg", out.getvalue(), user_id
    db.session.commit()


def photo_of(patient_id: int):
    from .models import PatientPhoto
    return db.session.execute(select(PatientPhoto).where(
        PatientPhoto.patient_id == patient_id)).scalar_one_or_none()
