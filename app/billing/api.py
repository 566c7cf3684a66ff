"""REST: /api/v1/bill and /api/v1/payment (facility-scoped). Creating either goes
through the same services as the cash counter."""
from flask import request
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _

from app.core.base_views import DomainError, ScopedApi
from app.core.scoping import acting_user, current_facility, in_scope
from app.extensions import db

from . import services
from .models import Account, Bill, Payment
from .views import BILL_LABELS


def _json():
    return request.json if request.is_json and isinstance(request.json, dict) else None


class BillApi(ScopedApi):
    resource_name = "bill"
    datamodel = SQLAInterface(Bill)
    class_permission_name = "Bill"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = BILL_LABELS
    list_columns = show_columns = ["id", "number", "financial_year", "bill_date", "patient.id",
                                   "patient.uhid", "gross", "discount", "discount_reason",
                                   "net", "paid", "status", "cancel_reason", "kind", "stage",
                                   "account.reference",
                                   "lines.position", "lines.description_en", "lines.quantity",
                                   "lines.amount", "lines.scheme_en"]
    add_columns = ["patient"]
    search_columns = ["number", "bill_date", "status"]
    base_order = ("id", "desc")

    def post_headless(self):
        """A bill: {"patient": id, "charges": [ids], "items": [{"code", "quantity"}],
        "discount": "10.00", "discount_reason": "...",
        "authoriser": {"username", "password"}, "payment": {"mode", "amount", ...}}.
        An inpatient account's bill: {"patient", "account": id, "stage": "interim"|"final",
        "items", ...} (its charges are taken whole). A deposit: {"patient", "account"
        (optional), "advance": {"amount", "mode", "reference", "tendered"}}."""
        data = _json()
        if data is None:
            return self.response_400(message="Request is not JSON")
        facility = current_facility()
        user_id = getattr(acting_user(), "id", None)
        try:
            patient, account = self._patient_and_account(facility, data)
            auth = data.get("authoriser") or {}
            options = dict(discount=data.get("discount"),
                           discount_reason=data.get("discount_reason"),
                           authoriser=(auth.get("username"), auth.get("password")))
            items = list(data.get("items") or [])
            if isinstance(data.get("advance"), dict):
                pay = data["advance"]
                bill = services.take_advance(facility, patient.id, pay.get("amount"),
                                             pay.get("mode", "cash"), user_id,
                                             pay.get("reference"), pay.get("tendered"),
                                             account=account)
            elif account is not None:
                bill = services.bill_account(facility, account, data.get("stage") or "",
                                             items, user_id, **options)
            else:
                bill = services.create_bill(
                    facility, patient.id, [int(c) for c in data.get("charges") or []
                                           if str(c).isdigit()], items, user_id, **options)
            pay = data.get("payment")
            if isinstance(pay, dict) and bill.due > 0:
                services.add_payment(bill, pay.get("mode", "cash"), pay.get("amount"), user_id,
                                     pay.get("reference"), pay.get("tendered"))
        except DomainError as err:
            db.session.rollback()
            return self.response_422(message={k: [str(v)] for k, v in err.errors.items()})
        db.session.commit()
        return self.response(201, id=bill.id, result=self.show_model_schema.dump(bill))

    @staticmethod
    def _patient_and_account(facility, data):
        """The facility's patient, and their inpatient account when one is named."""
        from app.registration.models import Patient
        try:
            patient = db.session.get(Patient, int(data.get("patient")))
        except (TypeError, ValueError):
            patient = None
        if facility is None or patient is None or patient.facility_id != facility.id:
            raise DomainError({"patient": BILL_LABELS["patient"] + ": ?"})
        if data.get("account") in (None, ""):
            return patient, None
        try:
            account = db.session.get(Account, int(data["account"]))
        except (TypeError, ValueError):
            account = None
        if account is None or account.patient_id != patient.id:
            raise DomainError({"account": _("No such record.")})
        return patient, account


class PaymentApi(ScopedApi):
    resource_name = "payment"
    datamodel = SQLAInterface(Payment)
    class_permission_name = "Bill"
    include_route_methods = {"get", "get_list", "info", "post"}
    label_columns = BILL_LABELS
    list_columns = show_columns = ["id", "bill.id", "bill.number", "kind", "mode", "amount",
                                   "reference", "tendered", "change_due", "reason",
                                   "received_at"]
    add_columns = ["bill"]
    search_columns = ["kind", "mode", "received_at"]
    base_order = ("id", "desc")

    def post_headless(self):
        """{"bill": id, "mode": "cash"|"upi"|..., "amount": "10.00", "reference", "tendered"}"""
        data = _json()
        if data is None:
            return self.response_400(message="Request is not JSON")
        try:
            bill = db.session.get(Bill, int(data.get("bill")))
        except (TypeError, ValueError):
            bill = None
        try:
            if bill is None or not in_scope(bill.facility_id):
                raise DomainError({"bill": BILL_LABELS["bill"] + ": ?"})
            payment = services.add_payment(bill, data.get("mode", "cash"), data.get("amount"),
                                           getattr(acting_user(), "id", None),
                                           data.get("reference"), data.get("tendered"))
        except DomainError as err:
            db.session.rollback()
            return self.response_422(message={k: [str(v)] for k, v in err.errors.items()})
        db.session.commit()
        return self.response(201, id=payment.id, result=self.show_model_schema.dump(payment))
