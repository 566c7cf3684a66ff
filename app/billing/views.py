"""Tariff and exemption masters (supervisors keep them; cashiers and auditors read)."""
from decimal import Decimal

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from wtforms import SelectField

from app.core.base_views import ScopedModelView, row_facility_id
from app.core.interface import Interface
from app.core.scoping import FacilityScopeFilter
from app.core.labels import LABELS
from app.extensions import db

from .models import (
    ADVANCE, BILL_STATUS_LABELS, PAYMENT_KIND_LABELS, PAYMENT_MODE_LABELS, SERVICE_KINDS, Bill,
    Exemption, Payment, Tariff, TariffPrice,
)

PAYMENT_MODES_AND_ADVANCE = {**PAYMENT_MODE_LABELS, ADVANCE: _l("From advance deposit")}
KIND_LABELS = {
    "registration": _l("Registration"), "consultation": _l("Consultation"),
    "admission": _l("Admission fee"),
    "lab": _l("Lab test"), "bed_day": _l("Bed-day"), "procedure": _l("Procedure"),
    "package": _l("Package"), "consumable": _l("Consumable"),
}
BILLING_LABELS = {**LABELS, "kind": _l("Service kind"), "price": _l("Price (₹)"),
                  "valid_from": _l("Valid from"), "valid_to": _l("Valid to"),
                  "category_code": _l("Patient category code"),
                  "scheme_en": _l("Scheme (English)"), "scheme_hi": _l("Scheme (Hindi)")}


def _kind_field(blank=False):
    choices = ([("", _l("All services"))] if blank else []) + \
        [(k, KIND_LABELS[k]) for k in SERVICE_KINDS]
    return SelectField(BILLING_LABELS["kind"], choices=choices, widget=Select2Widget())


def tariff_rules(values: dict, pk) -> dict:
    errors = {}
    price = values.get("price")
    if price is not None:
        if price < 0:
            errors["price"] = _("Amount cannot be negative.")
        elif Decimal(price).as_tuple().exponent < -2:
            errors["price"] = _("At most two decimals (paise).")
    start, end = values.get("valid_from"), values.get("valid_to")
    if start and end and end < start:
        errors["valid_to"] = _("Must be on or after the start date.")
    facility = row_facility_id(values)
    if values.get("code") and start and facility:
        query = select(func.count()).select_from(Tariff).where(
            Tariff.facility_id == facility, Tariff.code == values["code"],
            or_(Tariff.valid_to.is_(None), Tariff.valid_to >= start))
        if end:
            query = query.where(Tariff.valid_from <= end)
        if pk not in (None, ""):
            query = query.where(Tariff.id != int(pk))
        if db.session.execute(query).scalar():
            errors["valid_from"] = _("Another price of this service is valid in this period.")
    return errors


def tariff_code_rule(values: dict, field: str, kind: str, message) -> dict:
    """A master that names the service it is charged under (a bed its bed-day, a lab
    test itself): the code must be a service of that kind in the row facility's tariff."""
    facility = row_facility_id(values)
    code = (values.get(field) or "").strip()
    if code and facility and not db.session.execute(select(Tariff.id).where(
            Tariff.facility_id == facility, Tariff.code == code, Tariff.kind == kind)).first():
        return {field: message}
    return {}


class TariffView(ScopedModelView):
    datamodel = Interface(Tariff)
    class_permission_name = "Tariff"
    list_title = _l("Tariffs")
    show_title = add_title = edit_title = _l("Tariff")
    label_columns = BILLING_LABELS
    list_columns = ["facility", "code", "name_en", "name_hi", "kind", "price", "valid_from",
                    "valid_to"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["facility", "code", "name_en", "kind", "valid_from"]
    add_form_extra_fields = edit_form_extra_fields = {"kind": _kind_field()}
    formatters_columns = {"kind": lambda k: str(KIND_LABELS.get(k, k))}
    base_order = ("code", "asc")

    def rules(self, values, pk):
        return {**super().rules(values, pk), **tariff_rules(values, pk)}


class TariffPriceView(ScopedModelView):
    datamodel = Interface(TariffPrice)
    class_permission_name = "Tariff"
    list_title = _l("Prices by patient category")
    show_title = add_title = edit_title = _l("Price for a patient category")
    label_columns = {**BILLING_LABELS, "tariff": _l("Tariff")}
    list_columns = add_columns = edit_columns = show_columns = ["facility", "tariff",
                                                                "category_code", "price"]
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "tariff": [["facility_id", FacilityScopeFilter, None]]}

    def rules(self, values, pk):
        errors = super().rules(values, pk)
        price = values.get("price")
        if price is not None and price < 0:
            errors["price"] = _("Amount cannot be negative.")
        tariff = values.get("tariff")
        facility = row_facility_id(values)
        if tariff is not None and facility is not None and tariff.facility_id != facility:
            errors["tariff"] = _("You may only record data for your own facility.")
        return errors


class ExemptionView(ScopedModelView):
    datamodel = Interface(Exemption)
    class_permission_name = "Tariff"
    list_title = _l("Fee exemptions")
    show_title = add_title = edit_title = _l("Fee exemption")
    label_columns = BILLING_LABELS
    list_columns = ["facility", "category_code", "kind", "scheme_en", "scheme_hi", "active"]
    add_columns = edit_columns = show_columns = list_columns
    add_form_extra_fields = edit_form_extra_fields = {"kind": _kind_field(blank=True)}
    formatters_columns = {"kind": lambda k: str(KIND_LABELS.get(k, _l("All services")))
                          if k else str(_l("All services"))}


BILL_LABELS = {**BILLING_LABELS, "number": _l("Bill number"), "bill_date": _l("Date"),
               "patient": _l("Patient"), "gross": _l("Total (₹)"), "discount": _l("Discount (₹)"),
               "net": _l("Net payable (₹)"), "paid": _l("Paid (₹)"), "status": _l("Status"),
               "financial_year": _l("Financial year"), "cancel_reason": _l("Reason for cancellation"),
               "discount_reason": _l("Reason for discount"), "created_by": _l("Billed by"),
               "bill": _l("Bill"), "kind": _l("Kind"), "mode": _l("Mode"), "amount": _l("Amount (₹)"),
               "reference": _l("Reference"), "tendered": _l("Cash handed over (₹)"),
               "change_due": _l("Change (₹)"), "received_at": _l("Time (IST)"),
               "received_by": _l("Received by"), "reason": _l("Reason"),
               "account": _l("Inpatient account"), "stage": _l("Interim or final bill")}


class BillView(ScopedModelView):
    """Bills are made, paid and cancelled at the cash counter; here they are browsed."""
    datamodel = Interface(Bill)
    class_permission_name = "Bill"
    include_route_methods = {"list", "show"}
    list_title = _l("Bills")
    show_title = _l("Bill")
    label_columns = BILL_LABELS
    list_columns = ["number", "bill_date", "patient", "gross", "discount", "net", "paid", "status"]
    show_columns = list_columns + ["financial_year", "discount_reason", "created_by",
                                   "cancel_reason"]
    search_columns = ["number", "bill_date", "status", "financial_year"]
    formatters_columns = {"status": lambda s: str(BILL_STATUS_LABELS.get(s, s))}
    base_order = ("id", "desc")


class PaymentView(ScopedModelView):
    datamodel = Interface(Payment)
    class_permission_name = "Bill"
    include_route_methods = {"list", "show"}
    list_title = _l("Payments")
    show_title = _l("Payment")
    label_columns = BILL_LABELS
    list_columns = ["received_at", "bill", "kind", "mode", "amount", "reference", "received_by"]
    show_columns = list_columns + ["tendered", "change_due", "reason"]
    search_columns = ["received_at", "kind", "mode"]
    formatters_columns = {"kind": lambda k: str(PAYMENT_KIND_LABELS.get(k, k)),
                          "mode": lambda m: str(PAYMENT_MODES_AND_ADVANCE.get(m, m))}
    base_order = ("id", "desc")
