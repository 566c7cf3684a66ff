"""A facility's dashboard: the last 30 days of OPD attendance (new and follow-up, by
department), admissions and discharges, bed occupancy by ward now, money by payment mode
and the commonest diagnoses, each counted from the records in one grouped query."""
from datetime import timedelta

from sqlalchemy import func, literal_column, select

from app.billing.dayend import day_end, ist_range
from app.billing.views import PAYMENT_MODES_AND_ADVANCE
from app.core.models import Department
from app.core.numbering import ist_today
from app.extensions import db
from app.ipd.models import Admission, Bed, BedStay, Ward
from app.opd.models import Consultation, Diagnosis, Icd10, OpdVisit

DAYS = 30
TOP = 10


def _ist_date(column):
    """The IST date of a stored (UTC) time, in SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        # A literal, not a bound value: the GROUP BY must read as the same expression.
        return func.date(func.timezone(literal_column("'Asia/Kolkata'"), column))
    return func.date(column, "+5 hours", "+30 minutes")


def figures(facility_id: int) -> dict:
    """Plain numbers and labels, ready for the charts (JSON)."""
    last = ist_today()
    first = last - timedelta(days=DAYS - 1)
    days = [first + timedelta(days=n) for n in range(DAYS)]
    start, end = ist_range(first, last)
    visits = {(day, kind): n for day, kind, n in db.session.execute(
        select(OpdVisit.visit_date, OpdVisit.visit_type, func.count())
        .where(OpdVisit.facility_id == facility_id, OpdVisit.visit_date >= first)
        .group_by(OpdVisit.visit_date, OpdVisit.visit_type))}
    departments = db.session.execute(
        select(Department.name_en, Department.name_hi, func.count(OpdVisit.id))
        .join(OpdVisit, OpdVisit.department_id == Department.id)
        .where(OpdVisit.facility_id == facility_id, OpdVisit.visit_date >= first)
        .group_by(Department.id, Department.name_en, Department.name_hi)
        .order_by(func.count(OpdVisit.id).desc())).all()
    admitted = dict(db.session.execute(
        select(_ist_date(Admission.admitted_at), func.count())
        .where(Admission.facility_id == facility_id, Admission.admitted_at >= start,
               Admission.admitted_at < end, Admission.status != "cancelled")
        .group_by(_ist_date(Admission.admitted_at))).all())
    discharged = dict(db.session.execute(
        select(_ist_date(Admission.discharged_at), func.count())
        .where(Admission.facility_id == facility_id, Admission.discharged_at >= start,
               Admission.discharged_at < end)
        .group_by(_ist_date(Admission.discharged_at))).all())
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
    money = day_end(facility_id, first, last)

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
    }
