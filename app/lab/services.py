"""Lab orders: validate, number, charge and write in one transaction; cancel while
nothing of the order is billed."""
import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.billing import services as billing
from app.billing.models import Bill
from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.models import utcnow
from app.core.numbering import ist_today, next_number
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission
from app.opd.models import OpdVisit
from app.registration import services as registration
from app.registration.models import Patient

from .models import PRIORITIES, SECTIONS, LabOrder, LabOrderItem, LabTest

MAX_TESTS = 30
ORDER_NUMBER = re.compile(r"^[A-Z0-9]{2,10}-LAB-\d{4}-\d{6}$")


def orderable_tests(facility_id: int) -> list[LabTest]:
    """The active catalogue that can be ordered (not the analytes reported only inside a
    panel), by section in the lab's order (haematology first)."""
    tests = db.session.execute(select(LabTest).where(
        LabTest.facility_id == facility_id, LabTest.active.is_(True),
        LabTest.panel_only.is_(False))).scalars().all()
    sections = list(SECTIONS)
    return sorted(tests, key=lambda t: (sections.index(t.section) if t.section in sections
                                        else len(sections), t.code))


def _ids(raw) -> list[int] | None:
    values = raw if isinstance(raw, (list, tuple)) else [raw]
    try:
        return list(dict.fromkeys(int(v) for v in values if str(v).strip()))
    except (TypeError, ValueError):
        return None


def _own(model, raw, facility_id: int, patient: Patient):
    """The facility's visit or admission with this id, of this patient (or None)."""
    if raw in (None, ""):
        return None
    row = db.session.get(model, int(raw)) if str(raw).isdigit() else None
    if row is None or row.facility_id != facility_id or \
            row.patient_id not in registration.record_ids(patient):
        return False
    return row


def place_order(facility, patient_id, data: dict, user_id,
                now: datetime | None = None) -> LabOrder:
    """Order tests for a patient of the facility: {"tests": [test ids], "visit",
    "admission", "priority", "clinical_note"}. Each test is charged now, on the
    inpatient account while the patient is admitted. Commits."""
    errors = {}
    patient = db.session.get(Patient, int(patient_id)) if str(patient_id).isdigit() else None
    patient = registration.resolve(patient)
    if patient is None or patient.facility_id != facility.id:
        raise DomainError({"patient": _("No such patient in this facility.")})
    ids = _ids(data.get("tests") or [])
    tests = []
    if ids is None:
        errors["tests"] = _("This value is not one of the allowed choices.")
    elif not ids:
        errors["tests"] = _("Choose at least one test.")
    elif len(ids) > MAX_TESTS:
        errors["tests"] = _("At most %(n)s tests on one slip.", n=MAX_TESTS)
    else:
        # only the tests asked for: the catalogue's hundred are the screen's to list
        catalogue = {t.id: t for t in db.session.execute(select(LabTest).where(
            LabTest.id.in_(ids), LabTest.facility_id == facility.id,
            LabTest.active.is_(True), LabTest.panel_only.is_(False))).scalars()}
        tests = [catalogue.get(i) for i in ids]
        if None in tests:
            errors["tests"] = _("Some tests are not in this facility's active catalogue.")
    visit = _own(OpdVisit, data.get("visit"), facility.id, patient)
    if visit is False:
        errors["visit"] = _("This OPD visit is not this patient's.")
    admission = _own(Admission, data.get("admission"), facility.id, patient)
    if admission is False:
        errors["admission"] = _("This admission is not this patient's.")
    elif admission is not None and admission.status != "admitted":
        errors["admission"] = _("The patient is no longer admitted.")
    elif admission is None:
        admission = ipd.current_admission(patient)  # an inpatient's tests go on the stay
    priority = data.get("priority") or "routine"
    if priority not in PRIORITIES:
        errors["priority"] = _("This value is not one of the allowed choices.")
    note = (data.get("clinical_note") or "").strip()
    if len(note) > 300:
        errors["clinical_note"] = _("Must be at most %(n)s characters.", n=300)
    if errors:
        raise DomainError(errors)

    today = ist_today(now)
    category = patient.category.code if patient.category else None
    seq = next_number(db.session, facility.id, "lab", str(today.year))
    number = f"{facility.code}-LAB-{today.year}-{seq:06d}"
    order = LabOrder(facility_id=facility.id, order_number=number, patient=patient,
                     opd_visit=visit or None, admission=admission, priority=priority,
                     clinical_note=note or None, ordered_at=now or utcnow(),
                     ordered_by_id=user_id)
    missing = []
    with db.session.no_autoflush:
        for position, test in enumerate(tests, 1):
            try:
                charge = billing.post_charge(
                    facility.id, patient, f"lab:{number}", test.code, category, today,
                    account=admission.account if admission else None)
            except billing.NoTariff:
                missing.append(test.code)
                continue
            order.items.append(LabOrderItem(facility_id=facility.id, position=position,
                                            test=test, charge=charge))
    if missing:
        db.session.rollback()
        raise DomainError({"tests": _("No price in today's tariff for %(codes)s; the "
                                      "supervisor must add it.", codes=", ".join(missing))})
    db.session.add(order)
    db.session.commit()
    return order


def cancel_order(order: LabOrder, reason: str, user_id) -> None:
    """Withdraw an order written in error, with its charges; once billed, the bill is
    cancelled at the counter first. Commits."""
    reason = (reason or "").strip()
    lock(order)
    if order.status != "ordered":
        raise DomainError({"order": _("This order is already cancelled.")})
    if not reason:
        raise DomainError({"reason": _("Give the reason for cancelling.")})
    if any(item.results for item in order.items):
        raise DomainError({"order": _("Results were entered for this order; it can no "
                                      "longer be cancelled.")})
    for item in order.items:
        item.status = "cancelled"
        if item.charge is not None:
            billing.withdraw_charge(item.charge, reason)
    order.status, order.cancel_reason = "cancelled", reason[:200]
    order.cancelled_at, order.cancelled_by_id = utcnow(), user_id
    db.session.commit()


def order_details(order_id: int) -> LabOrder | None:
    return db.session.execute(select(LabOrder).where(LabOrder.id == order_id).options(
        joinedload(LabOrder.patient), joinedload(LabOrder.facility),
        joinedload(LabOrder.ordered_by), joinedload(LabOrder.admission),
        selectinload(LabOrder.items).joinedload(LabOrderItem.test),
        selectinload(LabOrder.items).joinedload(LabOrderItem.charge))).unique().scalar_one_or_none()


def patient_orders(facility_id: int, patient: Patient, limit: int = 20) -> list[LabOrder]:
    return db.session.execute(select(LabOrder).where(
        LabOrder.facility_id == facility_id,
        LabOrder.patient_id.in_(registration.record_ids(patient)))
        .order_by(LabOrder.id.desc()).limit(limit)).scalars().all()


def visit_tests(visit_id: int) -> list[LabTest]:
    """The tests ordered (and not cancelled) at an OPD visit, for its prescription."""
    return db.session.execute(
        select(LabTest).join(LabOrderItem, LabOrderItem.test_id == LabTest.id)
        .join(LabOrder, LabOrder.id == LabOrderItem.order_id)
        .where(LabOrder.opd_visit_id == visit_id, LabOrder.status == "ordered")
        .order_by(LabOrder.id, LabOrderItem.position)).scalars().all()


def payment_state(item: LabOrderItem) -> str:
    """What the lab needs to know before taking the sample: paid, free, on the
    inpatient account, or still to be paid at the counter."""
    charge = item.charge
    if charge is None or charge.withdrawn_at is not None:
        return "withdrawn"
    if charge.amount == 0:
        return "free"
    if charge.account_id is not None:
        return "account"
    if charge.bill_id is not None:
        bill = db.session.get(Bill, charge.bill_id)
        return "paid" if bill.status == "paid" else "unpaid"
    return "unpaid"


def order_by_number(facility_id: int, text: str) -> LabOrder | None:
    text = (text or "").strip().upper()
    if not ORDER_NUMBER.match(text):
        return None
    return db.session.execute(select(LabOrder).where(
        LabOrder.facility_id == facility_id,
        LabOrder.order_number == text)).scalar_one_or_none()


def patient_for_order_number(facility_id: int, text: str) -> int | None:
    """The test slip's barcode, scanned at the cash counter."""
    order = order_by_number(facility_id, text)
    return order.patient_id if order is not None else None
