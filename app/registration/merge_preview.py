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


SUSPECTS = 30
RECENT = 20000  # registrations looked back over: duplicates are made by the counter now


def suspected_duplicates(facility_id: int, shown: int = SUSPECTS) -> list[tuple]:
    """Pairs of the facility's records that look like one person, the newer registered
    among the last RECENT: the same mobile, or the same name and guardian (by their search
    keys) and sex; the older record first (the one to keep, as a rule). Newest first, each
    newer record's match found through an index."""
    from sqlalchemy import and_, or_
    from sqlalchemy.orm import aliased

    from app.registration.models import Patient
    newer, older = aliased(Patient), aliased(Patient)
    latest = db.session.execute(select(func.max(Patient.id)).where(
        Patient.facility_id == facility_id)).scalar() or 0
    same_person = or_(
        and_(newer.mobile.is_not(None), older.mobile == newer.mobile),
        and_(newer.guardian_key.is_not(None), older.name_key == newer.name_key,
             older.guardian_key == newer.guardian_key, older.gender == newer.gender))
    pairs = db.session.execute(
        select(older, newer).join(older, and_(
            older.facility_id == newer.facility_id, older.id < newer.id,
            older.merged_into_id.is_(None), same_person))
        .where(newer.facility_id == facility_id, newer.id > latest - RECENT,
               newer.merged_into_id.is_(None))
        .order_by(newer.id.desc(), older.id.desc()).limit(shown * 2)).all()
    seen, out = set(), []
    for kept, dup in pairs:  # one line per newer record
        if dup.id not in seen and len(out) < shown:
            seen.add(dup.id)
            out.append((kept, dup))
    return out
