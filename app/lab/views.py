"""The lab test catalogue (supervisors keep it) and the register of lab orders."""
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from app.billing.views import tariff_code_rule
from app.core.base_views import ScopedModelView
from app.core.interface import Interface

from .labels import LAB_LABELS
from .models import (
    CONTAINERS, ORDER_STATUSES, PRIORITIES, RESULT_TYPES, SAMPLES, SECTIONS, SEXES, LabOrder,
    LabPanelMember, LabTest, LabTestRange,
)


def _choice(field: str, choices: dict, default=None) -> SelectField:
    return SelectField(LAB_LABELS[field], choices=list(choices.items()), default=default,
                       widget=Select2Widget())


def _optional_choice(field: str, choices: dict) -> SelectField:
    return SelectField(LAB_LABELS[field], choices=[("", "—")] + list(choices.items()),
                       default="", widget=Select2Widget())


class LabTestView(ScopedModelView):
    datamodel = Interface(LabTest)
    class_permission_name = "LabTest"
    list_title = _l("Lab tests")
    show_title = add_title = edit_title = _l("Lab test")
    label_columns = LAB_LABELS
    list_columns = ["facility", "code", "name_en", "name_hi", "section", "sample", "unit",
                    "result_type", "panel_only", "active"]
    add_columns = edit_columns = show_columns = [
        "facility", "code", "name_en", "name_hi", "section", "sample", "container",
        "result_type", "unit", "decimals", "choices", "normal_values", "method", "loinc",
        "critical_low", "critical_high", "plausible_low", "plausible_high", "delta_limit",
        "tat_minutes", "panel_only", "active"]
    search_columns = ["facility", "code", "name_en", "name_hi", "section", "sample",
                      "result_type", "loinc", "panel_only", "active"]
    add_form_extra_fields = edit_form_extra_fields = {
        "section": _choice("section", SECTIONS), "sample": _choice("sample", SAMPLES),
        "container": _optional_choice("container", CONTAINERS),
        "result_type": _choice("result_type", RESULT_TYPES, default="numeric"),
        "decimals": IntegerField(LAB_LABELS["decimals"], default=0,
                                 validators=[Optional(), NumberRange(0, 4)])}
    description_columns = {
        "code": _l("The tariff code of the lab test service it is charged under, e.g. CBC."),
        "choices": _l("For a choice or titre: the values separated by |, e.g. "
                      "Positive|Negative."),
        "normal_values": _l("Of those, the values not flagged, separated by |."),
        "plausible_low": _l("A value outside the plausible limits is probably mistyped: "
                            "it is saved only when confirmed."),
        "delta_limit": _l("A change this large since the patient's previous result is "
                          "flagged."),
        "tat_minutes": _l("Target from order to released result."),
        "panel_only": _l("Not ordered alone, not charged: reported inside a panel (e.g. "
                         "MCV in the CBC)."),
    }
    formatters_columns = {"section": lambda s: str(SECTIONS.get(s, s)),
                          "sample": lambda s: str(SAMPLES.get(s, s)),
                          "container": lambda c: str(CONTAINERS.get(c, c or "")),
                          "result_type": lambda t: str(RESULT_TYPES.get(t, t))}
    base_order = ("code", "asc")

    def rules(self, values, pk):
        errors = {**super().rules(values, pk)}
        if not values.get("panel_only"):
            errors.update(tariff_code_rule(
                values, "code", "lab", _("No lab test service with this code in the tariff.")))
        errors.update(catalogue_rules(values))
        return errors


def catalogue_rules(values) -> dict:
    """What a result needs to be judged: a list for a choice, limits
    in order."""
    errors = {}
    kind = values.get("result_type")
    choices = [c for c in (values.get("choices") or "").split("|") if c.strip()]
    if kind in ("choice", "titre") and len(choices) < 2:
        errors["choices"] = _("Give at least two values, separated by |.")
    normal = [c for c in (values.get("normal_values") or "").split("|") if c.strip()]
    if kind in ("choice", "titre") and any(n not in choices for n in normal):
        errors["normal_values"] = _("Each must be one of the values above.")
    for low, high in (("critical_low", "critical_high"), ("plausible_low", "plausible_high")):
        if values.get(low) is not None and values.get(high) is not None and \
                values[low] >= values[high]:
            errors[high] = _("Must be above the low limit.")
    return errors


class LabTestRangeView(ScopedModelView):
    datamodel = Interface(LabTestRange)
    class_permission_name = "LabTest"
    list_title = _l("Lab reference ranges")
    show_title = add_title = edit_title = _l("Lab reference range")
    label_columns = LAB_LABELS
    list_columns = ["test", "sex", "age_from_days", "age_to_days", "low", "high"]
    add_columns = edit_columns = show_columns = ["facility", "test", "sex", "age_from_days",
                                                 "age_to_days", "low", "high"]
    search_columns = ["facility", "test", "sex"]
    add_form_extra_fields = edit_form_extra_fields = {"sex": _optional_choice("sex", SEXES)}
    description_columns = {"age_from_days": _l("Age band in days, from (included) to "
                                               "(excluded): 365 = 1 year."),
                           "sex": _l("Empty: both.")}
    formatters_columns = {"sex": lambda s: str(SEXES.get(s, s or ""))}
    base_order = ("test_id", "asc")

    def rules(self, values, pk):
        errors = {**super().rules(values, pk)}
        start, end = values.get("age_from_days"), values.get("age_to_days")
        if start is not None and start < 0:
            errors["age_from_days"] = _("Cannot be negative.")
        if start is not None and end is not None and end <= start:
            errors["age_to_days"] = _("Must be above the age from.")
        if values.get("low") is not None and values.get("high") is not None and \
                values["low"] >= values["high"]:
            errors["high"] = _("Must be above the low limit.")
        return errors


class LabPanelMemberView(ScopedModelView):
    datamodel = Interface(LabPanelMember)
    class_permission_name = "LabTest"
    list_title = _l("Lab panels")
    show_title = add_title = edit_title = _l("Test in a panel")
    label_columns = LAB_LABELS
    list_columns = ["panel", "position", "member"]
    add_columns = edit_columns = show_columns = ["facility", "panel", "member", "position"]
    search_columns = ["facility", "panel"]
    base_order = ("panel_id", "asc")


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
