"""Samples: collected at the bedside or the lab's window once the tests are paid for (or
free, or on the inpatient account), one tube for the tests that share a sample and
container; received in the lab by scanning the label; rejected with a reason, which
sends its tests back to be collected again and shows on the order and the ward's page."""
import re
from datetime import datetime
from itertools import groupby

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.base_views import DomainError
from app.core.concurrency import lock, lock_all, locked_rows
from app.core.models import utcnow
from app.core.numbering import ist_today, next_number
from app.extensions import db

from .models import REJECT_REASONS, LabOrder, LabOrderItem, LabSample
from .services import payment_state

SAMPLE_NUMBER = re.compile(r"^[A-Z0-9]{2,10}-L\d{6}-\d{4}$")
COLLECTABLE = ("paid", "free", "account")


def _tube(item: LabOrderItem) -> tuple[str, str]:
    return item.test.sample, item.test.container or item.test.sample


def order_to_collect(order_id: int) -> LabOrder | None:
    """An order with what collecting needs, locked as it is read (see
    concurrency.locked_rows)."""
    rows = locked_rows(select(LabOrder).where(LabOrder.id == order_id).options(
        joinedload(LabOrder.facility), joinedload(LabOrder.patient),
        selectinload(LabOrder.items).joinedload(LabOrderItem.test),
        selectinload(LabOrder.items).joinedload(LabOrderItem.charge)), LabOrder)
    return rows[0] if rows else None


def collect(order: LabOrder, item_ids, user_id, now: datetime | None = None) -> list[LabSample]:
    """Collect the samples of the order's tests `item_ids` (all still to collect when
    empty). Refused, and nothing saved, when one of them is not paid for. Commits."""
    lock(order)
    if order.status != "ordered":
        raise DomainError({"order": _("This order is cancelled.")})
    waiting = [item for item in order.items if item.status == "ordered"]
    if item_ids:
        wanted = set(item_ids)
        chosen = [item for item in waiting if item.id in wanted]
        if len(chosen) != len(wanted):
            raise DomainError({"items": _("Some of these tests are not waiting for a sample "
                                          "on this order.")})
    else:
        chosen = waiting
    if not chosen:
        raise DomainError({"items": _("No test of this order is waiting for a sample.")})
    unpaid = [item.test.code for item in chosen if payment_state(item) not in COLLECTABLE]
    if unpaid:
        raise DomainError({"items": _(
            "Not paid yet: %(codes)s. The patient pays at the cash counter with the test slip "
            "first; then collect the sample.", codes=", ".join(unpaid))})
    now = now or utcnow()
    today = ist_today(now)
    facility = order.facility
    samples = []
    for (kind, container), items in groupby(sorted(chosen, key=_tube), key=_tube):
        items = list(items)
        seq = next_number(db.session, facility.id, "lab-sample", f"{today:%y%m%d}")
        sample = LabSample(facility_id=facility.id, order=order, patient=order.patient,
                           sample_number=f"{facility.code}-L{today:%y%m%d}-{seq:04d}",
                           sample=kind, container=container if container != kind else None,
                           status="collected", collected_at=now, collected_by_id=user_id,
                           test_codes=" ".join(item.test.code for item in items))
        for item in items:
            item.sample, item.status = sample, "collected"
        db.session.add(sample)
        samples.append(sample)
    db.session.commit()
    return samples


def receive(facility_id: int, number: str, user_id, now: datetime | None = None) -> LabSample:
    """The lab takes in a sample by its label's barcode. Commits."""
    number = (number or "").strip().upper()
    found = locked_rows(select(LabSample).where(
        LabSample.facility_id == facility_id, LabSample.sample_number == number)
        # with what the answer shows, so that nothing is read after the commit
        .options(joinedload(LabSample.order), joinedload(LabSample.patient),
                 joinedload(LabSample.collected_by), selectinload(LabSample.items)),
        LabSample) \
        if SAMPLE_NUMBER.match(number) else []
    if not found:
        raise DomainError({"sample_number": _("No such sample in this facility: check the "
                                              "label.")})
    sample = found[0]
    if sample.status == "received":
        raise DomainError({"sample_number": _("This sample was received already.")})
    if sample.status != "collected":
        raise DomainError({"sample_number": _("This sample was rejected; a new sample is "
                                              "needed.")})
    if sample.order.status != "ordered":
        raise DomainError({"sample_number": _("The order of this sample is cancelled.")})
    sample.status, sample.received_at, sample.received_by_id = "received", now or utcnow(), \
        user_id
    for item in sample.items:
        if item.status == "collected":
            item.status = "received"
    db.session.commit()
    return sample


def reject(sample: LabSample, reason: str, note: str, user_id,
           now: datetime | None = None) -> LabSample:
    """Refuse a sample (haemolysed, clotted, ...): its tests go back to be collected
    again, and the order's page and the ward see why. Commits."""
    lock(sample)
    if reason not in REJECT_REASONS:
        raise DomainError({"reason": _("Choose the reason for rejecting the sample.")})
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError({"note": _("Must be at most %(n)s characters.", n=200)})
    if sample.status == "rejected":
        raise DomainError({"sample": _("This sample was rejected already.")})
    items = lock_all(list(sample.items))
    if any(item.results for item in items):
        raise DomainError({"sample": _("Results were entered from this sample; it can no "
                                       "longer be rejected.")})
    sample.status, sample.reject_reason, sample.reject_note = "rejected", reason, note or None
    sample.rejected_at, sample.rejected_by_id = now or utcnow(), user_id
    for item in items:
        item.sample, item.status = None, "ordered"
    db.session.commit()
    return sample


def order_samples(order_id: int) -> list[LabSample]:
    return db.session.execute(select(LabSample).where(LabSample.order_id == order_id)
                              .order_by(LabSample.id)).scalars().all()


def sample_for_label(sample_id: int) -> LabSample | None:
    return db.session.execute(select(LabSample).where(LabSample.id == sample_id).options(
        joinedload(LabSample.patient), joinedload(LabSample.facility),
        joinedload(LabSample.order))).scalar_one_or_none()
