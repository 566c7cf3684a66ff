"""The lab test catalogue (supervisors keep it) and the register of lab orders."""
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.billing.views import tariff_code_rule
from app.core.base_views import ScopedModelView
from app.core.interface import Interface

from .labels import LAB_LABELS
from .models import ORDER_STATUSES, PRIORITIES, SAMPLES, SECTIONS, LabOrder, LabTest


def _choice(field: str, choices: dict) -> SelectField:
    return SelectField(LAB_LABELS[field], choices=list(choices.items()), widget=Select2Widget())


class LabTestView(ScopedModelView):
    datamodel = Interface(LabTest)
    class_permission_name = "LabTest"
    list_title = _l("Lab tests")
    show_title = add_title = edit_title = _l("Lab test")
    label_columns = LAB_LABELS
    list_columns = ["facility", "code", "name_en", "name_hi", "section", "sample", "active"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["facility", "code", "name_en", "name_hi", "section", "sample", "active"]
    add_form_extra_fields = edit_form_extra_fields = {
        "section": _choice("section", SECTIONS), "sample": _choice("sample", SAMPLES)}
    description_columns = {"code": _l("The tariff code of the lab test service it is "
                                      "charged under, e.g. CBC.")}
    formatters_columns = {"section": lambda s: str(SECTIONS.get(s, s)),
                          "sample": lambda s: str(SAMPLES.get(s, s))}
    base_order = ("code", "asc")

    def rules(self, values, pk):
        return {**super().rules(values, pk), **tariff_code_rule(
            values, "code", "lab", _("No lab test service with this code in the tariff."))}


class LabOrderView(ScopedModelView):
    """Orders are written on the order screen; here they are listed and searched."""
    datamodel = Interface(LabOrder)
    class_permission_name = "LabOrder"
    include_route_methods = {"list", "show"}
    list_title = _l("Lab orders")
    show_title = _l("Lab order")
    label_columns = LAB_LABELS
    list_columns = ["order_number", "ordered_at", "patient", "priority", "status", "ordered_by"]
    show_columns = ["facility", "order_number", "patient", "opd_visit", "admission", "priority",
                    "clinical_note", "status", "ordered_at", "ordered_by", "cancelled_at",
                    "cancelled_by", "cancel_reason", "slip_prints"]
    search_columns = ["order_number", "ordered_at", "priority", "status", "patient"]
    formatters_columns = {"status": lambda s: str(ORDER_STATUSES.get(s, s)),
                          "priority": lambda p: str(PRIORITIES.get(p, p))}
    base_order = ("id", "desc")
