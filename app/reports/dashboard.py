"""A facility's dashboard: the last 30 days of OPD attendance (new and follow-up, by
department, by sex and age group), admissions and discharges (by how the stay ended),
beds occupied by ward now and each ward's occupancy and average stay over the days, the
lab's workload and turnaround by section, money by payment mode and by service,
exemptions by scheme and the commonest diagnoses, each counted from the records in one
grouped query (the wards' from the census)."""
from datetime import timedelta

from collections import Counter
from statistics import median

from sqlalchemy import case, func, select

from app.billing.dayend import day_end, ist_range
from app.billing.views import KIND_LABELS, PAYMENT_MODES_AND_ADVANCE
from app.core.formatting import IST, aware
from app.core.models import Department
from app.core.numbering import ist_today
from app.extensions import db
from app.ipd.models import DISCHARGE_TYPES, Admission, Bed, BedStay, Ward
from app.lab.models import SECTIONS, LabOrder, LabOrderItem, LabTest
from app.opd.models import Consultation, Diagnosis, Icd10, OpdVisit
from app.registration.models import GENDERS, Patient

from .sql import ist_date, whole_years

DAYS = 30
TOP = 20
AGE_GROUPS = ((0, 18, "0-17"), (18, 60, "18-59"), (60, 200, "60+"))


def figures(facility_id: int) -> dict:
    """Plain numbers and labels, ready for the charts (JSON)."""
    last = ist_today()
    first = last - timedelta(days=DAYS - 1)
    days = [first + timedelta(days=n) for n in range(DAYS)]
    start, end = ist_range(first, last)
    visits, departments, groups = _opd(facility_id, first)
    admitted = dict(db.session.execute(
        select(ist_date(Admission.admitted_at), func.count())
        .where(Admission.facility_id == facility_id, Admission.admitted_at >= start,
               Admission.admitted_at < end, Admission.status != "cancelled")
        .group_by(ist_date(Admission.admitted_at))).all())
    discharged = dict(db.session.execute(
        select(ist_date(Admission.discharged_at), func.count())
        .where(Admission.facility_id == facility_id, Admission.discharged_at >= start,
               Admission.discharged_at < end)
        .group_by(ist_date(Admission.discharged_at))).all())
    wards = db.session.execute(
        select(Ward.code, func.count(Bed.id.distinct()), func.count(BedStay.id.distinct()))
        .join(Bed, Bed.ward_id == Ward.id)
        .outerjoin(BedStay, (BedStay.bed_id == Bed.id) & BedStay.to_at.is_(None))
        .where(Ward.facility_id == facility_id, Ward.active.is_(True), Bed.active.is_(True))
        .group_by(Ward.code).order_by(Ward.code)).all()
    diagnoses = db.session.execute(
        select(Icd10.code, Icd10.title, Icd10.title_hi, func.count(Diagnosis.id))
        .join(Diagnosis, Diagnosis.icd10_id == Icd10.id)
        .join(Consultation, Consultation.id == Diagnosis.consultation_id)
        .where(Diagnosis.facility_id == facility_id, Consultation.started_at >= start)
        .group_by(Icd10.code, Icd10.title, Icd10.title_hi)
        .order_by(func.count(Diagnosis.id).desc()).limit(TOP)).all()
    money = day_end(facility_id, first, last, register=False)
    from app.ipd.census import census
    ward_rows = census(facility_id, first, last)["wards"]

    def on(counts, day):  # dates from SQL come back as dates (PostgreSQL) or text (SQLite)
        return counts.get(day, counts.get(day.isoformat(), 0))
    return {
        "days": [d.strftime("%d-%m") for d in days],
        "opd_new": [visits.get((d, "NEW"), 0) for d in days],
        "opd_follow_up": [visits.get((d, "FU"), 0) for d in days],
        "departments": [[en, hi, n] for en, hi, n in departments],
        "admitted": [on(admitted, d) for d in days],
        "discharged": [on(discharged, d) for d in days],
        "wards": [[code, beds, occupied] for code, beds, occupied in wards],
        "money": [[str(PAYMENT_MODES_AND_ADVANCE.get(mode, mode)), float(net)]
                  for mode, (_in, _out, net) in sorted(money.by_mode.items())],
        "diagnoses": [[code, title, hindi, n] for code, title, hindi, n in diagnoses],
        "opd_groups": groups,
        "outcomes": _outcomes(facility_id, start, end),
        "ward_use": [[w.code, row.occupancy(DAYS), row.alos] for w, row in ward_rows
                     if row.beds],
        "lab": _lab(facility_id, start, end, days),
        "services": [[str(KIND_LABELS.get(kind, kind)), float(amount)]
                     for kind, amount in sorted(money.by_kind.items()) if amount],
        "schemes": [[scheme, money.scheme_hi.get(scheme) or scheme, items, float(value)]
                    for scheme, (items, value) in sorted(money.exemptions.items())],
    }


def _opd(facility_id, first):
    """The days' OPD visits in one pass, counted by day and new/follow-up, by department
    (commonest first) and by sex and age group (at the visit)."""
    age = whole_years(OpdVisit.visit_date, Patient.dob)
    band = case(*[(age < high, label) for _low, high, label in AGE_GROUPS[:-1]],
                else_=AGE_GROUPS[-1][2])
    rows = db.session.execute(
        select(OpdVisit.visit_date, OpdVisit.visit_type, OpdVisit.department_id,
               Patient.gender, band, func.count())
        .join(Patient, Patient.id == OpdVisit.patient_id)
        .where(OpdVisit.facility_id == facility_id, OpdVisit.visit_date >= first)
        .group_by(OpdVisit.visit_date, OpdVisit.visit_type, OpdVisit.department_id,
                  Patient.gender, band)).all()
    visits, by_department, by_group = Counter(), Counter(), Counter()
    for day, kind, department_id, sex, group, n in rows:
        visits[(day, kind)] += n
        by_department[department_id] += n
        by_group[(sex, group)] += n
    names = {d.id: d for d in db.session.execute(select(Department).where(
        Department.id.in_(list(by_department)))).scalars()} if by_department else {}
    departments = [(names[i].name_en, names[i].name_hi, n)
                   for i, n in by_department.most_common() if i in names]
    groups = {"groups": [label for _l, _h, label in AGE_GROUPS],
              "by_sex": [[str(GENDERS[sex]), [by_group[(sex, label)]
                                              for _l, _h, label in AGE_GROUPS]]
                         for sex in GENDERS if any(k[0] == sex for k in by_group)]}
    return visits, departments, groups


def _outcomes(facility_id, start, end) -> list:
    """How the stays that ended in the days ended: [[words, n]] (deaths among them)."""
    rows = dict(db.session.execute(
        select(Admission.discharge_type, func.count())
        .where(Admission.facility_id == facility_id, Admission.status == "discharged",
               Admission.discharged_at >= start, Admission.discharged_at < end)
        .group_by(Admission.discharge_type)).all())
    return [[str(label), rows[kind]] for kind, label in DISCHARGE_TYPES.items() if rows.get(kind)]


def _lab(facility_id, start, end, days) -> dict:
    """Tests reported per day, and by section the median turnaround (ordered → released,
    minutes) against the median of the catalogue's targets."""
    rows = db.session.execute(
        select(LabTest.section, LabOrder.ordered_at, LabOrderItem.released_at,
               LabTest.tat_minutes)
        .join(LabOrder, LabOrder.id == LabOrderItem.order_id)
        .join(LabTest, LabTest.id == LabOrderItem.test_id)
        .where(LabOrderItem.facility_id == facility_id, LabOrderItem.released_at >= start,
               LabOrderItem.released_at < end)).all()
    per_day, minutes, targets = {}, {}, {}
    for section, ordered, released, target in rows:
        day = aware(released).astimezone(IST).date()
        per_day[day] = per_day.get(day, 0) + 1
        minutes.setdefault(section, []).append(
            (aware(released) - aware(ordered)).total_seconds() / 60)
        if target:
            targets.setdefault(section, []).append(target)
    return {"reported": [per_day.get(d, 0) for d in days],
            "sections": [[str(SECTIONS.get(s, s)), round(median(m)),
                          round(median(targets[s])) if s in targets else None]
                         for s, m in sorted(minutes.items())]}
