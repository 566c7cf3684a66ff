"""IPD acts, one transaction each: admit (IPD number, bed, billing account), transfer,
discharge; and bed-days, charged by the midnight census to the admission's account."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from flask_appbuilder.security.sqla.models import Role, User
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.billing import services as billing
from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.formatting import IST, aware
from app.core.input_guard import ascii_digits, stripped
from app.core.models import StaffProfile, utcnow
from app.core.numbering import ist_today, next_number
from app.core.roles import DOCTOR
from app.extensions import db
from app.opd.models import OpdVisit
from app.opd.services import facility_department
from app.registration import services as registration
from app.registration.models import Patient
from app.registration.validation import MOBILE, strict_bool

from . import departures
from .models import ARRIVALS, BED_STATES, DISCHARGE_TYPES, Admission, Bed, BedStay, Ward

# Discharges of these kinds must say where to, or the cause.
# Charged once at admission where the facility's tariff has it (many charge nothing).
ADMISSION_FEE = "ADM-FEE"


def _utc(value: datetime | None) -> datetime:
    """Times are stored in UTC (SQLite would keep an IST time's digits and drop the zone)."""
    return aware(value).astimezone(timezone.utc) if value is not None else utcnow()


def midnight(day: date) -> datetime:
    """The IST midnight at which `day` begins."""
    return datetime.combine(day, time(), IST)


# --- bed-days --------------------------------------------------------------------------

@dataclass(frozen=True)
class BedNights:
    bed: Bed
    first_night: date
    nights: int


def census(stays, since: date, until: date) -> list[BedNights]:
    """The nights from `since` to before `until`, each charged to the bed the patient
    was in at the midnight that ended it (the hospital's midnight census), consecutive
    nights in one bed grouped."""
    runs: list[BedNights] = []
    day = since
    while day < until:
        instant = midnight(day + timedelta(days=1))
        stay = next((s for s in stays if aware(s.from_at) <= instant
                     and (s.to_at is None or aware(s.to_at) > instant)), None)
        if stay is not None:
            last = runs[-1] if runs else None
            if last and last.bed.id == stay.bed.id and \
                    last.first_night + timedelta(days=last.nights) == day:
                runs[-1] = BedNights(last.bed, last.first_night, last.nights + 1)
            else:
                runs.append(BedNights(stay.bed, day, 1))
        day += timedelta(days=1)
    return runs


def post_bed_days(admission: Admission, until: date, at_discharge: bool = False) -> int:
    """Charge the nights not yet charged before `until` to the admission's account (no
    commit). A patient discharged without staying a night pays one day, of the dearest bed
    they held (moved up to the ICU the same day: an ICU day)."""
    admitted_on = aware(admission.admitted_at).astimezone(IST).date()
    since = admission.bed_days_posted_until
    runs = census(admission.stays, since, until)
    patient = admission.patient
    category = patient.category.code if patient.category else None
    if at_discharge and not runs and since == admitted_on:
        runs = [BedNights(_dearest_bed(admission, category, admitted_on), admitted_on, 1)]
        until = admitted_on + timedelta(days=1)
    for run in runs:
        billing.post_charge(admission.facility_id, patient,
                            f"ipd:{admission.ipd_number}:{run.first_night}",
                            run.bed.tariff_code, category, run.first_night,
                            Decimal(run.nights), account=admission.account)
    admission.bed_days_posted_until = max(since, until)
    return sum(run.nights for run in runs)


def _dearest_bed(admission: Admission, category: str | None, on: date) -> Bed:
    def rate(bed: Bed) -> Decimal:
        tariff = billing.tariff_on(admission.facility_id, bed.tariff_code, on)
        return billing.price_for(tariff, category) if tariff is not None else Decimal(0)
    return max((stay.bed for stay in admission.stays), key=rate)


def accrue_account(account, now: datetime) -> None:
    """Billing's accrual hook: the nights so far, before an interim or final bill."""
    admission = db.session.execute(select(Admission).where(
        Admission.account_id == account.id)).scalar_one_or_none()
    if admission is not None and admission.status == "admitted":
        post_bed_days(admission, ist_today(now))


def post_all_bed_days(now: datetime | None = None) -> int:
    """The nightly census for every admitted patient (`flask hmis post-bed-days`)."""
    nights = 0
    for admission in db.session.execute(select(Admission).where(
            Admission.status == "admitted")).scalars():
        nights += post_bed_days(admission, ist_today(now))
    db.session.commit()
    return nights


# --- beds ----------------------------------------------------------------------------

def free_beds(facility_id: int) -> list[Bed]:
    """Beds a patient may be put in: empty and free, or reserved (for the patient the
    ward chooses it for); not those being cleaned or blocked."""
    occupied = select(BedStay.bed_id).where(BedStay.to_at.is_(None))
    return db.session.execute(
        select(Bed).join(Ward).options(joinedload(Bed.ward))
        .where(Bed.facility_id == facility_id, Bed.active.is_(True), Ward.active.is_(True),
               Bed.id.not_in(occupied), Bed.state.in_(("free", "reserved")))
        .order_by(Ward.code, Bed.number)).scalars().all()


def board(facility_id: int) -> list[tuple[Ward, list[tuple[Bed, Admission | None]]]]:
    """Every active bed of the facility by ward, with who is in it."""
    rows = db.session.execute(
        select(Bed, Admission).join(Ward)
        .outerjoin(BedStay, (BedStay.bed_id == Bed.id) & BedStay.to_at.is_(None))
        .outerjoin(Admission, Admission.id == BedStay.admission_id)
        .options(joinedload(Bed.ward), joinedload(Admission.patient))
        .where(Bed.facility_id == facility_id, Bed.active.is_(True), Ward.active.is_(True))
        .order_by(Ward.code, Bed.number)).unique().all()
    wards: dict[int, tuple[Ward, list]] = {}
    for bed, admission in rows:
        wards.setdefault(bed.ward_id, (bed.ward, []))[1].append((bed, admission))
    return list(wards.values())


def ward_mismatch(ward: Ward, patient: Patient, today: date) -> str | None:
    """Why the patient does not fit the ward (its sex, its ages), or None."""
    if ward.gender and patient.gender in ("M", "F") and ward.gender != patient.gender:
        return _("This ward is for %(gender)s patients.",
                 gender=_("male") if ward.gender == "M" else _("female"))
    years = patient.age_on(today)[0] if patient.dob else None
    if years is not None and ((ward.min_age is not None and years < ward.min_age) or
                              (ward.max_age is not None and years > ward.max_age)):
        return _("This ward takes patients aged %(low)s to %(high)s years; the patient is "
                 "%(age)s.", low=ward.min_age if ward.min_age is not None else 0,
                 high=ward.max_age if ward.max_age is not None else "…", age=years)
    return None


def _bed_errors(facility_id: int, bed_id, patient: Patient, today: date,
                mismatch_confirmed: bool = False) -> tuple[Bed | None, dict]:
    """The bed chosen, or why not. A patient of the other sex or outside the ward's ages
    is a warning the staff may confirm (an emergency, a full ward), not a refusal."""
    try:
        bed = db.session.get(Bed, int(bed_id))
    except (TypeError, ValueError):
        bed = None
    if bed is None or bed.facility_id != facility_id or not bed.active or not bed.ward.active:
        return None, {"bed": _("Choose a bed of this facility.")}
    mismatch = ward_mismatch(bed.ward, patient, today)
    if mismatch and not mismatch_confirmed:
        return None, {"bed": mismatch, "confirm_ward": _(
            "Tick to put the patient in this ward all the same.")}
    if billing.tariff_on(facility_id, bed.tariff_code, today) is None:
        return None, {"bed": _("No bed-day charge is set for this bed; ask the supervisor "
                               "to add the tariff.")}
    lock(bed)  # a block, reservation or cleaning of this bed at the same moment is waited for
    if _occupied(bed):
        return None, {"bed": _("This bed is occupied; choose another.")}
    if bed.state == "cleaning":
        return None, {"bed": _("This bed is still being cleaned; choose another, or mark it "
                               "clean on the bed board first.")}
    if bed.state == "blocked":
        return None, {"bed": _("This bed is blocked (%(note)s); choose another.",
                               note=bed.state_note or "")}
    return bed, {}


def _occupied(bed: Bed) -> bool:
    return db.session.execute(select(BedStay.id).where(
        BedStay.bed_id == bed.id, BedStay.to_at.is_(None))).first() is not None


def _mark(bed: Bed, state: str, at: datetime, note: str | None = None) -> None:
    bed.state, bed.state_note, bed.state_since = state, note, at


def _occupy(admission: Admission, bed: Bed, at: datetime, user_id, reason=None) -> None:
    """Put the patient in the bed (a reservation is used up); a bed taken meanwhile by
    someone else is refused."""
    admission.stays.append(BedStay(facility_id=admission.facility_id, bed=bed, from_at=at,
                                   moved_by_id=user_id, reason=reason))
    admission.bed = bed
    if bed.state != "free":
        _mark(bed, "free", at)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError({"bed": _("This bed was taken a moment ago; choose another.")}) \
            from None


# --- admit, transfer, discharge ------------------------------------------------------

def doctors(facility_id: int) -> list[User]:
    """The facility's active doctors: who may be put in charge of an admission."""
    return db.session.execute(
        select(User).join(StaffProfile, StaffProfile.user_id == User.id)
        .where(StaffProfile.facility_id == facility_id, User.active.is_(True),
               User.roles.any(Role.name == DOCTOR))
        .order_by(User.first_name, User.last_name)).scalars().all()


def current_admission(patient: Patient) -> Admission | None:
    ids = registration.record_ids(patient)
    return db.session.execute(select(Admission).where(
        Admission.patient_id.in_(ids), Admission.status == "admitted")
        .order_by(Admission.id).limit(1)).scalar() if ids else None


def admit_defaults(facility_id: int, patient: Patient | None, args) -> dict:
    """The admission form as it opens: the bed clicked on the board brings its ward's
    department; the OPD visit the doctor admits from brings its department, the doctor who
    saw the patient and the diagnoses just written."""
    form = {f: str(args.get(f, "") or "") for f in ("visit", "department", "bed")}
    bed = db.session.get(Bed, int(form["bed"])) if form["bed"].isdigit() else None
    if bed is not None and bed.facility_id == facility_id and not form["department"] \
            and bed.ward.department_id:
        form["department"] = str(bed.ward.department_id)
    visit = db.session.get(OpdVisit, int(form["visit"])) if form["visit"].isdigit() else None
    if visit is not None and patient is not None and visit.facility_id == facility_id \
            and visit.patient_id in registration.record_ids(patient):
        form["department"] = form["department"] or str(visit.department_id)
        consultation = visit.consultation
        if consultation is not None:
            form["doctor"] = str(consultation.doctor_id or "")
            form["provisional_diagnosis"] = "; ".join(
                f"{d.icd10.code} {d.icd10.title}" for d in consultation.diagnoses)[:300]
    return form


def admit(facility, patient_id, data: dict, user_id, now: datetime | None = None) -> Admission:
    """Admit a patient of the facility to a bed: IPD number, first bed stay, billing
    account; the OPD visit it came from (if any) is marked admitted. Commits."""
    now = _utc(now)
    today = ist_today(now)
    errors = {}
    patient = db.session.get(Patient, patient_id) if str(patient_id).isdigit() else None
    if patient is None or patient.facility_id != facility.id:
        raise DomainError({"patient": _("No such record.")})
    # One admission at a time per patient: a second admit of the same patient waits for
    # the first and then finds it (a partial unique index backs this up).
    patient = lock(registration.resolve(patient))
    existing = current_admission(patient)
    if existing is not None:
        errors["patient"] = _("Already admitted (%(number)s, bed %(bed)s).",
                              number=existing.ipd_number, bed=str(existing.bed))
    department = facility_department(facility.id, data.get("department"))
    if department is None or not department.is_clinical:
        errors["department"] = _("Choose a department of this facility.")
    confirmed = strict_bool(data.get("confirm_ward"), "confirm_ward", errors)
    bed, bed_errors = _bed_errors(facility.id, data.get("bed"), patient, today, confirmed)
    errors.update(bed_errors)
    arrival = data.get("arrival") or "OPD"
    if arrival not in ARRIVALS:
        errors["arrival"] = _("This value is not one of the allowed choices.")
    visit = None
    if data.get("visit"):
        visit = db.session.get(OpdVisit, int(data["visit"])) if str(data["visit"]).isdigit() \
            else None
        if visit is None or visit.patient_id not in registration.record_ids(patient):
            errors["visit"] = _("No such record.")
    mobile = re.sub(r"[\s-]", "", ascii_digits(data.get("attendant_mobile") or ""))
    if mobile and not MOBILE.match(mobile):
        errors["attendant_mobile"] = _("Mobile number is 10 digits starting with 6, 7, 8 or 9.")
    for field, limit in (("provisional_diagnosis", 300), ("attendant_name", 100)):
        if len((data.get(field) or "").strip()) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
    mlc = strict_bool(data.get("mlc"), "mlc", errors)
    doctor_id = data.get("doctor") or None
    if doctor_id and str(doctor_id) not in {str(u.id) for u in doctors(facility.id)}:
        errors["doctor"] = _("Choose a doctor of this facility.")
    if errors:
        raise DomainError(errors)
    seq = next_number(db.session, facility.id, "ipd", str(today.year))
    number = f"{facility.code}-IPD-{today.year}-{seq:06d}"
    # Everything below is written in one flush, when the bed is taken.
    with db.session.no_autoflush:
        admission = _new_admission(facility, patient, number, data, department, visit,
                                   arrival, mobile, doctor_id, user_id, now, today, mlc)
    _occupy(admission, bed, now, user_id)
    db.session.commit()
    return admission


def _new_admission(facility, patient, number, data, department, visit, arrival, mobile,
                   doctor_id, user_id, now, today, mlc) -> Admission:
    account = billing.open_account(facility.id, patient, number, now)
    try:
        billing.post_charge(facility.id, patient, f"ipd:{number}:admission", ADMISSION_FEE,
                            patient.category.code if patient.category else None, today,
                            account=account)
    except billing.NoTariff:
        pass  # this facility charges nothing for admission
    admission = Admission(
        facility_id=facility.id, ipd_number=number, patient=patient, account=account,
        opd_visit=visit, department=department, doctor_id=int(doctor_id) if doctor_id else None,
        arrival=arrival, provisional_diagnosis=(data.get("provisional_diagnosis") or "").strip()
        or None, mlc=mlc or bool(patient.mlc),
        attendant_name=(data.get("attendant_name") or "").strip() or None,
        attendant_mobile=mobile or None, status="admitted", admitted_at=now,
        admitted_by_id=user_id, bed_days_posted_until=today)
    db.session.add(admission)
    if visit is not None:
        visit.status = "admitted"
    return admission


def _current_stay(admission: Admission) -> BedStay:
    return next(s for s in admission.stays if s.to_at is None)


def _admitted(admission: Admission) -> None:
    """Lock the admission for this act (a transfer, discharge or cancellation by someone
    else at the same moment is waited for), then check it is still current."""
    lock(admission)
    if admission.status != "admitted":
        raise DomainError({"admission": _("This patient is already discharged.")})


def strike_out(row, reason, user_id, now: datetime | None = None, key: str = "entry"):
    """Strike out a ward record's line entered in error (a dose's mark, an intake/output
    line), with the reason; it stays, struck through. The caller has locked the stay.
    Commits."""
    reason = stripped(reason)
    errors = {}
    if row.voided_at is not None:
        errors[key] = _("This entry is already struck out.")
    if not reason:
        errors["void_reason"] = _("Give the reason the entry is wrong.")
    elif len(reason) > 300:
        errors["void_reason"] = _("Must be at most %(n)s characters.", n=300)
    if errors:
        raise DomainError(errors)
    row.voided_at, row.voided_by_id, row.void_reason = now or utcnow(), user_id, reason
    db.session.commit()
    return row


def transfer(admission: Admission, bed_id, reason: str, user_id,
             now: datetime | None = None, mismatch_confirmed: bool = False) -> Admission:
    """Move the patient to another bed (another ward too). Commits."""
    _admitted(admission)
    now = _utc(now)  # after the lock: a transfer waited for ends after the one before
    errors = {}
    if str(bed_id) == str(admission.bed_id):
        errors["bed"] = _("The patient is already in this bed.")
    else:
        bed, errors = _bed_errors(admission.facility_id, bed_id, admission.patient,
                                  ist_today(now), mismatch_confirmed)
    if len((reason or "").strip()) > 200:
        errors["reason"] = _("Must be at most %(n)s characters.", n=200)
    if errors:
        raise DomainError(errors)
    _leave(_current_stay(admission), now)
    _occupy(admission, bed, now, user_id, (reason or "").strip() or None)
    db.session.commit()
    return admission


def _leave(stay: BedStay, at: datetime) -> None:
    """The patient leaves the bed: it goes to be cleaned before the next one."""
    stay.to_at = at
    _mark(stay.bed, "cleaning", at)


# What the ward may do with an empty bed: from state → to states.
BED_MOVES = {"cleaning": ("free",), "free": ("blocked", "reserved"), "blocked": ("free",),
             "reserved": ("free",)}


def set_bed_state(bed: Bed, state: str, note: str, now: datetime | None = None) -> Bed:
    """Mark a bed clean, block it (with the repair needed), reserve it (for whom), or free
    it again; an occupied bed keeps its patient. Commits."""
    lock(bed)
    now = _utc(now)
    note = (note or "").strip()
    errors = {}
    if _occupied(bed):
        errors["state"] = _("This bed is occupied.")
    elif state not in BED_MOVES.get(bed.state, ()):
        errors["state"] = _("This bed cannot go from %(old)s to %(new)s.",
                            old=BED_STATES.get(bed.state, bed.state),
                            new=BED_STATES.get(state, state))
    elif state in ("blocked", "reserved") and not note:
        errors["state_note"] = _("Say why the bed is blocked, or for whom it is reserved.")
    if len(note) > 200:
        errors["state_note"] = _("Must be at most %(n)s characters.", n=200)
    if errors:
        raise DomainError(errors)
    _mark(bed, state, now, note if state in ("blocked", "reserved") else None)
    db.session.commit()
    return bed


def discharge(admission: Admission, data: dict, user_id, now: datetime | None = None) -> Admission:
    """Discharge (or LAMA, referral, absconding, each with its form's fields: see
    departures.py): the bed is freed, the nights are charged, and the account is closed
    for its final bill. A death is recorded with its own form (deaths.py). Commits."""
    _admitted(admission)
    now = _utc(now)  # after the lock: a transfer waited for ends after the one before
    errors = {}
    kind = data.get("discharge_type") or ""
    note = (data.get("discharge_note") or "").strip()
    if kind not in DISCHARGE_TYPES:
        errors["discharge_type"] = _("This value is not one of the allowed choices.")
    elif kind == "death":
        errors["discharge_type"] = _("A death is recorded by a doctor with its own form: "
                                     "the time and the causes, as on the MCCD.")
    if len(note) > 500:
        errors["discharge_note"] = _("Must be at most %(n)s characters.", n=500)
    at = discharge_time(admission, data.get("discharged_at"), now, errors, "discharged_at")
    departure = departures.check(kind, admission, data, at, user_id, errors)
    if errors:
        raise DomainError(errors)
    if departure is not None:
        db.session.add(departure)
        note = note or departures.summary_note(departure)
    leave_hospital(admission, kind, at, note, user_id)
    db.session.commit()
    return admission


def discharge_time(admission: Admission, value, now: datetime, errors: dict,
                   field: str) -> datetime:
    """When the patient left (now when left out): during the stay, and not before the
    nights already charged."""
    at = _utc(value or now)
    if at < aware(admission.admitted_at) or at > now + timedelta(minutes=5):
        errors[field] = _("The discharge time must be between the admission and now.")
    elif at < midnight(admission.bed_days_posted_until):
        errors[field] = _("Bed-days up to %(day)s are already charged; the discharge cannot "
                          "be earlier.", day=admission.bed_days_posted_until.strftime("%d-%m-%Y"))
    return at


def leave_hospital(admission: Admission, kind: str, at: datetime, note: str, user_id) -> None:
    """The stay ends at `at` (the admission locked and checked by the caller, who
    commits): the bed goes to cleaning, the nights are charged, the account closes."""
    _leave(_current_stay(admission), at)
    post_bed_days(admission, at.astimezone(IST).date(), at_discharge=True)
    admission.status, admission.discharged_at = "discharged", at
    admission.discharge_type, admission.discharge_note = kind, note or None
    admission.discharged_by_id = user_id
    billing.close_account(admission.account, at)


def cancel_admission(admission: Admission, reason: str, authoriser, user_id,
                     now: datetime | None = None) -> Admission:
    """An admission made in error (wrong patient, wrong facility): with a supervisor's
    authorisation, and only while nothing has been billed or deposited on it, it is
    cancelled, not deleted. The bed is freed and no bed-day is charged. Commits."""
    _admitted(admission)
    now = _utc(now)  # after the lock: a transfer waited for ends after the one before
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Give the reason for the cancellation.")})
    if len(reason) > 500:
        raise DomainError({"reason": _("Must be at most %(n)s characters.", n=500)})
    lock(admission.account)  # no deposit or bill is taken on it meanwhile
    if any(b.status != "cancelled" for b in billing.account_bills(admission.account)):
        raise DomainError({"admission": _("Cancel or refund this admission's bills and "
                                          "deposits at the cash counter first.")})
    approver = billing.authorise(*(authoriser or ("", "")), admission.facility_id,
                                 "admission cancellation")
    _current_stay(admission).to_at = now
    admission.status, admission.discharged_at = "cancelled", now
    admission.discharge_note = f"{reason} ({approver.username})"[:500]
    admission.discharged_by_id = user_id
    # Its admission fee is never billed: the account is closed and squared as it stands.
    admission.account.closed_at = admission.account.settled_at = now
    db.session.commit()
    return admission


IPD_NUMBER = re.compile(r"^[A-Z0-9]{2,10}-IPD-\d{4}-\d{6}$")


def patient_for_ipd_number(facility_id: int, text: str) -> int | None:
    """The admission slip's barcode, scanned at the cash counter (anything else typed
    there, a name or a UHID, costs no query)."""
    text = text.strip().upper()
    if not IPD_NUMBER.match(text):
        return None
    return db.session.execute(select(Admission.patient_id).where(
        Admission.facility_id == facility_id,
        Admission.ipd_number == text)).scalar_one_or_none()


def admission_details(admission_id: int) -> Admission | None:
    return db.session.execute(select(Admission).where(Admission.id == admission_id).options(
        joinedload(Admission.patient), joinedload(Admission.department),
        joinedload(Admission.facility), joinedload(Admission.bed).joinedload(Bed.ward),
        joinedload(Admission.departure))
    ).unique().scalar_one_or_none()
