"""The intake/output chart: what went into a patient (by mouth, IV, tube, blood) and what
came out (urine, vomit, drain, aspirate, liquid stool), in millilitres, and the balance
of each ward day. Indian wards total the chart from 8 am to 8 am, so a day here runs so
too. A wrong line is struck out with its reason, never deleted; totals leave it out."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.base_views import DomainError
from app.core.formatting import IST, aware
from app.core.input_guard import stripped, whole_number
from app.core.models import utcnow
from app.extensions import db

from .models import FLUID_ROUTES, Admission, FluidEntry
from .services import _admitted, _utc, strike_out

DIRECTION = {route: direction for direction, routes in FLUID_ROUTES.items() for route in routes}
LARGEST_ML = 5000   # more than any one entry on a ward chart: a typing slip
DAY_STARTS = time(8)
SHOWN_DAYS = 10


def record(admission: Admission, data: dict, user_id, now: datetime | None = None) -> FluidEntry:
    """A line: {"route" (oral, iv, ... urine, drain, ...), "volume_ml", "at" (aware; now
    when left out), "note"}. Commits."""
    _admitted(admission)
    now = now or utcnow()
    errors = {}
    route = data.get("route")
    if route not in DIRECTION:
        errors["route"] = _("Choose what went in or came out.")
    volume = whole_number(data.get("volume_ml"), "volume_ml", 1, LARGEST_ML, errors,
                          _("Volume is a whole number of ml from 1 to %(n)s.", n=LARGEST_ML))
    if volume is None and "volume_ml" not in errors:
        errors["volume_ml"] = _("Enter the volume in ml.")
    at = _utc(data.get("at") or now)
    if at > now + timedelta(minutes=5) or at < aware(admission.admitted_at):
        errors["at"] = _("The time must be during the stay and not in the future.")
    note = stripped(data.get("note"))
    if len(note) > 200:
        errors["note"] = _("Must be at most %(n)s characters.", n=200)
    if errors:
        raise DomainError(errors)
    entry = FluidEntry(facility_id=admission.facility_id, admission=admission, at=at,
                       direction=DIRECTION[route], route=route, volume_ml=volume,
                       note=note or None, recorded_by_id=user_id, recorded_at=now)
    db.session.add(entry)
    db.session.commit()
    return entry


def void(entry: FluidEntry, reason, user_id, now: datetime | None = None) -> FluidEntry:
    """Strike out a line entered in error, with the reason. Commits."""
    _admitted(entry.admission)
    return strike_out(entry, reason, user_id, now)


def ward_day(at: datetime) -> date:
    """The ward day a time falls in: the date on which that 8 am-to-8 am day began."""
    local = aware(at).astimezone(IST)
    return local.date() - timedelta(days=1) if local.time() < DAY_STARTS else local.date()


@dataclass
class Day:
    day: date
    intake: dict = field(default_factory=dict)    # route → ml
    output: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)   # struck-out ones too, shown as such

    @property
    def total_in(self) -> int:
        return sum(self.intake.values())

    @property
    def total_out(self) -> int:
        return sum(self.output.values())

    @property
    def balance(self) -> int:
        return self.total_in - self.total_out


def chart(admission_id: int, days: int = SHOWN_DAYS) -> list[Day]:
    """The stay's last `days` ward days with entries, newest first, each with its totals
    by route and its lines in time order."""
    rows = db.session.execute(
        select(FluidEntry).where(FluidEntry.admission_id == admission_id)
        .options(joinedload(FluidEntry.recorded_by))
        .order_by(FluidEntry.at, FluidEntry.id)).scalars().all()
    by_day: dict[date, Day] = {}
    for row in rows:
        day = by_day.setdefault(ward_day(row.at), Day(ward_day(row.at)))
        day.entries.append(row)
        if row.voided_at is None:
            totals = day.intake if row.direction == "in" else day.output
            totals[row.route] = totals.get(row.route, 0) + row.volume_ml
    return sorted(by_day.values(), key=lambda d: d.day, reverse=True)[:days]


def last_balance(admission_ids: list[int], now: datetime | None = None) -> dict[int, Day]:
    """{admission id: its current ward day's totals} for the handover sheet (admissions
    with nothing charted today are left out)."""
    if not admission_ids:
        return {}
    today = ward_day(now or utcnow())
    since = _utc(datetime.combine(today, DAY_STARTS, IST))  # SQLite compares as text, in UTC
    rows = db.session.execute(
        select(FluidEntry.admission_id, FluidEntry.direction, FluidEntry.route,
               FluidEntry.volume_ml)
        .where(FluidEntry.admission_id.in_(admission_ids), FluidEntry.at >= since,
               FluidEntry.voided_at.is_(None))).all()
    days: dict[int, Day] = {}
    for admission_id, direction, route, volume in rows:
        totals = days.setdefault(admission_id, Day(today))
        side = totals.intake if direction == "in" else totals.output
        side[route] = side.get(route, 0) + volume
    return days
