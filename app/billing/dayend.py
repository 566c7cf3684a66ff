"""Day-end: what came in and went out, by mode, cashier and service kind; cancellations,
refunds and exemptions by scheme; and the cashier's shift close. Every figure is a SQL
aggregate over an indexed time range, so a year of a busy hospital stays fast, and every
section adds up to the same total."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.core.base_views import DomainError
from app.core.formatting import IST
from app.core.models import utcnow
from app.extensions import db

from .models import ADVANCE, Bill, BillLine, CashierShift, Payment
from .services import parse_amount

ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    """SQL sums come back as int 0, Decimal or None; reports show rupees and paise."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def ist_range(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00 IST, last+1 00:00 IST) as aware datetimes."""
    return (datetime.combine(first, time(0), tzinfo=IST),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=IST))


@dataclass
class DayEnd:
    first: date
    last: date
    by_mode: dict = field(default_factory=dict)        # mode → (received, refunded, net)
    by_cashier: dict = field(default_factory=dict)     # cashier name → net
    by_kind: dict = field(default_factory=dict)        # service kind → billed (non-cancelled)
    exemptions: dict = field(default_factory=dict)     # scheme → (items, value forgone)
    cancellations: list = field(default_factory=list)  # (number, net, reason)
    refunds: list = field(default_factory=list)        # (number, amount, mode, reason)
    bills: int = 0
    billed: Decimal = ZERO
    discounts: Decimal = ZERO
    advances_taken: Decimal = ZERO    # deposits received (already in the money by mode)
    advances_applied: Decimal = ZERO  # deposits moved onto bills (no money moved)

    @property
    def received(self) -> Decimal:
        return sum((v[0] for v in self.by_mode.values()), ZERO)

    @property
    def refunded(self) -> Decimal:
        return sum((v[1] for v in self.by_mode.values()), ZERO)

    @property
    def net(self) -> Decimal:
        return self.received - self.refunded


def day_end(facility_id: int, first: date, last: date | None = None) -> DayEnd:
    last = last or first
    start, end = ist_range(first, last)
    report = DayEnd(first, last)
    in_range = (Payment.facility_id == facility_id, Payment.received_at >= start,
                Payment.received_at < end, Payment.mode != ADVANCE)
    signed = case((Payment.kind == "refund", -Payment.amount), else_=Payment.amount)
    for mode, received, refunded in db.session.execute(
            select(Payment.mode,
                   func.sum(case((Payment.kind == "payment", Payment.amount), else_=0)),
                   func.sum(case((Payment.kind == "refund", Payment.amount), else_=0)))
            .where(*in_range).group_by(Payment.mode)):
        received, refunded = _money(received), _money(refunded)
        report.by_mode[mode] = (received, refunded, received - refunded)
    from flask_appbuilder.security.sqla.models import User
    for username, first_name, last_name, net in db.session.execute(
            select(User.username, User.first_name, User.last_name, func.sum(signed))
            .join(User, User.id == Payment.received_by_id, isouter=True)
            .where(*in_range).group_by(User.username, User.first_name, User.last_name)):
        report.by_cashier[f"{first_name or ''} {last_name or ''} ({username or '—'})".strip()] = \
            _money(net)
    bills_in_range = (Bill.facility_id == facility_id, Bill.bill_date >= first,
                      Bill.bill_date <= last, Bill.kind == "bill")
    report.advances_taken = _money(db.session.execute(
        select(func.sum(Bill.net)).where(Bill.facility_id == facility_id, Bill.kind == "advance",
                                         Bill.bill_date >= first, Bill.bill_date <= last,
                                         Bill.status != "cancelled")).scalar())
    report.advances_applied = _money(db.session.execute(
        select(func.sum(case((Payment.kind == "refund", -Payment.amount), else_=Payment.amount)))
        .where(Payment.facility_id == facility_id, Payment.received_at >= start,
               Payment.received_at < end, Payment.mode == ADVANCE)).scalar())
    count, billed, discounts = db.session.execute(
        select(func.count(Bill.id), func.sum(Bill.net), func.sum(Bill.discount))
        .where(*bills_in_range, Bill.status != "cancelled")).one()
    report.bills, report.billed, report.discounts = count, _money(billed), _money(discounts)
    # One pass over the lines for both breakdowns: by service kind, and exemptions.
    forgone = BillLine.unit_price * BillLine.quantity - BillLine.amount
    for kind, scheme, items, amount, lost in db.session.execute(
            select(BillLine.kind, BillLine.scheme_en, func.count(BillLine.id),
                   func.sum(BillLine.amount), func.sum(forgone))
            .join(Bill, Bill.id == BillLine.bill_id)
            .where(*bills_in_range, Bill.status != "cancelled")
            .group_by(BillLine.kind, BillLine.scheme_en)):
        report.by_kind[kind] = report.by_kind.get(kind, ZERO) + _money(amount)
        if scheme is not None:
            count, value = report.exemptions.get(scheme, (0, ZERO))
            report.exemptions[scheme] = (count + items, value + _money(lost))
    report.cancellations = db.session.execute(
        select(Bill.number, Bill.net, Bill.cancel_reason).where(
            Bill.facility_id == facility_id, Bill.status == "cancelled",
            Bill.cancelled_at >= start, Bill.cancelled_at < end).order_by(Bill.number)).all()
    report.refunds = db.session.execute(
        select(Bill.number, Payment.amount, Payment.mode, Payment.reason)
        .join(Bill, Bill.id == Payment.bill_id)
        .where(*in_range, Payment.kind == "refund").order_by(Payment.id)).all()
    return report


def cash_since_last_close(facility_id: int, cashier_id: int) -> tuple[datetime, Decimal]:
    last = db.session.execute(
        select(func.max(CashierShift.closed_at)).where(
            CashierShift.facility_id == facility_id,
            CashierShift.cashier_id == cashier_id)).scalar()
    since = last or datetime(2000, 1, 1, tzinfo=IST)
    total = db.session.execute(
        select(func.sum(case((Payment.kind == "refund", -Payment.amount), else_=Payment.amount)))
        .where(Payment.facility_id == facility_id, Payment.received_by_id == cashier_id,
               Payment.mode == "cash", Payment.received_at > since)).scalar()
    return since, _money(total)


def close_shift(facility_id: int, cashier_id: int, declared, note=None) -> CashierShift:
    errors = {}
    declared_value = parse_amount(declared, "declared_cash", errors, allow_zero=True)
    if note and len(note) > 200:
        errors["note"] = _("Must be at most %(n)s characters.", n=200)
    if errors:
        raise DomainError(errors)
    since, system = cash_since_last_close(facility_id, cashier_id)
    shift = CashierShift(facility_id=facility_id, cashier_id=cashier_id, opened_at=since,
                         closed_at=utcnow(), system_cash=system, declared_cash=declared_value,
                         difference=declared_value - system, note=(note or "").strip() or None)
    db.session.add(shift)
    db.session.commit()
    return shift
