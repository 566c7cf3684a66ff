"""The ward's handover sheet: at the change of shift, each patient by bed with the
diagnosis, the latest vitals and NEWS2, the doses overdue and due in the next eight hours,
the lab tests still awaited, the diet and plans in force and the day's fluid balance. A
handful of queries for the whole ward."""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.models import utcnow
from app.extensions import db
from app.lab import results as lab_results

from . import fluids, medication, ward_orders
from .models import Admission, AdmissionDiagnosis, Bed, BedStay, VitalSign

AHEAD = timedelta(hours=8)
HEADINGS = {"bed": _l("Bed"), "patient": _l("Patient"), "diagnosis": _l("Diagnosis"),
            "vitals": _l("Latest vitals"), "doses": _l("Medicines due (next 8 hours)"),
            "labs": _l("Lab tests awaited"), "orders": _l("Diet, plans, fluids today")}


def _bed_order(number: str):
    """Beds 1, 2, ... 10 in that order, lettered ones (A1) after."""
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def sheet(facility_id: int, ward_id: int, now: datetime | None = None) -> list[dict]:
    now = now or utcnow()
    admissions = db.session.execute(
        select(Admission).join(Bed, Bed.id == Admission.bed_id)
        .where(Admission.facility_id == facility_id, Admission.status == "admitted",
               Bed.ward_id == ward_id)
        .options(joinedload(Admission.patient), joinedload(Admission.bed),
                 selectinload(Admission.stays).joinedload(BedStay.bed))).scalars().all()
    admissions.sort(key=lambda a: _bed_order(a.bed.number))
    ids = [a.id for a in admissions]
    diagnoses = {}
    for d in db.session.execute(select(AdmissionDiagnosis).where(
            AdmissionDiagnosis.admission_id.in_(ids), AdmissionDiagnosis.ruled_out_at.is_(None))
            .options(joinedload(AdmissionDiagnosis.icd10))
            .order_by(AdmissionDiagnosis.noted_at)).scalars():
        diagnoses.setdefault(d.admission_id, []).append(d)
    latest = select(VitalSign.admission_id, func.max(VitalSign.taken_at).label("taken_at")) \
        .where(VitalSign.admission_id.in_(ids)).group_by(VitalSign.admission_id).subquery()
    vitals = {v.admission_id: v for v in db.session.execute(select(VitalSign).join(
        latest, (VitalSign.admission_id == latest.c.admission_id)
        & (VitalSign.taken_at == latest.c.taken_at))).scalars()} if ids else {}
    doses = {}
    for dose in medication.due_on_ward(facility_id, ward_id, now, ahead=AHEAD):
        if dose.state != "done":
            doses.setdefault(dose.order.admission_id, []).append(dose)
    labs = lab_results.pending_for_admissions(ids)
    orders = ward_orders.in_force(admissions)
    balances = fluids.last_balance(ids, now)
    return [{"admission": a, "diagnoses": diagnoses.get(a.id, []), "vitals": vitals.get(a.id),
             "doses": doses.get(a.id, []), "labs": labs.get(a.id, []),
             "orders": [o for o in (orders[a.id].diet, orders[a.id].transfer,
                                    orders[a.id].discharge) if o],
             "fluids": balances.get(a.id)} for a in admissions]
