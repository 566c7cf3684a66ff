"""Ward and bed masters (supervisors keep them) and the admissions register."""
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.billing.views import tariff_code_rule
from app.core.base_views import ScopedModelView, row_facility_id
from app.core.interface import Interface
from app.core.scoping import FacilityScopeFilter

from app.opd.consultation import ROUTE_LABELS

from .labels import (
    ADMISSION_LABELS, FLUID_LABELS, MAR_LABELS, MEDICATION_LABELS, VITAL_LABELS, WARD_LABELS,
)
from .models import (
    ARRIVALS, CONSCIOUSNESS, DISCHARGE_TYPES, FLUID_ROUTES, MAR_OUTCOMES, NEWS2_RISKS,
    STATUSES, WARD_GENDERS, Admission, Bed, FluidEntry, MedicationAdministration,
    MedicationOrder, VitalSign, Ward,
)

_OWN_FACILITY = [["facility_id", FacilityScopeFilter, None]]


def _same_facility(values: dict, field: str) -> dict:
    """A related row (department, ward) must belong to the row's own facility."""
    related = values.get(field)
    facility = row_facility_id(values)
    if related is not None and facility is not None and related.facility_id != facility:
        return {field: _("You may only record data for your own facility.")}
    return {}


class WardView(ScopedModelView):
    datamodel = Interface(Ward)
    class_permission_name = "Ward"
    list_title = _l("Wards")
    show_title = add_title = edit_title = _l("Ward")
    label_columns = WARD_LABELS
    list_columns = ["facility", "code", "name_en", "name_hi", "department", "gender", "min_age",
                    "max_age", "active"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["facility", "code", "name_en", "active"]
    add_form_extra_fields = edit_form_extra_fields = {"gender": SelectField(
        WARD_LABELS["gender"], choices=list(WARD_GENDERS.items()), widget=Select2Widget())}
    add_form_query_rel_fields = edit_form_query_rel_fields = {"department": _OWN_FACILITY}
    formatters_columns = {"gender": lambda g: str(WARD_GENDERS.get(g or "", g))}
    base_order = ("code", "asc")

    def rules(self, values, pk):
        return {**super().rules(values, pk), **_same_facility(values, "department"),
                **_age_band(values.get("min_age"), values.get("max_age"))}


OLDEST = 120


def _age_band(youngest, oldest) -> dict:
    errors = {}
    for field, age in (("min_age", youngest), ("max_age", oldest)):
        if age is not None and not 0 <= age <= OLDEST:
            errors[field] = _("Age is a whole number of years from 0 to %(n)s.", n=OLDEST)
    if not errors and youngest is not None and oldest is not None and youngest > oldest:
        errors["max_age"] = _("The oldest age taken cannot be below the youngest.")
    return errors


class BedView(ScopedModelView):
    datamodel = Interface(Bed)
    class_permission_name = "Ward"
    list_title = _l("Beds")
    show_title = add_title = edit_title = _l("Bed")
    label_columns = WARD_LABELS
    list_columns = ["facility", "ward", "number", "tariff_code", "active"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["facility", "ward", "number", "tariff_code", "active"]
    add_form_query_rel_fields = edit_form_query_rel_fields = {"ward": _OWN_FACILITY}
    description_columns = {"tariff_code": _l("The tariff code of the bed-day service charged "
                                             "for each night in this bed, e.g. BED-GEN.")}
    base_order = ("number", "asc")

    def rules(self, values, pk):
        return {**super().rules(values, pk), **_same_facility(values, "ward"),
                **tariff_code_rule(values, "tariff_code", "bed_day",
                                   _("No bed-day service with this code in the tariff."))}


class AdmissionView(ScopedModelView):
    """Admissions are made on the ward screens; here they are listed and searched."""
    datamodel = Interface(Admission)
    class_permission_name = "Admission"
    include_route_methods = {"list", "show"}
    list_title = _l("Admissions")
    show_title = _l("Admission")
    label_columns = ADMISSION_LABELS
    list_columns = ["ipd_number", "admitted_at", "patient", "department", "bed", "status",
                    "discharged_at", "discharge_type"]
    list_preload = ("bed.ward",)  # a bed is shown with its ward
    show_columns = ["facility", "ipd_number", "patient", "department", "doctor", "arrival",
                    "opd_visit", "provisional_diagnosis", "mlc", "attendant_name",
                    "attendant_mobile", "bed", "status", "admitted_at", "admitted_by",
                    "discharged_at", "discharge_type", "discharge_note", "discharged_by"]
    search_columns = ["ipd_number", "admitted_at", "department", "status", "discharge_type",
                      "patient"]
    formatters_columns = {"status": lambda s: str(STATUSES.get(s, s)),
                          "arrival": lambda a: str(ARRIVALS.get(a, a)),
                          "discharge_type": lambda d: str(DISCHARGE_TYPES.get(d, d or ""))}
    base_order = ("id", "desc")


class VitalSignView(ScopedModelView):
    """Vitals are charted on the admission's page; here every set is listed and searched
    (supervisors, auditors)."""
    datamodel = Interface(VitalSign)
    class_permission_name = "VitalSign"
    include_route_methods = {"list", "show"}
    list_title = _l("Vital signs")
    show_title = _l("Vital signs")
    label_columns = VITAL_LABELS
    list_columns = ["taken_at", "admission", "temperature_f", "pulse", "resp_rate",
                    "bp_systolic", "bp_diastolic", "spo2", "news2", "recorded_by"]
    show_columns = ["facility", "admission", "taken_at", "temperature_f", "pulse",
                    "resp_rate", "bp_systolic", "bp_diastolic", "spo2", "on_oxygen",
                    "consciousness", "pain_score", "rbs_mg_dl", "weight_kg", "news2",
                    "news2_risk", "recorded_by", "recorded_at"]
    search_columns = ["taken_at", "admission", "news2", "news2_risk"]
    formatters_columns = {"consciousness": lambda c: str(CONSCIOUSNESS.get(c, c or "")),
                          "news2_risk": lambda r: str(NEWS2_RISKS.get(r, r or ""))}
    base_order = ("taken_at", "desc")


ROUTE_NAMES = {code: label for routes in FLUID_ROUTES.values() for code, label in routes.items()}


class FluidEntryView(ScopedModelView):
    """Intake and output are charted on the admission's page; here every line is listed
    and searched (supervisors, auditors), struck-out ones with their reason."""
    datamodel = Interface(FluidEntry)
    class_permission_name = "FluidEntry"
    include_route_methods = {"list", "show"}
    list_title = show_title = _l("Intake / output")
    label_columns = FLUID_LABELS
    list_columns = ["at", "admission", "route", "volume_ml", "recorded_by", "voided_at"]
    show_columns = ["facility", "admission", "at", "direction", "route", "volume_ml", "note",
                    "recorded_by", "recorded_at", "voided_at", "voided_by", "void_reason"]
    search_columns = ["at", "admission", "direction", "route"]
    formatters_columns = {"route": lambda r: str(ROUTE_NAMES.get(r, r or "")),
                          "direction": lambda d: str(FLUID_LABELS["intake"] if d == "in"
                                                     else FLUID_LABELS["output"])}
    base_order = ("at", "desc")


class MedicationOrderView(ScopedModelView):
    """Orders are written on the admission's page; here every one is listed and searched
    (pharmacy, supervisors, auditors)."""
    datamodel = Interface(MedicationOrder)
    class_permission_name = "MedicationOrder"
    include_route_methods = {"list", "show"}
    list_title = _l("Medication orders")
    show_title = _l("Medication order")
    label_columns = MEDICATION_LABELS
    list_columns = ["start_at", "admission", "drug_name", "dose", "route", "frequency",
                    "end_at", "stopped_at", "ordered_by"]
    show_columns = ["facility", "admission", "drug_name", "dose", "route", "frequency",
                    "days", "start_at", "end_at", "instructions", "ordered_by", "ordered_at",
                    "stopped_at", "stopped_by", "stop_reason"]
    search_columns = ["start_at", "admission", "drug_name", "route", "stopped_at"]
    formatters_columns = {"route": lambda r: str(ROUTE_LABELS.get(r, r or ""))}
    base_order = ("start_at", "desc")


class MedicationAdministrationView(ScopedModelView):
    """Every dose marked on the wards, struck-out entries included (auditors)."""
    datamodel = Interface(MedicationAdministration)
    class_permission_name = "MedicationAdministration"
    include_route_methods = {"list", "show"}
    list_title = _l("Medicines given (MAR)")
    show_title = _l("Medicine given")
    label_columns = MAR_LABELS
    list_columns = ["at", "order", "due_at", "outcome", "reason", "recorded_by", "voided_at"]
    show_columns = ["facility", "order", "due_at", "outcome", "at", "reason", "recorded_by",
                    "recorded_at", "voided_at", "voided_by", "void_reason"]
    search_columns = ["at", "due_at", "outcome", "voided_at"]
    formatters_columns = {"outcome": lambda o: str(MAR_OUTCOMES.get(o, o))}
    base_order = ("at", "desc")
