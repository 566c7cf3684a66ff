"""The state's dashboard: every active facility side by side over the last 30 days, with
its district's and the state's totals: OPD attendance, admissions, deaths, bed occupancy
and average stay (from the ward census), lab tests reported, money collected (refunds
taken off) and the value of exemptions granted. One grouped query per measure, however
many facilities."""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from app.billing.dayend import ist_range
from app.billing.models import BillLine, Payment
from app.core.models import Facility
from app.core.numbering import ist_today
from app.extensions import db
from app.ipd.census import Row as WardRow
from app.ipd.census import add_row, facility_totals
from app.ipd.models import Admission
from app.lab.models import LabOrderItem
from app.opd.models import OpdVisit

from .dashboard import DAYS

MEASURES = ("opd", "admitted", "deaths", "lab", "collected", "exempted")
# the comparison's columns and charts, in order
CHARTED = ("opd", "admitted", "deaths", "occupancy", "alos", "lab", "collected", "exempted")


@dataclass
class Row:
    name: str
    opd: int = 0
    admitted: int = 0
    deaths: int = 0
    lab: int = 0
    collected: Decimal = Decimal(0)
    exempted: Decimal = Decimal(0)
    wards: WardRow = field(default_factory=WardRow)   # the census: beds, stays, midnights
    facilities: list = field(default_factory=list)

    @property
    def occupancy(self):
        return self.wards.occupancy(DAYS)

    @property
    def alos(self):
        return self.wards.alos

    def add(self, other: "Row") -> None:
        for name in MEASURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        add_row(self.wards, other.wards)


def _by_facility(query) -> dict:
    return dict(db.session.execute(query).all())


def compare() -> dict:
    """{"first", "last", "districts": [district Rows, each with its (facility, Row)s],
    "state": Row, "chart": the CHARTED figures per facility}."""
    last = ist_today()
    first = last - timedelta(days=DAYS - 1)
    start, end = ist_range(first, last)
    facilities = db.session.execute(select(Facility).where(Facility.active.is_(True))
                                    .options(joinedload(Facility.district))
                                    .order_by(Facility.code)).scalars().all()
    counts = {
        "opd": _by_facility(select(OpdVisit.facility_id, func.count())
                            .where(OpdVisit.visit_date >= first)
                            .group_by(OpdVisit.facility_id)),
        "admitted": _by_facility(select(Admission.facility_id, func.count())
                                 .where(Admission.admitted_at >= start,
                                        Admission.admitted_at < end,
                                        Admission.status != "cancelled")
                                 .group_by(Admission.facility_id)),
        "deaths": _by_facility(select(Admission.facility_id, func.count())
                               .where(Admission.discharged_at >= start,
                                      Admission.discharged_at < end,
                                      Admission.discharge_type == "death")
                               .group_by(Admission.facility_id)),
        "lab": _by_facility(select(LabOrderItem.facility_id, func.count())
                            .where(LabOrderItem.released_at >= start,
                                   LabOrderItem.released_at < end)
                            .group_by(LabOrderItem.facility_id)),
        "collected": _by_facility(select(Payment.facility_id, func.sum(case(
            (Payment.kind == "refund", -Payment.amount), else_=Payment.amount)))
            .where(Payment.received_at >= start, Payment.received_at < end)
            .group_by(Payment.facility_id)),
        "exempted": _by_facility(select(BillLine.facility_id, func.sum(
            BillLine.unit_price * BillLine.quantity - BillLine.amount))
            .where(BillLine.bill_date >= first, BillLine.scheme_en.is_not(None),
                   BillLine.cancelled.is_(False))
            .group_by(BillLine.facility_id)),
    }
    wards = facility_totals([f.id for f in facilities], first, last)
    districts: dict = {}
    state = Row("")
    for facility in facilities:
        row = Row(facility.code)
        for name in MEASURES:
            setattr(row, name, type(getattr(row, name))(counts[name].get(facility.id) or 0))
        row.wards = wards[facility.id]
        district = districts.setdefault(facility.district_id,
                                        Row(facility.district.name if facility.district else ""))
        district.facilities.append((facility, row))
        district.add(row)
        state.add(row)
    ordered = sorted(districts.values(), key=lambda d: d.name)
    rows = [(f, row) for district in ordered for f, row in district.facilities]
    return {"first": first, "last": last, "state": state, "districts": ordered,
            "chart": {"facilities": [f.code for f, _row in rows],
                      "values": [[_number(getattr(row, key)) for _f, row in rows]
                                 for key in CHARTED]}}


def _number(value):
    return float(value) if value is not None else None
