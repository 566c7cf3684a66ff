"""Prices and exemptions, asked for by the clinical departments."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.audit import record_event
from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.models import utcnow
from app.core.numbering import financial_year, ist_today, next_number
from app.core.roles import ADMIN, SUPERVISOR
from app.core.scoping import acting_user, user_facility_id
from app.extensions import appbuilder, db
from app.registration.models import Patient

from .models import (
    ADVANCE, PAYMENT_MODES, Account, Bill, BillLine, Charge, Exemption, Payment, Tariff,
)

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
    exemption = None
    if category_code:
        exemption = db.session.execute(
            select(Exemption).where(Exemption.facility_id == facility_id,
                                    Exemption.category_code == category_code,
                                    Exemption.active.is_(True),
                                    or_(Exemption.kind.is_(None), Exemption.kind == tariff.kind))
            .order_by(Exemption.kind.is_(None)).limit(1)).scalar_one_or_none()
    return _quote(tariff, exemption, category_code)


def _quote(tariff: Tariff, exemption: Exemption | None, category_code: str | None) -> Quote:
    price = price_for(tariff, category_code)
    if exemption is not None:
        return Quote(tariff.code, price, ZERO, exemption.scheme_en, exemption.scheme_hi)
    return Quote(tariff.code, price, price, None, None)


def priced(facility_id: int, code: str, category_code: str | None,
           on: date) -> tuple[Tariff, Quote]:
    """The service's tariff on that date and what this category pays, in one query (the
    OPD fee of every registration asks this); NoTariff when there is none."""
    exempts = and_(Exemption.facility_id == Tariff.facility_id,
                   Exemption.category_code == category_code, Exemption.active.is_(True),
                   or_(Exemption.kind.is_(None), Exemption.kind == Tariff.kind)) \
        if category_code else false()
    row = db.session.execute(
        select(Tariff, Exemption).outerjoin(Exemption, exempts)
        .options(joinedload(Tariff.category_prices))
        .where(Tariff.facility_id == facility_id, Tariff.code == code,
               Tariff.valid_from <= on, or_(Tariff.valid_to.is_(None), Tariff.valid_to >= on))
        .order_by(Tariff.valid_from.desc(), Exemption.kind.is_(None)).limit(1)).unique().first()
    if row is None:
        raise NoTariff(code)
    return row[0], _quote(row[0], row[1], category_code)


def unit_amounts(facility_id: int, tariffs: list[Tariff], category_code: str | None) -> dict:
    """{code: what this patient's category pays for one} of the tariffs (their category
    prices loaded with them), for the counter's running total; one query for exemptions."""
    exemptions = db.session.execute(select(Exemption).where(
        Exemption.facility_id == facility_id, Exemption.category_code == category_code,
        Exemption.active.is_(True))).scalars().all() if category_code else []
    amounts = {}
    for tariff in tariffs:
        exempt = next((e for e in exemptions if e.kind == tariff.kind),
                      next((e for e in exemptions if e.kind is None), None))
        amounts[tariff.code] = _quote(tariff, exempt, category_code).amount
    return amounts


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
                category_code: str | None, on: date, quantity=Decimal(1),
                account: Account | None = None) -> Charge:
    """A department's billable event, priced and exempted now, billed at the counter
    (on the inpatient account, when given). `patient` is the patient object (it may not
    have been written yet)."""
    tariff, fee = priced(facility_id, code, category_code, on)
    if account is not None and final_bill(account) is not None:
        account = None  # the stay is billed: a late item is paid at the counter like any other
    charge = Charge(facility_id=facility_id, patient=patient, source=source, code=code,
                    kind=tariff.kind, description_en=tariff.name_en,
                    description_hi=tariff.name_hi, quantity=quantity,
                    unit_price=fee.price, amount=money(fee.amount * quantity),
                    scheme_en=fee.scheme_en, scheme_hi=fee.scheme_hi, account=account)
    db.session.add(charge)
    return charge


def _records(patient) -> list[int]:
    """A patient id → it and the duplicates merged into it (a merge moves nothing: the
    duplicate's charges, deposits and accounts are the survivor's); a list is taken as
    already so."""
    if isinstance(patient, list):
        return patient
    from app.registration.services import record_ids
    return record_ids(db.session.get(Patient, patient))


def pending_charges(facility_id: int, patient, ids=None) -> list[Charge]:
    """What the patient (an id, or record_ids' list) owes outside any inpatient account
    (OPD fees and the like), those of merged duplicates included. Given `ids`, those of
    them still pending, locked for billing."""
    return _charges((Charge.facility_id == facility_id,
                     Charge.patient_id.in_(_records(patient)),
                     Charge.account_id.is_(None)), ids)


def account_charges(account: Account, ids=None) -> list[Charge]:
    return _charges((Charge.account_id == account.id,), ids)


def _charges(where, ids) -> list[Charge]:
    query = select(Charge).where(*where, Charge.bill_id.is_(None),
                                 Charge.withdrawn_at.is_(None)).order_by(Charge.id)
    if ids is not None:
        # Locked: a charge being billed (or withdrawn) by someone else right now is
        # waited for and then, on PostgreSQL, re-checked: it is no longer pending.
        query = query.where(Charge.id.in_(ids)).with_for_update() \
            .execution_options(populate_existing=True)
    return db.session.execute(query).scalars().all()


def withdraw_charge(charge: Charge, reason: str) -> None:
    """Take back a charge that is not billed (its order was cancelled); a billed one
    comes back only by cancelling its bill at the counter."""
    lock(charge)
    if charge.bill_id is not None:
        bill = db.session.get(Bill, charge.bill_id)
        raise DomainError({"charges": _("Already billed on %(number)s: the cashier must "
                                        "cancel that bill first.", number=bill.number)})
    charge.withdrawn_at, charge.withdraw_reason = utcnow(), reason[:200]


# --- authorisation -------------------------------------------------------------------

def authorise(username: str, password: str, facility_id: int, action: str):
    """A supervisor of this facility (or the state admin) vouches for a discount,
    cancellation or refund by typing their own credentials at the counter. The password
    is checked as a login is: throttled, counted toward lock-out, refused once locked."""
    user = appbuilder.sm.verify_credentials(username, password, f"{action} (bill)")
    roles = {r.name for r in user.roles} if user is not None else set()
    if user is None or not roles & {SUPERVISOR, ADMIN} or \
            (ADMIN not in roles and user_facility_id(user) != facility_id):
        if user is not None:  # the password was right, the person is not one who may
            record_event(db.session, "auth_refused", "bill", facility_id=facility_id,
                         detail=f"{action} by {user.username}: not a supervisor here")
            db.session.commit()
        raise DomainError({"authoriser": _("A supervisor of this facility must authorise "
                                           "this with their user name and password.")})
    record_event(db.session, "authorised", "bill", facility_id=facility_id,
                 detail=f"{action} by {user.username}")
    return user


CARRIED = "@authorised"   # the "user name" of an authorisation carried over in the form
CARRY_SECONDS = 600


def _carrier():
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="counter-authorisation")


def vouched(authoriser, facility_id: int, action: str, subject: int | None = None):
    """authorise(), or an authorisation the same counter form carried over from its
    refused submission (a signed token naming the supervisor, the act, the facility and
    the cashier and what it is for (the bill; the patient of a new bill), good for ten
    minutes), so a supervisor never types their password twice for one act. The approval is left on flask.g for the form to carry again."""
    from flask import g
    from itsdangerous import BadData
    username, secret = authoriser or ("", "")
    cashier = getattr(acting_user(), "id", None)
    if username == CARRIED:
        try:
            carried = _carrier().loads(secret, max_age=CARRY_SECONDS)
        except BadData:
            carried = {}
        user = db.session.get(appbuilder.sm.user_model, carried.get("u") or 0)
        roles = {r.name for r in user.roles} if user is not None else set()
        if user is None or not user.is_active or carried.get("a") != action or \
                carried.get("f") != facility_id or carried.get("c") != cashier or \
                carried.get("s") != subject or \
                not roles & {SUPERVISOR, ADMIN} or \
                (ADMIN not in roles and user_facility_id(user) != facility_id):
            raise DomainError({"authoriser": _("The supervisor's authorisation has run "
                                               "out: they must type their password again.")})
        record_event(db.session, "authorised", "bill", facility_id=facility_id,
                     detail=f"{action} by {user.username} (carried over)")
    else:
        user = authorise(username, secret, facility_id, action)
    g.hmis_approval = (_carrier().dumps({"u": user.id, "a": action, "f": facility_id,
                                         "c": cashier, "s": subject}),
                       f"{user.first_name} {user.last_name}".strip())
    return user


# --- bills and payments --------------------------------------------------------------

def new_bill_number(facility, today: date) -> tuple[str, str]:
    fy = financial_year(today)
    seq = next_number(db.session, facility.id, "bill", fy)
    return f"{facility.code}/{fy}/{seq:06d}", fy


def create_bill(facility, patient_id: int, charge_ids, manual: list[dict], user_id,
                discount=None, discount_reason=None, authoriser=None,
                now: datetime | None = None, account: Account | None = None,
                stage: str | None = None) -> Bill:
    """Stage a bill of the patient's chosen pending charges and manual items
    [{"code", "quantity"}], with an authorised discount (no commit). An inpatient
    account's bill takes the account's charges; its final bill may have no items left."""
    errors = {}
    today = ist_today(now)
    wanted = set(charge_ids)
    charges = account_charges(account, wanted) if account else \
        pending_charges(facility.id, patient_id, wanted)
    if len(charges) != len(wanted):
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
    if not lines and not errors and stage != "final":
        errors["charges"] = _("Choose at least one item to bill.")
    gross = sum((line.amount for line in lines), ZERO)
    discount_value = ZERO
    if discount not in (None, "", "0", "0.00"):
        discount_value = parse_amount(discount, "discount", errors) or ZERO
        if discount_value > gross:
            errors["discount"] = _("The discount cannot be more than the total.")
        if not (discount_reason or "").strip():
            errors["discount_reason"] = _("Give the reason for the discount.")
    approver = None
    if discount_value:
        try:
            approver = vouched(authoriser, facility.id, "discount",
                               account.id if account else patient_id)
        except DomainError as err:
            errors.update(err.errors)
    if errors:
        raise DomainError(errors)
    number, fy = new_bill_number(facility, today)
    bill = Bill(facility_id=facility.id, number=number, financial_year=fy, bill_date=today,
                patient_id=patient_id, gross=gross, discount=discount_value,
                discount_reason=(discount_reason or "").strip()[:200] or None,
                discount_authorised_by_id=approver.id if approver else None,
                net=gross - discount_value, paid=ZERO, refunded=ZERO,
                status="paid" if gross - discount_value == 0 else "unpaid",
                created_by_id=user_id, account=account, stage=stage)
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
    bill.status = "paid" if bill.paid >= bill.payable else \
        ("part_paid" if bill.paid > 0 else "unpaid")


def add_payment(bill: Bill, mode: str, amount, user_id, reference=None, tendered=None,
                now: datetime | None = None) -> Payment:
    """Money received against the bill (part payments allowed; no commit)."""
    lock(bill)
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
    if bill.stage == "final":
        settle_if_square(bill.account, now)
    return payment


def refund(bill: Bill, amount, reason: str, authoriser, user_id, mode="cash") -> Payment:
    """Money back to the patient, never more than was paid, taken off what the bill asks
    for: a settled bill stays settled (no commit)."""
    lock(bill)
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
    try:
        approver = vouched(authoriser, bill.facility_id, "refund", bill.id)
    except DomainError as err:
        errors.update(err.errors)
    if errors:
        raise DomainError(errors)
    return _pay_out(bill, value, reason, mode, user_id, approver.id)


def _pay_out(bill: Bill, value: Decimal, reason: str, mode: str, user_id,
             approver_id=None) -> Payment:
    payment = Payment(facility_id=bill.facility_id, bill=bill, kind="refund", mode=mode,
                      amount=value, reason=reason.strip()[:200], authorised_by_id=approver_id,
                      received_by_id=user_id)
    db.session.add(payment)
    bill.paid = bill.paid - value
    bill.refunded = bill.refunded + value
    if bill.status != "cancelled":
        _settle_status(bill)
    return payment


def _from_advances(bill: Bill) -> Decimal:
    signed = [p.amount if p.kind == "payment" else -p.amount
              for p in bill.payments if p.mode == ADVANCE]
    return sum(signed, ZERO)


def cancel_bill(bill: Bill, reason: str, authoriser, user_id) -> Bill:
    """Cancel with reason and authorisation: the bill keeps its number, what was paid is
    refunded in the mode it was paid in, and its charges are pending again (no commit)."""
    lock(bill)
    if bill.status == "cancelled":
        raise DomainError({"bill": _("This bill is cancelled.")})
    if bill.applied > 0:
        raise DomainError({"bill": _("Part of this deposit is already used on a bill; "
                                     "refund the rest instead.")})
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the cancellation.")
    try:
        approver = vouched(authoriser, bill.facility_id, "cancellation", bill.id)
    except DomainError as err:
        errors.update(err.errors)
    if errors:
        raise DomainError(errors)
    for payment in list(bill.payments):  # deposit money goes back to its deposit
        if payment.kind == "payment" and payment.mode == ADVANCE:
            deposit = lock(db.session.execute(select(Bill).where(
                Bill.facility_id == bill.facility_id,
                Bill.number == payment.reference)).scalar_one())
            deposit.applied = deposit.applied - payment.amount
            db.session.add(Payment(facility_id=bill.facility_id, bill=bill, kind="refund",
                                   mode=ADVANCE, amount=payment.amount, reference=deposit.number,
                                   reason=reason.strip()[:200], authorised_by_id=approver.id,
                                   received_by_id=user_id))
            bill.paid = bill.paid - payment.amount
    # The rest goes back the way it came: UPI to UPI, cash to cash, so that each mode's
    # day-end total is what really moved in it.
    by_mode = {}
    for payment in bill.payments:
        if payment.mode != ADVANCE:
            signed = payment.amount if payment.kind == "payment" else -payment.amount
            by_mode[payment.mode] = by_mode.get(payment.mode, ZERO) + signed
    for mode, amount in by_mode.items():
        if amount > 0:
            db.session.add(Payment(facility_id=bill.facility_id, bill=bill, kind="refund",
                                   mode=mode, amount=amount, reason=reason.strip()[:200],
                                   authorised_by_id=approver.id, received_by_id=user_id))
    bill.paid = ZERO
    bill.status = "cancelled"
    for line in bill.lines:
        line.cancelled = True
    bill.cancelled_at, bill.cancelled_by_id = utcnow(), user_id
    bill.cancel_reason = reason.strip()[:200]
    bill.cancel_authorised_by_id = approver.id
    if bill.account is not None:  # a cancelled final bill reopens the account's billing
        bill.account.settled_at = None
    for charge in db.session.execute(select(Charge).where(Charge.bill_id == bill.id)).scalars():
        charge.bill_id = None
    return bill


def bill_for_print(bill_id: int) -> Bill | None:
    return db.session.execute(select(Bill).where(Bill.id == bill_id).options(
        joinedload(Bill.patient), joinedload(Bill.created_by), selectinload(Bill.lines),
        selectinload(Bill.payments).joinedload(Payment.received_by))).scalar_one_or_none()


# --- advance deposits ----------------------------------------------------------------

def take_advance(facility, patient_id: int, amount, mode: str, user_id, reference=None,
                 tendered=None, now: datetime | None = None,
                 account: Account | None = None) -> Bill:
    """An advance deposit (IPD): numbered and receipted like a bill, paid at once, and
    later applied to the final bill of the admission's account (no commit)."""
    errors = {}
    value = parse_amount(amount, "amount", errors)
    if account is not None:
        lock(account)
    if account is not None and account.settled_at is not None:
        errors["amount"] = _("This inpatient account is settled.")
    if errors:
        raise DomainError(errors)
    today = ist_today(now)
    number, fy = new_bill_number(facility, today)
    bill = Bill(facility_id=facility.id, number=number, financial_year=fy, bill_date=today,
                patient_id=patient_id, kind="advance", gross=value, discount=ZERO,
                net=value, paid=ZERO, refunded=ZERO, applied=ZERO, status="unpaid",
                created_by_id=user_id, account=account,
                lines=[BillLine(position=1, code="ADVANCE", kind="advance",
                                description_en="Advance deposit", description_hi="अग्रिम जमा",
                                quantity=Decimal(1), unit_price=value, amount=value,
                                facility_id=facility.id, bill_date=today,
                                bill_kind="advance")])
    db.session.add(bill)
    add_payment(bill, mode, value, user_id, reference, tendered, now=now)
    return bill


def advances(facility_id: int, patient, account_id: int | None = None,
             own_only: bool = False, locked: bool = False) -> list[Bill]:
    """The patient's deposits with money not yet applied or refunded, oldest first: the
    ones not tied to an admission, and the account's own when an account is named (only
    those with own_only). An admission's deposit is kept for that admission's bills."""
    tied = Bill.account_id == account_id
    scope = tied if own_only else (tied | Bill.account_id.is_(None)) if account_id \
        else Bill.account_id.is_(None)
    query = select(Bill).where(
        Bill.facility_id == facility_id, Bill.patient_id.in_(_records(patient)),
        Bill.kind == "advance",
        Bill.status != "cancelled", scope).order_by(Bill.account_id.is_(None), Bill.id)
    if locked:  # about to spend or return them: wait for anyone else doing so
        query = query.with_for_update().execution_options(populate_existing=True)
    return [b for b in db.session.execute(query).scalars() if b.paid - b.applied > 0]


def advance_balance(facility_id: int, patient, account_id: int | None = None) -> Decimal:
    return sum((b.paid - b.applied for b in advances(facility_id, patient, account_id)), ZERO)


def apply_advances(bill: Bill, user_id) -> Decimal:
    """Settle a bill from the patient's deposits, as far as they go (no commit). The
    money moves as 'advance' payments that name the deposit, so day-end does not count
    it twice."""
    lock(bill)
    used_total = ZERO
    for deposit in advances(bill.facility_id, bill.patient_id, bill.account_id, locked=True):
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


# --- inpatient accounts --------------------------------------------------------------

# Departments whose charges run up with time (the IPD's bed-days) register a function
# (account, now) here; it posts what is owed so far before an interim or final bill.
ACCRUALS: dict[str, Callable[[Account, datetime], None]] = {}
# Departments whose slips carry their own number (an IPD number, a lab order) register a
# function (facility id, scanned text) → patient id or None, so that scanning any slip
# at the counter finds its patient.
SLIP_LOOKUPS: dict[str, Callable[[int, str], int | None]] = {}
STAGES = ("interim", "final")


def open_account(facility_id: int, patient, reference: str,
                 now: datetime | None = None) -> Account:
    account = Account(facility_id=facility_id, patient=patient, reference=reference,
                      opened_at=now or utcnow())
    db.session.add(account)
    return account


def close_account(account: Account, now: datetime | None = None) -> None:
    """Discharge: the final bill may now be made (no commit)."""
    account.closed_at = now or utcnow()


def open_accounts(facility_id: int, patient) -> list[Account]:
    """The patient's inpatient accounts not yet settled, newest first."""
    return db.session.execute(select(Account).where(
        Account.facility_id == facility_id, Account.patient_id.in_(_records(patient)),
        Account.settled_at.is_(None)).order_by(Account.id.desc())).scalars().all()


def account_bills(account: Account) -> list[Bill]:
    """The account's bills and deposits, cancelled ones included, in order."""
    return db.session.execute(select(Bill).where(Bill.account_id == account.id)
                              .order_by(Bill.id)).scalars().all()


def final_bill(account: Account) -> Bill | None:
    if account.id is None:  # opened in this transaction: nothing billed on it yet
        return None
    return next((b for b in account_bills(account)
                 if b.stage == "final" and b.status != "cancelled"), None)


def patient_for_slip(facility_id: int, text: str) -> int | None:
    for lookup in SLIP_LOOKUPS.values():
        patient_id = lookup(facility_id, text)
        if patient_id is not None:
            return patient_id
    return None


def accrue(account: Account, now: datetime | None = None) -> None:
    for post in ACCRUALS.values():
        post(account, now or utcnow())


def bill_account(facility, account: Account, stage: str, manual: list[dict], user_id,
                 discount=None, discount_reason=None, authoriser=None,
                 now: datetime | None = None) -> Bill:
    """An interim bill (charges so far, while admitted) or the final bill (after
    discharge: the rest, with the deposits applied first), no commit."""
    lock(account)  # one interim or final bill of an account at a time
    errors = {}
    if stage not in STAGES:
        errors["stage"] = _("This value is not one of the allowed choices.")
    elif account.settled_at is not None:
        errors["bill"] = _("This inpatient account is settled.")
    elif stage == "interim" and account.closed_at is not None:
        errors["bill"] = _("The patient is discharged: make the final bill.")
    elif stage == "final" and account.closed_at is None:
        errors["bill"] = _("The final bill is made after discharge.")
    elif stage == "final" and final_bill(account) is not None:
        errors["bill"] = _("The final bill of this admission is already made.")
    if errors:
        raise DomainError(errors)
    accrue(account, now)
    bill = create_bill(facility, account.patient_id, [c.id for c in account_charges(account)],
                       manual, user_id, discount, discount_reason, authoriser, now,
                       account=account, stage=stage)
    if stage == "final":
        apply_advances(bill, user_id)
        settle_if_square(account, now)
    return bill


def settle_if_square(account: Account, now: datetime | None = None) -> bool:
    """The account is settled once its final bill is paid and its deposits are used up
    or refunded; nothing more can be billed or deposited on it."""
    final = final_bill(account)
    square = (final is not None and final.status == "paid" and not account_charges(account)
              and not advances(account.facility_id, account.patient_id, account.id,
                               own_only=True))
    if square and account.settled_at is None:
        account.settled_at = now or utcnow()
    return square


def refund_deposits(account: Account, mode: str, user_id) -> Decimal:
    """Give back what is left of the admission's deposits once the final bill is paid
    (no supervisor needed: the amount is the system's, not typed). No commit."""
    lock(account)
    final = final_bill(account)
    if final is None or final.status != "paid":
        raise DomainError({"bill": _("Settle the final bill before refunding the deposit.")})
    if mode not in PAYMENT_MODES:
        raise DomainError({"mode": _("This value is not one of the allowed choices.")})
    total = ZERO
    for deposit in advances(account.facility_id, account.patient_id, account.id,
                            own_only=True, locked=True):
        left = deposit.paid - deposit.applied
        _pay_out(deposit, left, "Unused deposit returned at discharge", mode, user_id)
        total += left
    if not total:
        raise DomainError({"bill": _("No deposit is left to refund.")})
    settle_if_square(account)
    return total


@dataclass(frozen=True)
class Statement:
    """Where an inpatient account stands: what was charged, paid and deposited."""
    account: Account
    bills: list        # interim and final bills, not cancelled
    deposits: list     # advance deposits of the account, not cancelled
    pending: list      # charges not yet on a bill
    charged: Decimal   # billed (net) plus pending
    paid: Decimal      # paid on the bills, deposits applied included
    deposit_left: Decimal
    due: Decimal       # still owed on bills and pending charges


def statement(account: Account) -> Statement:
    bills, deposits = [], []
    for bill in account_bills(account):
        if bill.status != "cancelled":
            (deposits if bill.kind == "advance" else bills).append(bill)
    pending = account_charges(account)
    pending_total = sum((c.amount for c in pending), ZERO)
    return Statement(
        account=account, bills=bills, deposits=deposits, pending=pending,
        charged=sum((b.payable for b in bills), ZERO) + pending_total,
        paid=sum((b.paid for b in bills), ZERO),
        deposit_left=sum((d.paid - d.applied for d in deposits), ZERO),
        due=sum((b.due for b in bills), ZERO) + pending_total)
