"""A patient's history on their record: OPD visits, admissions, lab orders and bills,
newest first, their merged duplicates' included (each row links to its own page)."""
from sqlalchemy import select

from app.extensions import db

from .models import Patient
from .services import record_ids

SHOWN = 50  # of each kind; the generated lists hold the rest


def history(patient_id: int) -> dict:
    from app.billing.models import Bill
    from app.ipd.models import Admission
    from app.lab.models import LabOrder
    from app.opd.models import STATUSES, OpdVisit
    patient = db.session.get(Patient, patient_id)
    ids = record_ids(patient) if patient is not None else []
    if not ids:
        return {}

    def newest(model, when, *where):
        return db.session.execute(select(model).where(model.patient_id.in_(ids), *where)
                                  .order_by(when.desc(), model.id.desc()).limit(SHOWN)
                                  ).scalars().all()
    return {"visits": newest(OpdVisit, OpdVisit.visit_date),
            "admissions": newest(Admission, Admission.admitted_at),
            "lab_orders": newest(LabOrder, LabOrder.ordered_at),
            "bills": newest(Bill, Bill.created_at), "visit_statuses": STATUSES}
