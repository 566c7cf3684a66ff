"""The ward census: for each day, each ward's head count at midnight (the national HMIS
item 14.10 counts the in-patients present at midnight, summed over the month), admissions,
transfers in and out, discharges by type and deaths; for a range of days, patient-days,
bed occupancy and average length of stay per ward and per department.

Counted from the bed stays themselves (one query for the range, however many days), so
the census always matches the record: a patient is in a ward at midnight when a stay of
theirs in one of its beds began before and had not ended by then. Cancelled admissions
(made in error) count nowhere. The day is the IST day; its midnight the one that ends it."""
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.core.base_views import DomainError
from app.core.formatting import IST, aware, parse_date
from app.core.models import Department
from app.core.numbering import ist_today
from app.extensions import db

from .models import DISCHARGE_TYPES, Admission, Bed, BedStay, Ward

LONGEST = 366  # days in one census
HEADINGS = {"beds": _l("Beds"), "midnight": _l("Head count at midnight"),
            "patient_days": _l("Patient-days (midnight counts)"), "admissions": _l("Admissions"),
            "transfers_in": _l("Transfers in"), "transfers_out": _l("Transfers out"),
            "occupancy": _l("Bed occupancy %"),
            "alos": _l("Average length of stay (days)")}


@dataclass
class Row:
    """A ward's (or department's) figures over the days counted."""
    beds: int = 0
    patient_days: int = 0               # the head counts at midnight, summed
    admissions: int = 0
    transfers_in: int = 0
    transfers_out: int = 0
    discharges: dict = field(default_factory=lambda: {k: 0 for k in DISCHARGE_TYPES})
    stay_days: float = 0.0              # length of stay of those discharged, summed

    @property
    def left(self) -> int:
        return sum(self.discharges.values())

    def occupancy(self, days: int) -> float | None:
        return round(100 * self.patient_days / (self.beds * days), 1) if self.beds else None

    @property
    def alos(self) -> float | None:
        return round(self.stay_days / self.left, 1) if self.left else None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), IST).astimezone(timezone.utc)


def check_range(first: date | None, last: date | None, today: date | None = None
                ) -> tuple[date, date]:
    """The days asked for: both given, in order, not in the future, at most a year."""
    today = today or ist_today()
    first, last = first or today, last or first or today
    if last < first:
        raise DomainError({"to": _("The last day is before the first.")})
    if last > today:
        raise DomainError({"to": _("The census cannot count days still to come.")})
    if (last - first).days + 1 > LONGEST:
        raise DomainError({"to": _("At most %(n)s days at a time.", n=LONGEST)})
    return first, last


def _stays(facility_ids: list[int], start: datetime, end: datetime) -> list:
    """The bed stays of these facilities that overlap [start, end), with their ward."""
    return db.session.execute(
        select(BedStay.facility_id, BedStay.admission_id, BedStay.from_at, BedStay.to_at,
               Bed.ward_id, Admission.admitted_at, Admission.discharged_at,
               Admission.discharge_type, Admission.status, Ward.department_id)
        .join(Bed, Bed.id == BedStay.bed_id).join(Ward, Ward.id == Bed.ward_id)
        .join(Admission, Admission.id == BedStay.admission_id)
        .where(BedStay.facility_id.in_(facility_ids), Admission.status != "cancelled",
               BedStay.from_at < end, or_(BedStay.to_at.is_(None), BedStay.to_at >= start))
    ).all()


def _tally(row: Row, stay, start: datetime, end: datetime, midnights: list) -> range:
    """One bed stay into its ward's Row (admission or transfer in, discharge or transfer
    out); returns the midnights it spans (indexes into `midnights`): after it began,
    before it ended."""
    since, until = aware(stay.from_at), aware(stay.to_at) if stay.to_at else None
    spans = range(bisect_right(midnights, since),
                  bisect_left(midnights, until) if until else len(midnights))
    if start <= since < end:
        if since == aware(stay.admitted_at):
            row.admissions += 1
        else:
            row.transfers_in += 1
    if until is not None and start <= until < end:
        if stay.discharged_at is not None and until == aware(stay.discharged_at):
            row.discharges[stay.discharge_type] = row.discharges.get(stay.discharge_type, 0) + 1
            row.stay_days += (until - aware(stay.admitted_at)).total_seconds() / 86400
        else:
            row.transfers_out += 1
    return spans


def _window(first: date, last: date) -> tuple[datetime, datetime, list]:
    days = (last - first).days + 1
    return (_midnight(first), _midnight(last + timedelta(days=1)),
            [_midnight(first + timedelta(days=n + 1)) for n in range(days)])


def census(facility_id: int, first: date, last: date) -> dict:
    """{"wards": [(ward, Row)], "departments": [(department, Row)], "total": Row,
    "days": n, "midnights": {ward id: [head count per day]}, "nights": {admission id:
    midnights counted}} for the days first..last."""
    start, end, midnights = _window(first, last)
    stays = _stays([facility_id], start, end)
    wards = db.session.execute(select(Ward).where(Ward.facility_id == facility_id)
                               .order_by(Ward.code)).scalars().all()
    beds = dict(db.session.execute(
        select(Bed.ward_id, func.count()).where(Bed.facility_id == facility_id,
                                               Bed.active.is_(True)).group_by(Bed.ward_id)).all())
    days = len(midnights)
    by_ward = defaultdict(Row)
    heads = defaultdict(lambda: [0] * days)
    nights = defaultdict(int)           # admission → the midnights it was counted at
    for ward in wards:
        by_ward[ward.id].beds = beds.get(ward.id, 0)
    for s in stays:
        for n in _tally(by_ward[s.ward_id], s, start, end, midnights):
            heads[s.ward_id][n] += 1
            nights[s.admission_id] += 1
    for ward_id, counts in heads.items():
        by_ward[ward_id].patient_days = sum(counts)
    departments = db.session.execute(select(Department).where(
        Department.facility_id == facility_id).order_by(Department.code)).scalars().all()
    by_department = {d.id: Row() for d in departments}
    for ward in wards:
        if ward.department_id in by_department:
            add_row(by_department[ward.department_id], by_ward[ward.id])
    total = Row()
    for ward in wards:
        add_row(total, by_ward[ward.id])
    return {"wards": [(w, by_ward[w.id]) for w in wards],
            "departments": [(d, by_department[d.id]) for d in departments
                            if by_department[d.id].beds or by_department[d.id].patient_days],
            "total": total, "days": days, "midnights": dict(heads),
            "nights": dict(nights)}


def facility_totals(facility_ids: list[int], first: date, last: date) -> dict[int, Row]:
    """census()'s total for each of these facilities, in two queries however many they
    are (the state's reports): beds, patient-days, admissions, transfers, discharges."""
    start, end, midnights = _window(first, last)
    totals = {fid: Row() for fid in facility_ids}
    for fid, n in db.session.execute(
            select(Bed.facility_id, func.count()).where(
                Bed.facility_id.in_(facility_ids), Bed.active.is_(True))
            .group_by(Bed.facility_id)):
        totals[fid].beds = n
    for s in _stays(facility_ids, start, end):
        totals[s.facility_id].patient_days += len(_tally(totals[s.facility_id], s, start, end,
                                                         midnights))
    return totals


def add_row(into: Row, row: Row) -> None:
    """Adds `row`'s figures into `into` (a department's, a facility's, a district's)."""
    into.beds += row.beds
    into.patient_days += row.patient_days
    into.admissions += row.admissions
    into.transfers_in += row.transfers_in
    into.transfers_out += row.transfers_out
    into.stay_days += row.stay_days
    for kind, n in row.discharges.items():
        into.discharges[kind] = into.discharges.get(kind, 0) + n


def census_rows(facility_id: int, first, last) -> dict:
    """The census with each row named for its table, the totals last."""
    result = census(facility_id, first, last)
    total = (_("All wards"), result["total"])
    return {"result": result, "days": result["days"], "discharge_types": DISCHARGE_TYPES,
            "headings": HEADINGS,
            "wards": [(f"{w.code} · {w.name}", row) for w, row in result["wards"]] + [total],
            "departments": [(d.name, row) for d, row in result["departments"]] + [total]}


def asked_range(args):
    """The form's from/to (dd-mm-yyyy; today when empty), checked: → (first, last)."""
    days = {}
    for name in ("from", "to"):
        try:
            days[name] = parse_date(args.get(name, "").strip())
        except ValueError:
            raise DomainError({name: _("Write the date as dd-mm-yyyy.")})
    return check_range(days["from"], days["to"])
