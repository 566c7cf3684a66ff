"""Medicines on the ward: the doctor's orders and the nurses' administration record (MAR).

An order names the medicine (from the drug master, or as written), dose, route and
frequency, for some days or until stopped. Its frequency decides when doses fall due
(IST hours, as Indian wards give them: OD 8 am, BD 8 am and 8 pm, TDS 8-2-8, QID 6-12-6-10,
HS 9 pm, "1-0-1" morning and night, Q6H from 6 am); SOS is given when needed and STAT once
at the start. A nurse marks each due dose given, held or refused (the last two with a
reason); a wrong mark is struck out with a reason and the dose marked again. Stopping an
order needs a reason. Nothing is edited or deleted."""
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.core.base_views import DomainError
from app.core.concurrency import lock, lock_all
from app.core.formatting import IST, aware
from app.core.input_guard import stripped, whole_number
from app.core.models import utcnow
from app.extensions import db
from app.opd.consultation import ROUTES, drug_named
from app.opd.models import Drug
from app.registration.models import Patient

from .models import (
    MAR_OUTCOMES, Admission, Bed, MedicationAdministration, MedicationOrder,
)
from .services import _admitted, _utc, strike_out

NAMED = {"OD": (8,), "BD": (8, 20), "TDS": (8, 14, 20), "QID": (6, 12, 18, 22), "HS": (21,),
         "QHS": (21,)}
SLOTS = {3: (8, 14, 20), 4: (6, 12, 18, 22)}  # "1-0-1", "1-1-1-1": morning ... night
WHEN_NEEDED, ONCE = "SOS", "STAT"
FREQUENCY_HELP = _l("OD, BD, TDS, QID, HS, Q6H (every 6 hours), 1-0-1, SOS (when needed) "
                    "or STAT (once, now).")
GRACE = timedelta(hours=1)      # a dose not marked an hour after its time is overdue
MOST_DAYS = 90
BACK, AHEAD = timedelta(hours=12), timedelta(hours=3)   # the ward's list of doses


def hours_of_day(frequency: str) -> tuple[int, ...] | None:
    """The IST hours a frequency's doses fall at; () for SOS and STAT; None when the
    frequency is not one a ward gives by."""
    code = (frequency or "").strip().upper()
    if code in NAMED:
        return NAMED[code]
    if code in (WHEN_NEEDED, ONCE):
        return ()
    every = re.fullmatch(r"Q([0-9]{1,2})H", code)
    if every:
        n = int(every[1])
        return tuple(sorted((6 + k * n) % 24 for k in range(24 // n))) \
            if n and 24 % n == 0 else None
    parts = code.split("-")
    if len(parts) in SLOTS and all(re.fullmatch(r"[0-9](\.[0-9])?|½", p) for p in parts):
        hours = tuple(h for h, p in zip(SLOTS[len(parts)], parts) if p not in ("0", "0.0"))
        return hours or None
    return None


def doses(order: MedicationOrder, since: datetime, until: datetime) -> list[datetime]:
    """The order's scheduled dose times (UTC) in [since, until): none for SOS, the start
    for STAT, else each day's hours from the start to the end or stop."""
    start = aware(order.start_at)
    if order.frequency == ONCE:
        return [start] if since <= start < until else []
    hours = hours_of_day(order.frequency) or ()
    ends = [until] + [aware(t) for t in (order.end_at, order.stopped_at) if t is not None]
    begin, end = max(since, start), min(ends)
    times, day = [], begin.astimezone(IST).date()
    while hours and datetime.combine(day, time(), IST) < end:
        for hour in hours:
            due = datetime.combine(day, time(hour), IST).astimezone(timezone.utc)
            if begin <= due < end:
                times.append(due)
        day += timedelta(days=1)
    return times


def is_active(order: MedicationOrder, at: datetime) -> bool:
    return order.stopped_at is None and (order.end_at is None or aware(order.end_at) > at)


# --- the doctor's acts ------------------------------------------------------------------

def order(admission: Admission, data: dict, user_id, now: datetime | None = None
          ) -> MedicationOrder:
    """Order a medicine: {"drug": drug master id, or "drug_name": as written (a master
    entry named so is linked), "dose", "route", "frequency", "days" (empty: until
    stopped), "start_at" (aware; now when left out), "instructions"}. Commits."""
    _admitted(admission)
    now = now or utcnow()
    errors = {}
    drug = _drug(data, errors)
    name = str(drug) if drug is not None else stripped(data.get("drug_name"))
    if not name and "drug" not in errors:
        errors["drug_name"] = _("Write the medicine, or pick it from the list.")
    elif len(name) > 160:
        errors["drug_name"] = _("Must be at most %(n)s characters.", n=160)
    dose = stripped(data.get("dose"))
    if not dose:
        errors["dose"] = _("Write the dose, e.g. 500 mg or 1 tablet.")
    elif len(dose) > 40:
        errors["dose"] = _("Must be at most %(n)s characters.", n=40)
    route = stripped(data.get("route")) or (drug.route if drug is not None else "")
    if route not in ROUTES:
        errors["route"] = _("Choose the route.")
    frequency = stripped(data.get("frequency")).upper()
    if hours_of_day(frequency) is None:
        errors["frequency"] = _("Frequency like %(examples)s", examples=FREQUENCY_HELP)
    days = whole_number(data.get("days"), "days", 1, MOST_DAYS, errors,
                        _("Days must be 1 to %(n)s, or empty until stopped.", n=MOST_DAYS))
    start = _utc(data.get("start_at") or now)
    if start < aware(admission.admitted_at) - timedelta(minutes=5) or \
            start > now + timedelta(days=2):
        errors["start_at"] = _("The start must be during the stay, at most two days ahead.")
    instructions = stripped(data.get("instructions"))
    if len(instructions) > 200:
        errors["instructions"] = _("Must be at most %(n)s characters.", n=200)
    if errors:
        raise DomainError(errors)
    row = MedicationOrder(
        facility_id=admission.facility_id, admission=admission, drug=drug, drug_name=name,
        dose=dose, route=route, frequency=frequency, days=days, start_at=start,
        end_at=start + timedelta(days=days) if days and frequency != ONCE else None,
        instructions=instructions or None, ordered_by_id=user_id, ordered_at=now)
    db.session.add(row)
    db.session.commit()
    return row


def stop(row: MedicationOrder, reason, user_id, now: datetime | None = None
         ) -> MedicationOrder:
    """Stop an order early, with the reason. Commits."""
    lock(row)
    now = now or utcnow()
    reason = stripped(reason)
    errors = {}
    if not is_active(row, now):
        errors["order"] = _("This order has already ended or been stopped.")
    if not reason:
        errors["stop_reason"] = _("Give the reason for stopping.")
    elif len(reason) > 300:
        errors["stop_reason"] = _("Must be at most %(n)s characters.", n=300)
    if errors:
        raise DomainError(errors)
    row.stopped_at, row.stopped_by_id, row.stop_reason = now, user_id, reason
    db.session.commit()
    return row


# --- the nurse's acts -------------------------------------------------------------------

def administer(row: MedicationOrder, data: dict, user_id, now: datetime | None = None
               ) -> MedicationAdministration:
    """Mark a dose: {"due_at": the scheduled time (aware; none for an SOS order),
    "outcome": given|held|refused, "reason" (needed when held or refused), "at": when
    (aware; now when left out)}. The admission is locked first, so a second nurse marking
    the same dose waits and is then told who marked it. Commits."""
    _admitted(row.admission)
    now = now or utcnow()
    errors = {}
    at = _time_given(row.admission, data.get("at"), now, errors)
    mark = _mark(row, data, at, user_id, now, errors)
    if errors:
        raise DomainError(errors)
    db.session.add(mark)
    db.session.commit()
    return mark


def mark_round(marks: list[dict], at, user_id, now: datetime | None = None
               ) -> list[MedicationAdministration]:
    """The doses of a medicine round marked at once: [{"order": MedicationOrder,
    "due_at", "outcome", "reason"}], all at `at` (now when None). All or nothing: a dose
    refused leaves every dose unmarked, each refusal under "dose:<order id>:<due_at>" and
    naming the bed, medicine and time. Commits."""
    admissions = {m["order"].admission_id: m["order"].admission for m in marks}
    lock_all(admissions.values())  # in id order: two nurses' rounds cannot deadlock
    now = now or utcnow()
    errors, rows = {}, []
    for admission in admissions.values():
        if admission.status != "admitted":
            errors[f"admission:{admission.id}"] = _(
                "Bed %(bed)s: this patient is already discharged.", bed=admission.bed.number)
    for m in marks:
        order, found = m["order"], {}
        rows.append(_mark(order, m, _time_given(order.admission, at, now, found), user_id,
                          now, found))
        if found:
            errors[f"dose:{order.id}:{_utc(m['due_at']).isoformat()}"] = "{}: {}".format(
                _("Bed %(bed)s, %(medicine)s at %(time)s", bed=order.admission.bed.number,
                  medicine=order.drug_name, time=_ist(m["due_at"])),
                " ".join(str(v) for v in found.values()))
    if not marks:
        errors["dose"] = _("Choose given, held or refused for at least one dose.")
    if errors:
        raise DomainError(errors)
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _time_given(admission: Admission, at, now: datetime, errors: dict) -> datetime:
    at = _utc(at or now)
    if at > now + timedelta(minutes=5) or at < aware(admission.admitted_at):
        errors["at"] = _("The time must be during the stay and not in the future.")
    return at


def _mark(row: MedicationOrder, data: dict, at: datetime, user_id, now: datetime,
          errors: dict) -> MedicationAdministration:
    """The mark of one dose of `row`, its refusals added to `errors` (the admission is
    locked already)."""
    outcome = data.get("outcome")
    if outcome not in MAR_OUTCOMES:
        errors["outcome"] = _("Choose given, held or refused.")
    reason = stripped(data.get("reason"))
    if outcome in ("held", "refused") and not reason:
        errors["reason"] = _("Give the reason the dose was held or refused.")
    elif len(reason) > 300:
        errors["reason"] = _("Must be at most %(n)s characters.", n=300)
    due = data.get("due_at")
    due = _utc(due) if due else None
    if row.frequency == WHEN_NEEDED:
        due = None
        if not is_active(row, at) or at < aware(row.start_at):
            errors["due_at"] = _("This order was not running at that time.")
    elif due is None or doses(row, due, due + timedelta(seconds=1)) != [due]:
        errors["due_at"] = _("Choose a dose of this order as scheduled.")
    elif at < due - GRACE:
        errors["due_at"] = _("This dose is due at %(time)s: it is marked from an hour "
                             "before.", time=_ist(due))
    else:
        marked = _marked(row.id, due)
        if marked is not None:
            errors["due_at"] = _("This dose was already marked (%(outcome)s) by %(who)s "
                                 "at %(time)s.", outcome=MAR_OUTCOMES[marked.outcome],
                                 who=_name(marked.recorded_by), time=_ist(marked.recorded_at))
    # (by id: set on the relation, the unsaved mark would join the session through it)
    return MedicationAdministration(
        facility_id=row.facility_id, order_id=row.id, admission_id=row.admission_id, due_at=due,
        outcome=outcome, at=at, reason=reason or None, recorded_by_id=user_id,
        recorded_at=now)


def void(mark: MedicationAdministration, reason, user_id, now: datetime | None = None
         ) -> MedicationAdministration:
    """Strike out a mark made in error, with the reason; the dose may be marked again.
    Commits."""
    _admitted(mark.order.admission)
    return strike_out(mark, reason, user_id, now, key="mark")


# --- what the ward reads ----------------------------------------------------------------

@dataclass
class Dose:
    due_at: datetime
    order: MedicationOrder
    mark: MedicationAdministration | bool | None   # True: marked (the round's list)
    state: str            # done | overdue | due | later


def _state(due: datetime, mark, now: datetime) -> str:
    if mark is not None:
        return "done"
    if due + GRACE < now:
        return "overdue"
    return "due" if due <= now + GRACE else "later"


def _marks_by_dose(order_ids, since, until, whole: bool) -> dict:
    """{(order id, due_at): its mark} of the doses in [since, until) marked; the marks
    with who made them when `whole`, else only that they exist (the round's list, where
    a marked dose is only counted)."""
    if not order_ids:
        return {}
    marked = (MedicationAdministration.order_id.in_(order_ids),
              MedicationAdministration.due_at >= since, MedicationAdministration.due_at < until,
              MedicationAdministration.voided_at.is_(None))
    if not whole:
        return {(order_id, aware(due)): True for order_id, due in db.session.execute(
            select(MedicationAdministration.order_id, MedicationAdministration.due_at)
            .where(*marked))}
    marks = db.session.execute(select(MedicationAdministration).where(*marked).options(
        joinedload(MedicationAdministration.recorded_by))).scalars()
    return {(m.order_id, aware(m.due_at)): m for m in marks}


def _schedule(orders, since, until, now, whole=True) -> list[Dose]:
    marks = _marks_by_dose([o.id for o in orders], since, until, whole)
    rows = [Dose(due, o, marks.get((o.id, due)), "")
            for o in orders for due in doses(o, since, until)]
    for dose in rows:
        dose.state = _state(dose.due_at, dose.mark, now)
    return sorted(rows, key=lambda d: (d.due_at, d.order.id))


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The IST day of `now`, as UTC bounds."""
    start = datetime.combine(now.astimezone(IST).date(), time(), IST).astimezone(timezone.utc)
    return start, start + timedelta(days=1)


def of_admission(admission_id: int, now: datetime | None = None) -> dict:
    """The stay's orders (running first, then ended), today's doses with their marks, and
    the record of every mark (newest first)."""
    now = now or utcnow()
    orders = db.session.execute(
        select(MedicationOrder).where(MedicationOrder.admission_id == admission_id)
        .options(joinedload(MedicationOrder.ordered_by), joinedload(MedicationOrder.stopped_by))
        .order_by(MedicationOrder.start_at, MedicationOrder.id)).scalars().all()
    since, until = day_bounds(now)
    history = db.session.execute(
        select(MedicationAdministration).where(
            MedicationAdministration.admission_id == admission_id)
        .options(joinedload(MedicationAdministration.recorded_by),
                 joinedload(MedicationAdministration.voided_by))
        .order_by(MedicationAdministration.at.desc(), MedicationAdministration.id.desc())
        .limit(200)).scalars().all()
    by_order = {o.id: o for o in orders}
    for mark in history:  # the record names each mark's order without a query per row
        set_committed_value(mark, "order", by_order[mark.order_id])
    running = [o for o in orders if is_active(o, now)]
    return {"running": running, "ended": [o for o in orders if not is_active(o, now)],
            "today": _schedule(orders, since, until, now),
            "history": history}


def due_on_ward(facility_id: int, ward_id: int | None, now: datetime | None = None,
                back: timedelta = BACK, ahead: timedelta = AHEAD) -> list[Dose]:
    """Doses of the ward's inpatients from `back` ago to `ahead`, each with its mark or
    its state (overdue, due now, later): the nurse's medicine round. Two queries."""
    now = now or utcnow()
    since, until = now - back, now + ahead
    conditions = [Admission.facility_id == facility_id, Admission.status == "admitted",
                  MedicationOrder.frequency != WHEN_NEEDED, MedicationOrder.start_at < until,
                  or_(MedicationOrder.stopped_at.is_(None), MedicationOrder.stopped_at > since),
                  or_(MedicationOrder.end_at.is_(None), MedicationOrder.end_at > since)]
    if ward_id is not None:
        conditions.append(Bed.ward_id == ward_id)
    orders = db.session.execute(
        select(MedicationOrder).join(MedicationOrder.admission).join(Admission.bed)
        .join(Admission.patient).where(*conditions)
        # (only what the round shows of the patient and bed: a big ward has hundreds)
        .options(contains_eager(MedicationOrder.admission).contains_eager(Admission.bed)
                 .load_only(Bed.number, Bed.ward_id),
                 contains_eager(MedicationOrder.admission).contains_eager(Admission.patient)
                 .load_only(Patient.name))
    ).scalars().all()
    return _schedule(orders, since, until, now, whole=False)


def wards_giving(facility_id: int, now: datetime | None = None) -> set[int]:
    """The wards with an inpatient on a running scheduled order (the round's wards)."""
    now = now or utcnow()
    return set(db.session.execute(
        select(Bed.ward_id).join(Admission, Admission.bed_id == Bed.id)
        .join(MedicationOrder, MedicationOrder.admission_id == Admission.id)
        .where(Admission.facility_id == facility_id, Admission.status == "admitted",
               MedicationOrder.frequency != WHEN_NEEDED, MedicationOrder.stopped_at.is_(None),
               or_(MedicationOrder.end_at.is_(None), MedicationOrder.end_at > now))
        .distinct()).scalars())


def _marked(order_id: int, due: datetime) -> MedicationAdministration | None:
    return db.session.execute(select(MedicationAdministration).where(
        MedicationAdministration.order_id == order_id, MedicationAdministration.due_at == due,
        MedicationAdministration.voided_at.is_(None))
        .options(joinedload(MedicationAdministration.recorded_by))).scalar_one_or_none()


def _drug(data: dict, errors: dict) -> Drug | None:
    """The drug master entry: by id (the API), or named as the list shows it (the form)."""
    if data.get("drug") not in (None, ""):
        drug = db.session.get(Drug, data["drug"]) if isinstance(data["drug"], int) else None
        if drug is None or not drug.active:
            errors["drug"] = _("Choose a medicine of the drug master.")
        return drug
    return drug_named(stripped(data.get("drug_name")))


def _ist(value: datetime) -> str:
    return aware(value).astimezone(IST).strftime("%d-%m-%Y %H:%M")


def _name(user) -> str:
    return f"{user.first_name} {user.last_name}".strip() if user is not None else "?"

