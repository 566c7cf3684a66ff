"""What a merge will bring under the record kept: the duplicate's OPD visits, admissions,
lab orders, bills and charges not yet billed. A merge moves no row (they keep their
patient, and every lookup of the kept record takes in its merged duplicates), so this is
what the counter, the wards and the lab will show under the kept UHID afterwards."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db


def what_moves(duplicate_id: int) -> list[dict]:
    """[{"label", "count", "amount" (₹, or None)}] of the duplicate's records."""
    from app.billing.models import Bill, Charge
    from app.ipd.models import Admission
    from app.lab.models import LabOrder
    from app.opd.models import OpdVisit
    kinds = (
        (_l("OPD visits"), OpdVisit, (), None),
        (_l("Admissions"), Admission, (Admission.status != "cancelled",), None),
        (_l("Lab orders"), LabOrder, (), None),
        (_l("Bills and deposits"), Bill, (Bill.status != "cancelled",), Bill.net),
        (_l("Charges not yet billed"), Charge,
         (Charge.bill_id.is_(None), Charge.withdrawn_at.is_(None)), Charge.amount),
    )
    shown = []
    for label, model, where, amount in kinds:
        count, total = db.session.execute(
            select(func.count(model.id), func.sum(amount) if amount is not None else None)
            .where(model.patient_id == duplicate_id, *where)).one()
        shown.append({"label": label, "count": count, "amount": total})
    return shown
