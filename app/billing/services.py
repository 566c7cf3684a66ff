"""Prices and exemptions, asked for by the clinical departments."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.security import check_password_hash

from app.core.audit import record_event
from app.core.base_views import DomainError
from app.core.models import utcnow
from app.core.numbering import financial_year, ist_today, next_number
from app.core.roles import ADMIN, SUPERVISOR
from app.core.scoping import user_facility_id
from app.extensions import appbuilder, db
from app.registration.models import Patient

from .models import ADVANCE, PAYMENT_MODES, Bill, BillLine, Charge, Exemption, Payment, Tariff

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Quote:
    code: str
    price: Decimal          # the tariff's price
    amount: Decimal         # what the patient pays (0 when exempt)
    scheme_en: str | None   # the exemption's scheme, when exempt
    scheme_hi: str | None

    @property
    def exempt(self) -> bool:
        return self.scheme_en is not None


class NoTariff(LookupError):
    """The facility has no tariff for this service on this date."""


def tariff_on(facility_id: int, code: str, on: date) -> Tariff | None:
    # The category prices come in the same query (a join, not a second round trip).
    return db.session.execute(
        select(Tariff).options(joinedload(Tariff.category_prices))
        .where(Tariff.facility_id == facility_id, Tariff.code == code,
               Tariff.valid_from <= on, or_(Tariff.valid_to.is_(None), Tariff.valid_to >= on))
        .order_by(Tariff.valid_from.desc()).limit(1)).unique().scalar_one_or_none()


def price_for(tariff: Tariff, category_code: str | None) -> Decimal:
    for special in tariff.category_prices:
        if special.category_code == category_code:
            return special.price
    return tariff.price


def quote(facility_id: int, code: str, category_code: str | None, on: date,
          tariff: Tariff | None = None) -> Quote:
    tariff = tariff or tariff_on(facility_id, code, on)
    if tariff is None:
        raise NoTariff(code)
    price = price_for(tariff, category_code)
    exemption = None
    if category_code:
        exemption = db.session.execute(
            select(Exemption).where(Exemption.facility_id == facility_id,
                                    Exemption.category_code == category_code,
                                    Exemption.active.is_(True),
                                    or_(Exemption.kind.is_(None), Exemption.kind == tariff.kind))
            .order_by(Exemption.kind.is_(None)).limit(1)).scalar_one_or_none()
    if exemption is not None:
        return Quote(code, price, ZERO, exemption.scheme_en, exemption.scheme_hi)
    return Quote(code, price, price, None, None)


# --- money ---------------------------------------------------------------------------

CENT = Decimal("0.01")


def parse_amount(raw, field: str, errors: dict, allow_zero: bool = False):
    """Rupees as typed ("120", "120.50") → Decimal, or an error named for the field."""
    text = str(raw if raw is not None else "").strip().replace(",", "")
    if not text:
        errors[field] = _("This field is required.")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[field] = _("Enter an amount in rupees, e.g. 120 or 120.50.")
        return None
    if not value.is_finite():
        errors[field] = _("Enter an amount in rupees, e.g. 120 or 120.50.")
        return None
    if value.as_tuple().exponent < -2:
        errors[field] = _("At most two decimals (paise).")
        return None
    if value < 0 or (value == 0 and not allow_zero):
        errors[field] = _("Amount must be more than zero.") if not allow_zero \
            else _("Amount cannot be negative.")
        return None
    if value > Decimal("99999999.99"):
        errors[field] = _("Amount is too large.")
        return None
    return value.quantize(CENT)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- charges -------------------------------------------------------------------------

def post_charge(facility_id: int, patient, source: str, code: str,
                category_code: str | None, on: date, quantity=Decimal(1)) -> Charge:
    """A department's billable event, priced and exempted now, billed at the counter.
    `patient` is the patient object (it may not have been written yet)."""
    tariff = tariff_on(facility_id, code, on)
    if tariff is None:
        raise NoTariff(code)
    fee = quote(facility_id, code, category_code, on, tariff)
    charge = Charge(facility_id=facility_id, patient=patient, source=source, code=code,
                    kind=tariff.kind, description_en=tariff.name_en,
                    description_hi=tariff.name_hi, quantity=quantity,
                    unit_price=fee.price, amount=money(fee.amount * quantity),
                    scheme_en=fee.scheme_en, scheme_hi=fee.scheme_hi)
    db.session.add(charge)
    return charge


def pending_charges(facility_id: int, patient_id: int) -> list[Charge]:
    return db.session.execute(select(Charge).where(
        Charge.facility_id == facility_id, Charge.patient_id == patient_id,
        Charge.bill_id.is_(None)).order_by(Charge.id)).scalars().all()


# --- authorisation -------------------------------------------------------------------

def authorise(username: str, password: str, facility_id: int, action: str):
    """A supervisor of this facility (or the state admin) vouches for a discount,
    cancellation or refund by typing their own credentials at the counter."""
    user = appbuilder.sm.find_user(username=(username or "").strip()) if username else None
    ok = (user is not None and user.active and password
          and check_password_hash(user.password, password)
          and ({r.name for r in user.roles} & {SUPERVISOR, ADMIN})
          and (ADMIN in {r.name for r in user.roles} or user_facility_id(user) == facility_id))
    record_event(db.session, "authorised" if ok else "auth_refused", "bill",
                 facility_id=facility_id, detail=f"{action} by {(username or '')[:60]}")
    if not ok:
        db.session.commit()  # a refused authorisation stays on record; nothing else is staged
        raise DomainError({"authoriser": _("A supervisor of this facility must authorise "
                                           "this with their user name and password.")})
    return user


# --- bills and payments --------------------------------------------------------------

def new_bill_number(facility, today: date) -> tuple[str, str]:
    fy = financial_year(today)
    seq = next_number(db.session, facility.id, "bill", fy)
    return f"{facility.code}/{fy}/{seq:06d}", fy


def create_bill(facility, patient_id: int, charge_ids, manual: list[dict], user_id,
                discount=None, discount_reason=None, authoriser=None,
                now: datetime | None = None) -> Bill:
    """Stage a bill of the patient's chosen pending charges and manual items
    [{"code", "quantity"}], with an authorised discount (no commit)."""
    errors = {}
    today = ist_today(now)
    charges = [c for c in pending_charges(facility.id, patient_id) if c.id in set(charge_ids)]
    if len(charges) != len(set(charge_ids)):
        errors["charges"] = _("Some items are no longer pending for this patient.")
    lines = []
    for charge in charges:
        lines.append(BillLine(charge_id=charge.id, code=charge.code, kind=charge.kind,
                              description_en=charge.description_en,
                              description_hi=charge.description_hi, quantity=charge.quantity,
                              unit_price=charge.unit_price, amount=charge.amount,
                              scheme_en=charge.scheme_en, scheme_hi=charge.scheme_hi))
    patient = db.session.get(Patient, patient_id)
    category_code = patient.category.code if patient is not None and patient.category else None
    quotes = {}  # one price and exemption lookup per service, however many lines use it
    for n, item in enumerate(manual, 1):
        code = (item.get("code") or "").strip()
        if code not in quotes:
            tariff = tariff_on(facility.id, code, today)
            quotes[code] = (tariff, tariff and quote(facility.id, code, category_code, today,
                                                     tariff))
        tariff, fee = quotes[code]
        if tariff is None:
            errors[f"item_{n}"] = _("No such service in this facility's tariff today.")
            continue
        quantity = parse_amount(item.get("quantity") or "1", f"quantity_{n}", errors)
        if quantity is None:
            continue
        lines.append(BillLine(code=tariff.code, kind=tariff.kind, description_en=tariff.name_en,
                              description_hi=tariff.name_hi, quantity=quantity,
                              unit_price=fee.price, amount=money(fee.amount * quantity),
                              scheme_en=fee.scheme_en, scheme_hi=fee.scheme_hi))
    if not lines and not errors:
        errors["charges"] = _("Choose at least one item to bill.")
    gross = sum((line.amount for line in lines), ZERO)
    discount_value = ZERO
    if discount not in (None, "", "0", "0.00"):
        discount_value = parse_amount(discount, "discount", errors) or ZERO
        if discount_value > gross:
            errors["discount"] = _("The discount cannot be more than the total.")
        if not (discount_reason or "").strip():
            errors["discount_reason"] = _("Give the reason for the discount.")
    if errors:
        raise DomainError(errors)
    approver = None
    if discount_value:
        approver = authorise(*(authoriser or ("", "")), facility.id, "discount")
    number, fy = new_bill_number(facility, today)
    bill = Bill(facility_id=facility.id, number=number, financial_year=fy, bill_date=today,
                patient_id=patient_id, gross=gross, discount=discount_value,
                discount_reason=(discount_reason or "").strip()[:200] or None,
                discount_authorised_by_id=approver.id if approver else None,
                net=gross - discount_value, paid=ZERO,
                status="paid" if gross - discount_value == 0 else "unpaid",
                created_by_id=user_id)
    for position, line in enumerate(lines, 1):
        line.position = position
        line.facility_id, line.bill_date, line.bill_kind = facility.id, today, "bill"
    bill.lines = lines
    db.session.add(bill)
    db.session.flush()  # the bill's id, for its charges
    for charge in charges:
        charge.bill_id = bill.id
    return bill


def _settle_status(bill: Bill) -> None:
    bill.status = "paid" if bill.paid >= bill.net else ("part_paid" if bill.paid > 0 else "unpaid")


def add_payment(bill: Bill, mode: str, amount, user_id, reference=None, tendered=None,
                now: datetime | None = None) -> Payment:
    """Money received against the bill (part payments allowed; no commit)."""
    errors = {}
    if bill.status == "cancelled":
        errors["bill"] = _("This bill is cancelled.")
    elif bill.status == "paid":
        errors["bill"] = _("This bill is already settled.")
    if mode not in PAYMENT_MODES:
        errors["mode"] = _("This value is not one of the allowed choices.")
    value = parse_amount(amount, "amount", errors)
    if value is not None and "bill" not in errors and value > bill.due:
        errors["amount"] = _("More than the amount due (₹%(due)s).", due=bill.due)
    reference = (reference or "").strip() or None
    if mode in ("upi", "card", "cheque", "dd", "insurance") and not reference:
        errors["reference"] = _("Enter the transaction, cheque or claim reference.")
    if reference and len(reference) > 60:
        errors["reference"] = _("Must be at most %(n)s characters.", n=60)
    tendered_value = change = None
    if mode == "cash" and tendered not in (None, ""):
        tendered_value = parse_amount(tendered, "tendered", errors)
        if tendered_value is not None and value is not None and tendered_value < value:
            errors["tendered"] = _("Cash handed over is less than the amount.")
        elif tendered_value is not None and value is not None:
            change = tendered_value - value
    if errors:
        raise DomainError(errors)
    payment = Payment(facility_id=bill.facility_id, bill=bill, kind="payment", mode=mode,
                      amount=value, reference=reference, tendered=tendered_value,
                      change_due=change, received_by_id=user_id, received_at=now or utcnow())
    db.session.add(payment)
    bill.paid = bill.paid + value
    _settle_status(bill)
    return payment


def refund(bill: Bill, amount, reason: str, authoriser, user_id, mode="cash") -> Payment:
    """Money back to the patient, never more than was paid (no commit)."""
    errors = {}
    value = parse_amount(amount, "amount", errors)
    # Money that came from a deposit goes back to the deposit (by cancelling), not out.
    refundable = bill.paid - bill.applied - _from_advances(bill)
    if value is not None and value > refundable:
        errors["amount"] = _("Cannot refund more than was paid (₹%(paid)s).", paid=refundable)
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the refund.")
    if mode not in PAYMENT_MODES:
        errors["mode"] = _("This value is not one of the allowed choices.")
    if errors:
        raise DomainError(errors)
    approver = authorise(*(authoriser or ("", "")), bill.facility_id, "refund")
    payment = Payment(facility_id=bill.facility_id, bill=bill, kind="refund", mode=mode,
                      amount=value, reason=reason.strip()[:200], authorised_by_id=approver.id,
                      received_by_id=user_id)
    db.session.add(payment)
    bill.paid = bill.paid - value
    if bill.status != "cancelled":
        _settle_status(bill)
    return payment


def _from_advances(bill: Bill) -> Decimal:
    signed = [p.amount if p.kind == "payment" else -p.amount
              for p in bill.payments if p.mode == ADVANCE]
    return sum(signed, ZERO)


def cancel_bill(bill: Bill, reason: str, authoriser, user_id) -> Bill:
    """Cancel with reason and authorisation: the bill keeps its number, what was paid is
    refunded in cash, and its charges are pending again (no commit)."""
    if bill.status == "cancelled":
        raise DomainError({"bill": _("This bill is cancelled.")})
    if not (reason or "").strip():
        raise DomainError({"reason": _("Give the reason for the cancellation.")})
    if bill.applied > 0:
        raise DomainError({"bill": _("Part of this deposit is already used on a bill; "
                                     "refund the rest instead.")})
    approver = authorise(*(authoriser or ("", "")), bill.facility_id, "cancellation")
    for payment in list(bill.payments):  # deposit money goes back to its deposit
        if payment.kind == "payment" and payment.mode == ADVANCE:
            deposit = db.session.execute(select(Bill).where(
                Bill.facility_id == bill.facility_id, Bill.number == payment.reference)).scalar_one()
            deposit.applied = deposit.applied - payment.amount
            db.session.add(Payment(facility_id=bill.facility_id, bill=bill, kind="refund",
                                   mode=ADVANCE, amount=payment.amount, reference=deposit.number,
                                   reason=reason.strip()[:200], authorised_by_id=approver.id,
                                   received_by_id=user_id))
            bill.paid = bill.paid - payment.amount
    if bill.paid > 0:
        db.session.add(Payment(facility_id=bill.facility_id, bill=bill, kind="refund",
                               mode="cash", amount=bill.paid, reason=reason.strip()[:200],
                               authorised_by_id=approver.id, received_by_id=user_id))
        bill.paid = ZERO
    bill.status = "cancelled"
    for line in bill.lines:
        line.cancelled = True
    bill.cancelled_at, bill.cancelled_by_id = utcnow(), user_id
    bill.cancel_reason = reason.strip()[:200]
    bill.cancel_authorised_by_id = approver.id
    for charge in db.session.execute(select(Charge).where(Charge.bill_id == bill.id)).scalars():
        charge.bill_id = None
    return bill


def bill_for_print(bill_id: int) -> Bill | None:
    return db.session.execute(select(Bill).where(Bill.id == bill_id).options(
        selectinload(Bill.lines), selectinload(Bill.payments))).scalar_one_or_none()


# --- advance deposits ----------------------------------------------------------------

def take_advance(facility, patient_id: int, amount, mode: str, user_id, reference=None,
                 tendered=None, now: datetime | None = None) -> Bill:
    """An advance deposit (IPD): numbered and receipted like a bill, paid at once, and
    later applied to the patient's final bill (no commit)."""
    errors = {}
    value = parse_amount(amount, "amount", errors)
    if errors:
        raise DomainError(errors)
    today = ist_today(now)
    number, fy = new_bill_number(facility, today)
    bill = Bill(facility_id=facility.id, number=number, financial_year=fy, bill_date=today,
                patient_id=patient_id, kind="advance", gross=value, discount=ZERO,
                net=value, paid=ZERO, applied=ZERO, status="unpaid",
                created_by_id=user_id,
                lines=[BillLine(position=1, code="ADVANCE", kind="advance",
                                description_en="Advance deposit", description_hi="अग्रिम जमा",
                                quantity=Decimal(1), unit_price=value, amount=value,
                                facility_id=facility.id, bill_date=today,
                                bill_kind="advance")])
    db.session.add(bill)
    add_payment(bill, mode, value, user_id, reference, tendered, now=now)
    return bill


def advances(facility_id: int, patient_id: int) -> list[Bill]:
    """The patient's deposits with money not yet applied or refunded, oldest first."""
    return [b for b in db.session.execute(select(Bill).where(
        Bill.facility_id == facility_id, Bill.patient_id == patient_id, Bill.kind == "advance",
        Bill.status != "cancelled").order_by(Bill.id)).scalars() if b.paid - b.applied > 0]


def advance_balance(facility_id: int, patient_id: int) -> Decimal:
    return sum((b.paid - b.applied for b in advances(facility_id, patient_id)), ZERO)


def apply_advances(bill: Bill, user_id) -> Decimal:
    """Settle a bill from the patient's deposits, as far as they go (no commit). The
    money moves as 'advance' payments that name the deposit, so day-end does not count
    it twice."""
    used_total = ZERO
    for deposit in advances(bill.facility_id, bill.patient_id):
        if bill.due <= 0:
            break
        use = min(bill.due, deposit.paid - deposit.applied)
        deposit.applied = deposit.applied + use
        db.session.add(Payment(facility_id=bill.facility_id, bill=bill, kind="payment",
                               mode=ADVANCE, amount=use, reference=deposit.number,
                               received_by_id=user_id))
        bill.paid = bill.paid + use
        used_total += use
    _settle_status(bill)
    return used_total
