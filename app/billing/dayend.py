"""Day-end: what came in and went out, by mode, cashier and service kind; cancellations,
refunds and exemptions by scheme; and the cashier's shift close. Every figure is a SQL
aggregate over an indexed time range, so a year of a busy hospital stays fast, and every
section adds up to the same total."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select, text

from app.core.base_views import DomainError
from app.core.formatting import IST
from app.core.models import utcnow
from app.extensions import db

from app.registration.models import Patient

from .models import ADVANCE, Bill, BillLine, CashierShift, Payment
from .services import ZERO, money, parse_amount



def _money(value) -> Decimal:
    """SQL sums come back as int 0, Decimal or None; reports show rupees and paise."""
    return money(value or 0)


def ist_range(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00 IST, last+1 00:00 IST), in UTC as times are stored: SQLite compares
    the stored UTC text with the bound's own digits, so an IST bound would leave out the
    first five and a half hours of the day (18:30-24:00 UTC)."""
    return (datetime.combine(first, time(0), tzinfo=IST).astimezone(timezone.utc),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=IST)
            .astimezone(timezone.utc))


@dataclass
class DayEnd:
    first: date
    last: date
    by_mode: dict = field(default_factory=dict)        # mode → (received, refunded, net)
    by_cashier: dict = field(default_factory=dict)     # cashier name → net
    by_kind: dict = field(default_factory=dict)        # service kind → billed (non-cancelled)
    exemptions: dict = field(default_factory=dict)     # scheme → (items, value forgone)
    scheme_hi: dict = field(default_factory=dict)      # scheme (English) → its Hindi name
    cancellations: list = field(default_factory=list)  # (number, net, reason)
    refunds: list = field(default_factory=list)        # (number, amount, mode, reason)
    # Bill by bill (ranges up to REGISTER_DAYS): (number, made at, UHID, patient, net,
    # paid, status, cashier)
    register: list | None = None
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


REGISTER_DAYS = 31  # a bill-wise register beyond a month is a report of its own


def day_end(facility_id: int, first: date, last: date | None = None,
            register: bool = True) -> DayEnd:
    """The money and bills of the days first..last; with `register`, bill by bill too
    (for ranges shorter than REGISTER_DAYS)."""
    from flask_appbuilder.security.sqla.models import User
    last = last or first
    start, end = ist_range(first, last)
    report = DayEnd(first, last)
    cashiers = {}
    if db.session.get_bind().dialect.name == "postgresql":
        # psycopg prepares a statement after five runs and PostgreSQL may then use a
        # generic plan that ignores the date range (a year went from 0.25 s to 0.85 s).
        # Plan these for their own dates; the setting ends with the transaction.
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    # Money: one pass over the period's payments, grouped by mode, kind and cashier.
    for mode, kind, cashier_id, amount in db.session.execute(
            select(Payment.mode, Payment.kind, Payment.received_by_id, func.sum(Payment.amount))
            .where(Payment.facility_id == facility_id, Payment.received_at >= start,
                   Payment.received_at < end)
            .group_by(Payment.mode, Payment.kind, Payment.received_by_id)):
        amount = _money(amount)
        signed = -amount if kind == "refund" else amount
        if mode == ADVANCE:  # moved from a deposit onto a bill: no money changed hands
            report.advances_applied += signed
            continue
        received, refunded, net = report.by_mode.get(mode, (ZERO, ZERO, ZERO))
        if kind == "refund":
            refunded += amount
        else:
            received += amount
        report.by_mode[mode] = (received, refunded, received - refunded)
        cashiers[cashier_id] = cashiers.get(cashier_id, ZERO) + signed
    names = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_([c for c in cashiers if c is not None])))
        .scalars()} if cashiers else {}
    for cashier_id, net in cashiers.items():
        user = names.get(cashier_id)
        label = f"{user.first_name} {user.last_name} ({user.username})" if user else "— (—)"
        report.by_cashier[label] = report.by_cashier.get(label, ZERO) + net
    # Bills: one pass over the period's lines (they carry their bill's date and state).
    forgone = BillLine.unit_price * BillLine.quantity - BillLine.amount
    for bill_kind, kind, scheme, scheme_hi, items, amount, lost in db.session.execute(
            select(BillLine.bill_kind, BillLine.kind, BillLine.scheme_en, BillLine.scheme_hi,
                   func.count(BillLine.id), func.sum(BillLine.amount), func.sum(forgone))
            .where(BillLine.facility_id == facility_id, BillLine.bill_date >= first,
                   BillLine.bill_date <= last, BillLine.cancelled.is_(False))
            .group_by(BillLine.bill_kind, BillLine.kind, BillLine.scheme_en,
                      BillLine.scheme_hi)):
        if bill_kind == "advance":
            report.advances_taken += _money(amount)
            continue
        report.by_kind[kind] = report.by_kind.get(kind, ZERO) + _money(amount)
        if scheme is not None:
            count, value = report.exemptions.get(scheme, (0, ZERO))
            report.exemptions[scheme] = (count + items, value + _money(lost))
            report.scheme_hi[scheme] = scheme_hi or scheme
    count, discounts = db.session.execute(
        select(func.count(Bill.id), func.sum(Bill.discount)).where(
            Bill.facility_id == facility_id, Bill.bill_date >= first, Bill.bill_date <= last,
            Bill.kind == "bill", Bill.status != "cancelled")).one()
    report.bills, report.discounts = count, _money(discounts)
    report.billed = sum(report.by_kind.values(), ZERO) - report.discounts
    report.cancellations = db.session.execute(
        select(Bill.number, Bill.net, Bill.cancel_reason).where(
            Bill.facility_id == facility_id, Bill.cancelled_at >= start,
            Bill.cancelled_at < end).order_by(Bill.number)).all()
    report.refunds = db.session.execute(
        select(Bill.number, Payment.amount, Payment.mode, Payment.reason)
        .join(Bill, Bill.id == Payment.bill_id)
        .where(Payment.facility_id == facility_id, Payment.kind == "refund",
               Payment.received_at >= start, Payment.received_at < end,
               Payment.mode != ADVANCE).order_by(Payment.id)).all()
    if register and (last - first).days < REGISTER_DAYS:
        report.register = db.session.execute(
            select(Bill.number, Bill.created_at, Patient.uhid, Patient.name, Bill.net, Bill.paid,
                   Bill.status, User.username)
            .join(Patient, Patient.id == Bill.patient_id)
            .outerjoin(User, User.id == Bill.created_by_id)
            .where(Bill.facility_id == facility_id, Bill.bill_date >= first,
                   Bill.bill_date <= last, Bill.kind == "bill")
            .order_by(Bill.id)).all()
    return report


def cash_since_last_close(facility_id: int, cashier_id: int) -> tuple[datetime, Decimal]:
    """(when the shift began, the cash taken in since): the last close, or for a
    cashier's first shift the first cash they took in (now, if none yet)."""
    last = db.session.execute(
        select(func.max(CashierShift.closed_at)).where(
            CashierShift.facility_id == facility_id,
            CashierShift.cashier_id == cashier_id)).scalar()
    mine = (Payment.facility_id == facility_id, Payment.received_by_id == cashier_id,
            Payment.mode == "cash", *((Payment.received_at > last,) if last else ()))
    total, first = db.session.execute(
        select(func.sum(case((Payment.kind == "refund", -Payment.amount), else_=Payment.amount)),
               func.min(Payment.received_at)).where(*mine)).one()
    return last or first or utcnow(), _money(total)


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
