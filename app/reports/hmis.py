"""The national HMIS monthly facility report (MoHFW): every data item of the format, with
its official number and name, and for the items our records hold, the figure counted from
them for a facility and month. An item the system does not record is shown as "not
recorded here", never as 0. Each figure drills down to the records it counts.

The items are counted by "sources": one query per kind of record (OPD visits, admissions,
discharges, referrals out, lab tests, lab results) over the month, with the patient's sex
and age at the event, in SQL, and one FILTERed count per item, grouped by facility, so a
facility's month and the state's roll-up are the same few queries. A record of a merged
duplicate is counted once, with the sex and birth date of the record it was merged into.
Age groups are HMIS's: a male child <18, b male adult <60, c female child <18, d female
adult <60, e anyone ≥60 (transgender patients under 60 fall in no group)."""
import csv
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from sqlalchemy import and_, case, exists, func, join, literal, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.billing.dayend import ist_range
from app.core.models import Department, Facility, in_user_language
from app.core.numbering import ist_today
from app.extensions import db
from app.ipd.census import Row as WardRow
from app.ipd.census import add_row, census, facility_totals
from app.ipd.models import Admission, AdmissionDiagnosis
from app.lab.models import LabOrder, LabOrderItem, LabResult, LabTest
from app.opd.models import Consultation, Icd10, OpdVisit
from app.registration.models import Patient

from .hmis_records import describe
from .sql import ist_date, night, whole_years

ITEMS_FILE = Path(__file__).parent / "data" / "hmis_items.csv"
EMERGENCY = "EMR"     # the department whose visits are the emergency's registrations
SHOWN = 500           # records listed when a figure is drilled into


@dataclass(frozen=True)
class Item:
    number: str
    name_en: str
    name_hi: str
    section_en: str
    section_hi: str

    @property
    def name(self) -> str:
        return in_user_language(self.name_en, self.name_hi)

    @property
    def section(self) -> str:
        return in_user_language(self.section_en, self.section_hi)


def _load_items() -> list[Item]:
    with ITEMS_FILE.open(encoding="utf-8") as f:
        return [Item(r["item_no"], r["name_en"], r["name_hi"], r["section_en"], r["section_hi"])
                for r in csv.DictReader(f)]


ITEMS = _load_items()
BY_NUMBER = {item.number: item for item in ITEMS}


def _with_patient(select_from, patient_id_column, day, *columns):
    """A source's select: its own columns, then the patient's sex and age on `day`, those
    of the record it was merged into for a merged duplicate's. Every source gives, for
    (first, last), the columns the items read: facility_id, record_id, at, gender, age,
    and its own (department, outcome, code, value...)."""
    own, kept = aliased(Patient), aliased(Patient)
    return (select(*columns, func.coalesce(kept.gender, own.gender).label("gender"),
                   whole_years(day, func.coalesce(kept.dob, own.dob)).label("age"))
            .select_from(select_from).join(own, own.id == patient_id_column)
            .outerjoin(kept, kept.id == own.merged_into_id))


def _opd_query(first, last):
    return (_with_patient(OpdVisit, OpdVisit.patient_id, OpdVisit.visit_date,
                          OpdVisit.facility_id.label("facility_id"),
                          OpdVisit.id.label("record_id"), OpdVisit.created_at.label("at"),
                          Department.code.label("department"),
                          night(OpdVisit.created_at).label("night"))
            .join(Department, Department.id == OpdVisit.department_id)
            .where(OpdVisit.visit_date >= first, OpdVisit.visit_date <= last))


def _stays(at, *columns, select_from=Admission):
    """Stays as a source, each at the time `at` (admitted or discharged)."""
    return _with_patient(select_from, Admission.patient_id, ist_date(at),
                         Admission.facility_id.label("facility_id"),
                         Admission.id.label("record_id"), at.label("at"), *columns)


def _admitted_query(first, last):
    start, end = ist_range(first, last)
    return (_stays(Admission.admitted_at, Admission.mlc.label("mlc"))
            .where(Admission.admitted_at >= start, Admission.admitted_at < end,
                   Admission.status != "cancelled"))


def _left_query(first, last):
    start, end = ist_range(first, last)
    return (_stays(Admission.discharged_at, Admission.discharge_type.label("outcome"))
            .where(Admission.discharged_at >= start, Admission.discharged_at < end,
                   Admission.status == "discharged"))


def _referred_query(first, last):
    """Referred out to another facility: from the OPD (and emergency) consultation, and
    from the ward."""
    start, end = ist_range(first, last)
    seen = join(Consultation, OpdVisit, OpdVisit.id == Consultation.visit_id)
    opd = (_with_patient(seen, OpdVisit.patient_id, ist_date(Consultation.completed_at),
                         Consultation.facility_id.label("facility_id"),
                         Consultation.id.label("record_id"), Consultation.completed_at.label("at"),
                         literal("opd").label("kind"),
                         night(Consultation.completed_at).label("night"))
           .where(Consultation.completed_at >= start, Consultation.completed_at < end,
                  Consultation.referral_facility.is_not(None),
                  Consultation.referral_facility != ""))
    ward = (_stays(Admission.discharged_at, literal("ipd").label("kind"),
                   night(Admission.discharged_at).label("night"))
            .where(Admission.discharged_at >= start, Admission.discharged_at < end,
                   Admission.status == "discharged", Admission.discharge_type == "referred"))
    return opd.union_all(ward)


def _released_in(first, last):
    start, end = ist_range(first, last)
    return and_(LabOrderItem.released_at >= start, LabOrderItem.released_at < end)


def _tests_query(first, last):
    """Tests reported in the month (a panel is one test), each once however amended."""
    flagged = case((exists().where(LabResult.item_id == LabOrderItem.id,
                                   LabResult.status == "released",
                                   LabResult.flag.is_not(None)), 1), else_=0)
    ordered = join(LabOrderItem, LabOrder, LabOrder.id == LabOrderItem.order_id)
    return (_with_patient(ordered, LabOrder.patient_id,
                          ist_date(LabOrderItem.released_at),
                          LabOrderItem.facility_id.label("facility_id"),
                          LabOrderItem.id.label("record_id"),
                          LabOrderItem.released_at.label("at"), LabTest.code.label("code"),
                          flagged.label("flagged"))
            .join(LabTest, LabTest.id == LabOrderItem.test_id)
            .where(_released_in(first, last), LabOrder.status != "cancelled"))


def _results_query(first, last):
    """Each analyte's value as it stands (an amended result counted once, as amended),
    of the tests reported in the month."""
    return (_with_patient(LabResult, LabResult.patient_id, ist_date(LabOrderItem.released_at),
                          LabResult.facility_id.label("facility_id"),
                          LabResult.id.label("record_id"),
                          LabOrderItem.released_at.label("at"), LabTest.code.label("code"),
                          LabResult.value.label("value"),
                          LabResult.value_number.label("number"))
            .join(LabOrderItem, LabOrderItem.id == LabResult.item_id)
            .join(LabOrder, LabOrder.id == LabOrderItem.order_id)
            .join(LabTest, LabTest.id == LabResult.analyte_id)
            .where(_released_in(first, last), LabResult.status == "released",
                   LabOrder.status != "cancelled"))


# --- what each item counts ---------------------------------------------------------------

GROUPS = {
    "a": lambda c: and_(c.gender == "M", c.age < 18),
    "b": lambda c: and_(c.gender == "M", c.age >= 18, c.age < 60),
    "c": lambda c: and_(c.gender == "F", c.age < 18),
    "d": lambda c: and_(c.gender == "F", c.age >= 18, c.age < 60),
    "e": lambda c: c.age >= 60,
}


@dataclass(frozen=True)
class Measure:
    source: str
    where: Callable      # the source's columns → the condition for this item


def _grouped(prefix: str, source: str, where=lambda c: True) -> dict:
    return {f"{prefix}.{g}": Measure(source, lambda c, g=g, w=where: and_(w(c), GROUPS[g](c)))
            for g in GROUPS}


def _smears(prefix, code, vivax, falciparum, mixed) -> dict:
    return {f"{prefix}.a": Measure("results", lambda c: c.code == code),
            f"{prefix}.b": Measure("results", lambda c: and_(c.code == code, c.value == vivax)),
            f"{prefix}.c": Measure("results", lambda c: and_(c.code == code,
                                                             c.value == falciparum)),
            f"{prefix}.d": Measure("results", lambda c: and_(c.code == code, c.value == mixed))}


# In-patients by condition (14.4.x): the stays ended in the month (deaths too) whose
# diagnoses, provisional or final and not ruled out, fall in the condition's ICD-10 codes.
CONDITIONS = {
    "14.4.1": ("B50", "B51", "B52", "B53", "B54"),                 # malaria
    "14.4.2": ("A90", "A91", "A97"),                               # dengue
    "14.4.3": ("A01",),                                            # typhoid (enteric) fever
    "14.4.4": ("J0", "J1", "J20", "J21", "J22", "J4"),             # respiratory, asthma, COPD
    "14.4.5": ("A15", "A16", "A17", "A18", "A19"),                 # tuberculosis
    "14.4.6": ("R50",),                                            # fever of unknown origin
    "14.4.10": ("Z51.5",),                                         # palliative care
    "14.4.11": ("F",),                                             # mental and behavioural
}
DIARRHOEA, DEHYDRATION = ("A0",), ("E86",)                         # 14.4.7: both on the stay


def _flag(name):
    return "c_" + name.replace(".", "_")


def _conditions_query(first, last):
    """The stays ended in the month that have diagnoses, one row each, with a 1 for each
    condition one of them falls in (a single pass over those stays' diagnoses)."""
    start, end = ist_range(first, last)
    codes = {**CONDITIONS, "diarrhoea": DIARRHOEA, "dehydration": DEHYDRATION}
    per_stay = (select(AdmissionDiagnosis.admission_id.label("stay"), *[
        func.max(case((or_(*[Icd10.code.like(f"{p}%") for p in prefixes]), 1), else_=0))
        .label(_flag(name)) for name, prefixes in codes.items()])
        .join(Icd10, Icd10.id == AdmissionDiagnosis.icd10_id)
        .join(Admission, Admission.id == AdmissionDiagnosis.admission_id)
        .where(AdmissionDiagnosis.ruled_out_at.is_(None), Admission.status == "discharged",
               Admission.discharged_at >= start, Admission.discharged_at < end)
        .group_by(AdmissionDiagnosis.admission_id)).subquery()
    return _stays(Admission.discharged_at, *[per_stay.c[_flag(name)] for name in codes],
                  select_from=join(Admission, per_stay, per_stay.c.stay == Admission.id))


def _hiv(prefix, gender) -> dict:
    return {f"{prefix}.a": Measure("results", lambda c: and_(c.code == "HIV",
                                                             c.gender == gender)),
            f"{prefix}.b": Measure("results", lambda c: and_(c.code == "HIV", c.gender == gender,
                                                             c.value == "Reactive"))}


MEASURES: dict[str, Measure] = {
    "14.2.1": Measure("opd", lambda c: c.department != EMERGENCY),
    "14.1.21": Measure("opd", lambda c: and_(c.department != EMERGENCY, c.age >= 60)),
    **_grouped("14.3.1", "admitted"),
    **_grouped("14.3.2", "left", lambda c: c.outcome == "recovered"),
    **_grouped("14.3.3", "left", lambda c: c.outcome == "referred"),
    **_grouped("14.3.4", "left", lambda c: c.outcome == "death"),
    "14.3.5.a": Measure("referred", lambda c: c.night == 0),
    "14.3.5.b": Measure("referred", lambda c: c.night == 1),
    "14.3.7.a": Measure("left", lambda c: c.outcome == "lama"),
    **{number: Measure("conditions", lambda c, number=number: c[_flag(number)] == 1)
       for number in CONDITIONS},
    "14.4.7": Measure("conditions", lambda c: and_(c[_flag("diarrhoea")] == 1,
                                                   c[_flag("dehydration")] == 1)),
    "14.3.8": Measure("admitted", lambda c: c.mlc.is_(True)),
    "14.5.1": Measure("opd", lambda c: c.department == EMERGENCY),
    "14.5.2": Measure("opd", lambda c: and_(c.department == EMERGENCY,
                                            c.night == 1)),
    "15.1.1": Measure("tests", lambda c: True),
    "15.2.1": Measure("results", lambda c: c.code == "HB"),
    "15.2.2": Measure("results", lambda c: and_(c.code == "HB", c.number < 7)),
    **_hiv("15.3.1", "M"),
    **_hiv("15.3.2", "F"),
    **_hiv("15.3.4", "T"),
    "15.4.1.a": Measure("results", lambda c: and_(c.code == "VDRL", c.gender == "M")),
    "15.5.1": Measure("tests", lambda c: c.code == "WIDAL"),
    "15.5.2": Measure("tests", lambda c: and_(c.code == "WIDAL", c.flagged == 1)),
    **_smears("11.1.1", "MP-SMEAR", "P. vivax seen", "P. falciparum seen",
              "Mixed (Pf + Pv) seen"),
    **_smears("11.1.2", "MP-RDT", "P. vivax positive", "P. falciparum positive",
              "Mixed (Pf + Pv) positive"),
}
HEAD_COUNT = "14.10"   # from the ward census (patient-days), not a source


def counted() -> set[str]:
    return set(MEASURES) | {HEAD_COUNT}


SOURCES = {"opd": _opd_query, "admitted": _admitted_query, "left": _left_query,
           "conditions": _conditions_query,
           "referred": _referred_query, "tests": _tests_query, "results": _results_query}


# --- the report --------------------------------------------------------------------------

def month_days(month: date) -> tuple[date, date]:
    """The month's first day and its last day counted: today, while the month runs."""
    last = date(month.year, month.month, monthrange(month.year, month.month)[1])
    return month, min(last, ist_today())


@dataclass
class Report:
    month: date
    first: date
    last: date
    facilities: list                    # the Facility rows counted
    values: dict = field(default_factory=dict)   # item → {facility id: n}
    wards: dict = field(default_factory=dict)    # facility id → its census total

    @property
    def beds(self) -> dict:
        return {fid: row.beds for fid, row in self.wards.items()}

    def value(self, number: str, facility_ids=None):
        """The item's figure over these facilities (all counted, for None); None for an
        item not recorded here."""
        if number not in self.values:
            return None
        by_facility = self.values[number]
        ids = facility_ids if facility_ids is not None else [f.id for f in self.facilities]
        return sum(by_facility.get(fid, 0) for fid in ids)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def occupancy(self, facility_ids=None):
        """Bed occupancy %: 14.10 ÷ (beds × days) × 100, as the ward census says it."""
        total = WardRow()
        for fid in facility_ids if facility_ids is not None else [f.id for f in self.facilities]:
            add_row(total, self.wards[fid])
        return total.occupancy(self.days)

    def districts(self) -> list[tuple]:
        """(district, [facility ids]) in name order, for the state roll-up."""
        by_district = defaultdict(list)
        for facility in self.facilities:
            by_district[facility.district].append(facility.id)
        return sorted(by_district.items(), key=lambda pair: pair[0].name_en)


def report(month: date, facility_id: int | None = None) -> Report:
    """The month's figures for one facility, or for every active facility (None)."""
    first, last = month_days(month)
    query = select(Facility).where(Facility.active.is_(True)).order_by(Facility.code)
    if facility_id is not None:
        query = select(Facility).where(Facility.id == facility_id)
    # the header and the roll-up name each facility's district and state
    facilities = db.session.execute(query.options(
        joinedload(Facility.district), joinedload(Facility.state))).scalars().all()
    ids = [f.id for f in facilities]
    out = Report(month, first, last, facilities)
    by_source = defaultdict(list)
    for number, measure in MEASURES.items():
        by_source[measure.source].append(number)
    for name, numbers in by_source.items():
        rows = SOURCES[name](first, last).subquery()
        counts = db.session.execute(
            select(rows.c.facility_id,
                   *[func.count().filter(MEASURES[n].where(rows.c)) for n in numbers])
            .where(rows.c.facility_id.in_(ids)).group_by(rows.c.facility_id)).all()
        for number in numbers:
            out.values[number] = {}
        for row in counts:
            for number, n in zip(numbers, row[1:]):
                out.values[number][row[0]] = n
    out.wards = facility_totals(ids, first, last)
    out.values[HEAD_COUNT] = {fid: row.patient_days for fid, row in out.wards.items()}
    return out


def drill(number: str, month: date, facility_id: int) -> tuple[int, list]:
    """The records an item counts for a facility and month: (how many, the first SHOWN
    as display rows)."""
    first, last = month_days(month)
    if number == HEAD_COUNT:
        return _drill_head_count(facility_id, first, last)
    measure = MEASURES[number]
    rows = SOURCES[measure.source](first, last).subquery()
    where = and_(rows.c.facility_id == facility_id, measure.where(rows.c))
    total = db.session.execute(select(func.count()).select_from(rows).where(where)).scalar()
    ids = db.session.execute(select(rows.c.record_id, rows.c.kind if "kind" in rows.c else
                                    literal("")).where(where)
                             .order_by(rows.c.at, rows.c.record_id).limit(SHOWN)).all()
    return total, describe(measure.source, ids)


def _drill_head_count(facility_id, first, last):
    nights = census(facility_id, first, last)["nights"]
    ids = sorted(nights)[:SHOWN]
    rows = describe("stay", [(i, "") for i in ids])
    for row in rows:
        row["detail"] = str(nights[row["id"]])
    return len(nights), rows
