"""Tariffs (price of a service at a facility over a validity period) and fee exemptions
by patient category (the scheme is shown on the slip and the bill)."""
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, Numeric,
    String, UniqueConstraint, text,
)
from sqlalchemy.orm import relationship

from app.core.models import BilingualName, FacilityOwned, in_user_language, utcnow
from app.registration.models import Patient

LIVE_CHARGE_LINE = "charge_id IS NOT NULL AND cancelled = false"
SERVICE_KINDS = ("registration", "consultation", "admission", "lab", "bed_day", "procedure",
                 "package", "consumable")


class Tariff(FacilityOwned, BilingualName, Model):
    __tablename__ = "tariff"
    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False)
    kind = Column(String(20), nullable=False)
    price = Column(Numeric(12, 2), nullable=False)
    valid_from = Column(Date, nullable=False)
    valid_to = Column(Date)  # inclusive; empty = open-ended

    def __str__(self) -> str:
        return f"{self.code} · {self.name} · ₹{self.price}"


class TariffPrice(FacilityOwned, Model):
    """A different price of a service for one patient category (e.g. a private ward for
    staff); without one, the tariff's own price applies."""
    __tablename__ = "tariff_price"
    __table_args__ = (UniqueConstraint("tariff_id", "category_code"),)
    id = Column(Integer, primary_key=True)
    tariff_id = Column(Integer, ForeignKey("tariff.id"), nullable=False, index=True)
    tariff = relationship(Tariff, backref="category_prices")
    category_code = Column(String(10), nullable=False)
    price = Column(Numeric(12, 2), nullable=False)


class Exemption(FacilityOwned, Model):
    """Patients of this category pay nothing for services of this kind (all kinds when
    kind is empty), under the named scheme."""
    __tablename__ = "fee_exemption"
    __table_args__ = (UniqueConstraint("facility_id", "category_code", "kind"),)
    id = Column(Integer, primary_key=True)
    category_code = Column(String(10), nullable=False)
    kind = Column(String(20))
    scheme_en = Column(String(80), nullable=False)
    scheme_hi = Column(String(80), nullable=False)
    active = Column(Boolean, nullable=False, default=True)


class Account(FacilityOwned, Model):
    """An inpatient's running account, opened at admission and closed at discharge by
    the IPD: its charges (bed-days, procedures) and deposits gather here; interim bills
    take the charges so far, the final bill the rest, net of the deposits."""
    __tablename__ = "billing_account"
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False, index=True)
    patient = relationship(Patient)
    reference = Column(String(30), nullable=False)   # the IPD number
    opened_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    closed_at = Column(DateTime(timezone=True))      # discharge: the final bill may be made
    settled_at = Column(DateTime(timezone=True))     # final bill paid, deposits squared

    def __str__(self) -> str:
        return self.reference


class Charge(FacilityOwned, Model):
    """A billable item waiting for the cash counter (an OPD fee, a lab test, bed-days),
    posted by the department through billing.services.post_charge. One withdrawn
    before it was billed (a cancelled lab order) is kept, marked, and never billed."""
    __tablename__ = "charge"
    __table_args__ = (Index("ix_charge_pending", "facility_id", "patient_id", "bill_id"),
                      CheckConstraint("bill_id IS NULL OR withdrawn_at IS NULL",
                                      name="ck_charge_billed_or_withdrawn"))
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False)
    patient = relationship(Patient)
    source = Column(String(40), nullable=False)      # "opd:<department>:<date>:<token>"
    code = Column(String(20), nullable=False)
    kind = Column(String(20), nullable=False)
    description_en = Column(String(150), nullable=False)
    description_hi = Column(String(150), nullable=False)
    quantity = Column(Numeric(10, 2), nullable=False, default=1)
    unit_price = Column(Numeric(12, 2), nullable=False)
    amount = Column(Numeric(12, 2), nullable=False)  # after exemption
    scheme_en = Column(String(80))
    scheme_hi = Column(String(80))
    posted_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    bill_id = Column(Integer, ForeignKey("bill.id"))
    account_id = Column(Integer, ForeignKey("billing_account.id"), index=True)
    account = relationship(Account)
    withdrawn_at = Column(DateTime(timezone=True))
    withdraw_reason = Column(String(200))

    @property
    def description(self) -> str:
        return in_user_language(self.description_en, self.description_hi)

    @property
    def scheme(self) -> str | None:
        return in_user_language(self.scheme_en, self.scheme_hi) if self.scheme_en else None


BILL_STATUS_LABELS = {"unpaid": _l("Unpaid"), "part_paid": _l("Part paid"), "paid": _l("Paid"),
                      "cancelled": _l("Cancelled")}
BILL_STATUSES = tuple(BILL_STATUS_LABELS)
PAYMENT_MODE_LABELS = {"cash": _l("Cash"), "upi": _l("UPI"), "card": _l("Card"),
                       "cheque": _l("Cheque"), "dd": _l("Demand draft"),
                       "insurance": _l("Insurance / PM-JAY claim")}
PAYMENT_MODES = tuple(PAYMENT_MODE_LABELS)
ADVANCE = "advance"  # payment mode of money moved from a deposit onto a bill
PAYMENT_KIND_LABELS = {"payment": _l("Payment received"), "refund": _l("Refund")}
BILL_KIND_LABELS = {"bill": _l("Bill"), "advance": _l("Advance deposit")}


class Bill(FacilityOwned, Model):
    __tablename__ = "bill"
    __table_args__ = (UniqueConstraint("facility_id", "number"),
                      Index("ix_bill_facility_date", "facility_id", "bill_date"),
                      Index("ix_bill_facility_cancelled", "facility_id", "cancelled_at"),
                      # Never more paid than owed, nor more of a deposit used than paid.
                      CheckConstraint("paid >= 0 AND paid <= net AND applied >= 0 "
                                      "AND applied <= paid", name="ck_bill_paid"))
    id = Column(Integer, primary_key=True)
    number = Column(String(30), nullable=False)      # DHR/2026-27/000042
    # "bill" for services; "advance" for a deposit (IPD), later applied to final bills.
    kind = Column(String(8), nullable=False, default="bill", server_default="bill")
    applied = Column(Numeric(12, 2), nullable=False, default=0, server_default="0")
    # An inpatient account's bills and deposits; stage "interim" or "final" for its bills.
    account_id = Column(Integer, ForeignKey("billing_account.id"), index=True)
    account = relationship(Account)
    stage = Column(String(8))
    financial_year = Column(String(7), nullable=False)
    bill_date = Column(Date, nullable=False)          # IST
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False, index=True)
    patient = relationship(Patient)
    gross = Column(Numeric(12, 2), nullable=False)
    discount = Column(Numeric(12, 2), nullable=False, default=0)
    discount_reason = Column(String(200))
    discount_authorised_by_id = Column(Integer, ForeignKey("ab_user.id"))
    net = Column(Numeric(12, 2), nullable=False)
    paid = Column(Numeric(12, 2), nullable=False, default=0)  # payments less refunds
    # Refunds take their amount off the bill as well as giving it back (a fee charged twice,
    # a test not done): a fully paid ₹100 bill refunded ₹10 has kept ₹90 and owes nothing.
    refunded = Column(Numeric(12, 2), nullable=False, default=0, server_default="0")
    status = Column(String(12), nullable=False, default="unpaid")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))
    created_by = relationship(User, foreign_keys=[created_by_id])
    cancelled_at = Column(DateTime(timezone=True))
    cancelled_by_id = Column(Integer, ForeignKey("ab_user.id"))
    cancel_reason = Column(String(200))
    cancel_authorised_by_id = Column(Integer, ForeignKey("ab_user.id"))
    receipt_prints = Column(Integer, nullable=False, default=0)
    lines = relationship("BillLine", cascade="all, delete-orphan", order_by="BillLine.position")
    payments = relationship("Payment", order_by="Payment.id", back_populates="bill")

    @property
    def payable(self):
        """What the bill asks for after its refunds."""
        return self.net - self.refunded

    @property
    def due(self):
        return self.payable - self.paid

    def __str__(self) -> str:
        return self.number


class BillLine(Model):
    __tablename__ = "bill_line"
    # Copied from the bill so that day-end can total a year of lines from one index range
    # instead of joining every line to its bill.
    __table_args__ = (Index("ix_bill_line_day_end", "facility_id", "bill_date"),
                      # A charge is on one live bill at most.
                      Index("ux_bill_line_charge", "charge_id", unique=True,
                            sqlite_where=text(LIVE_CHARGE_LINE),
                            postgresql_where=text(LIVE_CHARGE_LINE)),
                      # every line of a charge, cancelled ones too (the auditors' search)
                      Index("ix_bill_line_charge", "charge_id"))
    id = Column(Integer, primary_key=True)
    bill_id = Column(Integer, ForeignKey("bill.id"), nullable=False, index=True)
    facility_id = Column(Integer, nullable=False)
    bill_date = Column(Date, nullable=False)
    bill_kind = Column(String(8), nullable=False, default="bill")
    cancelled = Column(Boolean, nullable=False, default=False)
    position = Column(Integer, nullable=False)
    charge_id = Column(Integer, ForeignKey("charge.id"))
    code = Column(String(20))
    kind = Column(String(20), nullable=False)
    description_en = Column(String(150), nullable=False)
    description_hi = Column(String(150), nullable=False)
    quantity = Column(Numeric(10, 2), nullable=False)
    unit_price = Column(Numeric(12, 2), nullable=False)
    amount = Column(Numeric(12, 2), nullable=False)
    scheme_en = Column(String(80))
    scheme_hi = Column(String(80))


class Payment(FacilityOwned, Model):
    """Money in (kind 'payment') or out (kind 'refund') against a bill."""
    __tablename__ = "payment"
    __table_args__ = (Index("ix_payment_facility_at", "facility_id", "received_at"),
                      Index("ix_payment_facility_kind_at", "facility_id", "kind", "received_at"),
                      CheckConstraint("amount > 0", name="ck_payment_amount"))
    id = Column(Integer, primary_key=True)
    bill_id = Column(Integer, ForeignKey("bill.id"), nullable=False, index=True)
    bill = relationship(Bill, back_populates="payments")
    kind = Column(String(8), nullable=False, default="payment")
    mode = Column(String(10), nullable=False)
    amount = Column(Numeric(12, 2), nullable=False)
    reference = Column(String(60))                   # UPI/card/cheque/claim reference
    tendered = Column(Numeric(12, 2))                # cash handed over
    change_due = Column(Numeric(12, 2))
    reason = Column(String(200))                     # refunds
    authorised_by_id = Column(Integer, ForeignKey("ab_user.id"))
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    received_by_id = Column(Integer, ForeignKey("ab_user.id"))
    received_by = relationship(User, foreign_keys=[received_by_id])


class CashierShift(FacilityOwned, Model):
    """A cashier closing their shift: the cash they counted against what the system
    says they took in since their previous close."""
    __tablename__ = "cashier_shift"
    __table_args__ = (Index("ix_cashier_shift_cashier", "facility_id", "cashier_id", "closed_at"),)
    id = Column(Integer, primary_key=True)
    cashier_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    cashier = relationship(User)
    opened_at = Column(DateTime(timezone=True), nullable=False)   # the previous close
    closed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    system_cash = Column(Numeric(12, 2), nullable=False)
    declared_cash = Column(Numeric(12, 2), nullable=False)
    difference = Column(Numeric(12, 2), nullable=False)            # declared - system
    note = Column(String(200))
