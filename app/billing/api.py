"""REST: /api/v1/bill and /api/v1/payment (facility-scoped). Creating either goes
through the same services as the cash counter."""
from flask_babel import gettext as _
from marshmallow import fields, validate

from app.core.api_fields import Amount, Body, Choice, Id, Ids, Text
from app.core.base_views import DomainError, ScopedApi
from app.core.interface import Interface
from app.core.scoping import in_scope
from app.extensions import db

from . import services
from .models import PAYMENT_MODES, Account, Bill, Payment
from .views import BILL_LABELS


class ItemPart(Body):
    code = Text(20, required=True)
    quantity = Amount(load_default="1")


class PayPart(Body):
    mode = Choice(PAYMENT_MODES, load_default="cash")
    amount = Amount(required=True)
    reference = Text(60, allow_none=True)
    tendered = Amount(allow_none=True)


class Authoriser(Body):
    username = Text(100, required=True)
    password = Text(200, required=True)


class BillBody(Body):
    """A bill of the patient's pending charges and items (with an authorised discount
    and the money taken); an inpatient account's interim or final bill; or a deposit."""
    patient = Id(required=True)
    charges = Ids(load_default=list)
    items = fields.List(fields.Nested(ItemPart), load_default=list,
                        validate=validate.Length(max=50))
    discount = Amount(allow_none=True)
    discount_reason = Text(200, allow_none=True)
    authoriser = fields.Nested(Authoriser, allow_none=True)
    payment = fields.Nested(PayPart, allow_none=True)
    account = Id(allow_none=True)
    stage = Choice(services.STAGES, allow_none=True)
    advance = fields.Nested(PayPart, allow_none=True)


class PaymentBody(PayPart):
    bill = Id(required=True)


class BillApi(ScopedApi):
    resource_name = "bill"
    datamodel = Interface(Bill)
    class_permission_name = "Bill"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = BILL_LABELS
    list_columns = show_columns = ["id", "number", "financial_year", "bill_date", "patient.id",
                                   "patient.uhid", "gross", "discount", "discount_reason",
                                   "net", "paid", "status", "cancel_reason", "kind", "stage",
                                   "account.reference",
                                   "lines.position", "lines.description_en", "lines.quantity",
                                   "lines.amount", "lines.scheme_en"]
    add_model_schema = BillBody()
    add_columns = list(BillBody().fields)
    search_columns = ["number", "bill_date", "status"]
    base_order = ("id", "desc")

    def post_headless(self):
        """A bill: {"patient": id, "charges": [ids], "items": [{"code", "quantity"}],
        "discount": "10.00", "discount_reason": "...",
        "authoriser": {"username", "password"}, "payment": {"mode", "amount", ...}}.
        An inpatient account's bill: {"patient", "account": id, "stage": "interim"|"final",
        "items", ...} (its charges are taken whole). A deposit: {"patient", "account"
        (optional), "advance": {"amount", "mode", "reference", "tendered"}}."""
        return self.create_through(self._bill)

    def _bill(self, facility, data, user_id):
        patient, account = self._patient_and_account(facility, data)
        auth = data.get("authoriser") or {}
        options = dict(discount=data.get("discount"), discount_reason=data.get("discount_reason"),
                       authoriser=(auth.get("username"), auth.get("password")))
        if data.get("advance"):
            pay = data["advance"]
            bill = services.take_advance(facility, patient.id, pay["amount"], pay["mode"],
                                         user_id, pay.get("reference"), pay.get("tendered"),
                                         account=account)
        elif account is not None:
            bill = services.bill_account(facility, account, data.get("stage") or "",
                                         data["items"], user_id, **options)
        else:
            bill = services.create_bill(facility, patient.id, data["charges"], data["items"],
                                        user_id, **options)
        pay = data.get("payment")
        if pay and bill.due > 0:
            services.add_payment(bill, pay["mode"], pay["amount"], user_id, pay.get("reference"),
                                 pay.get("tendered"))
        db.session.commit()
        return bill

    @staticmethod
    def _patient_and_account(facility, data):
        """The facility's patient, and their inpatient account when one is named."""
        from app.registration.models import Patient
        patient = db.session.get(Patient, data["patient"])
        if patient is None or patient.facility_id != facility.id:
            raise DomainError({"patient": _("No such patient in this facility.")})
        if data.get("account") is None:
            return patient, None
        account = db.session.get(Account, data["account"])
        if account is None or account.patient_id != patient.id:
            raise DomainError({"account": _("No such record.")})
        return patient, account


class PaymentApi(ScopedApi):
    resource_name = "payment"
    datamodel = Interface(Payment)
    class_permission_name = "Bill"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = BILL_LABELS
    list_columns = show_columns = ["id", "bill.id", "bill.number", "kind", "mode", "amount",
                                   "reference", "tendered", "change_due", "reason",
                                   "received_at"]
    add_model_schema = PaymentBody()
    add_columns = list(PaymentBody().fields)
    search_columns = ["kind", "mode", "received_at"]
    base_order = ("id", "desc")

    def post_headless(self):
        """{"bill": id, "mode": "cash"|"upi"|..., "amount": "10.00", "reference", "tendered"}"""
        return self.create_through(self._pay)

    @staticmethod
    def _pay(facility, data, user_id):
        bill = db.session.get(Bill, data["bill"])
        if bill is None or not in_scope(bill.facility_id):
            raise DomainError({"bill": _("No such record.")})
        payment = services.add_payment(bill, data["mode"], data["amount"], user_id,
                                       data.get("reference"), data.get("tendered"))
        db.session.commit()
        return payment
