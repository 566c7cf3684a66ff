"""IPD: wards and beds, admissions, transfers, discharges; bed-days go to billing."""
from flask_babel import lazy_gettext as _l


def register(appbuilder):
    from app.billing.services import ACCRUALS, SLIP_LOOKUPS
    from app.core import access_log, audit_words

    from . import (  # noqa: F401  (cli adds `hmis post-bed-days`)
        api, board, cli, fluid_screens, legal_screens, medicine_screens, services,
        summary_screens, views, ward_sheets,
    )
    from .labels import ADMISSION_LABELS, FLUID_LABELS, VITAL_LABELS, WARD_LABELS
    from .models import BED_STATES, DISCHARGE_TYPES, STATUSES
    audit_words.name_tables({
        "admission": _l("Admission"), "bed": _l("Bed"), "ward": _l("Ward"),
        "bed_stay": _l("Bed stay"), "vital_sign": _l("Vital signs"),
        "clinical_note": _l("Round or nursing note"), "medication_order": _l("Medication order"),
        "medication_administration": _l("Medicine given (MAR)"),
        "fluid_entry": _l("Intake/output chart"), "ward_order": _l("Orders with this note"),
        "discharge_summary": _l("Discharge summary"), "death_record": _l("Death (MCCD)"),
        "medico_legal_case": _l("MLC"), "consent": _l("Consent"),
        "admission_diagnosis": _l("Diagnosis")})
    audit_words.label_fields({"admission": ADMISSION_LABELS, "vital_sign": VITAL_LABELS,
                              "fluid_entry": FLUID_LABELS, "ward": WARD_LABELS,
                              "bed": WARD_LABELS})
    access_log.watch("WardBoardView.admission", _patient_of_admission)
    audit_words.code_fields({("admission", "status"): STATUSES,
                             ("admission", "discharge_type"): DISCHARGE_TYPES,
                             ("bed", "state"): BED_STATES})
    ACCRUALS["ipd.bed_days"] = services.accrue_account
    SLIP_LOOKUPS["ipd.admission"] = services.patient_for_ipd_number
    appbuilder.add_view(board.WardBoardView, "Bed board", label=_l("Bed board"),
                        icon="fa-bed", category="IPD", category_label=_l("IPD"),
                        category_icon="fa-hospital")
    appbuilder.add_view(views.AdmissionView, "Admissions", label=_l("Admissions"),
                        icon="fa-list", category="IPD")
    appbuilder.add_view(views.WardView, "Wards", label=_l("Wards"), icon="fa-hospital",
                        category="Masters")
    appbuilder.add_view(views.BedView, "Beds", label=_l("Beds"), icon="fa-bed",
                        category="Masters")
    appbuilder.add_api(api.AdmissionApi)
    appbuilder.add_api(api.BedApi)
    appbuilder.add_view_no_menu(board.VitalSignScreen)
    appbuilder.add_view_no_menu(board.ClinicalNoteScreen)
    appbuilder.add_api(api.ClinicalNoteApi)
    appbuilder.add_view(views.VitalSignView, "Vital signs", label=_l("Vital signs"),
                        icon="fa-heartbeat", category="IPD")
    appbuilder.add_api(api.VitalSignApi)
    appbuilder.add_view_no_menu(fluid_screens.FluidScreen)
    appbuilder.add_api(api.FluidEntryApi)
    appbuilder.add_view(views.FluidEntryView, "Intake output", label=_l("Intake / output"),
                        icon="fa-tint", category="IPD")
    appbuilder.add_view(medicine_screens.MarScreen, "Medicine round", label=_l("Medicine round"),
                        icon="fa-medkit", category="IPD")
    appbuilder.add_view_no_menu(medicine_screens.MedicationScreen)
    appbuilder.add_api(api.MedicationOrderApi)
    appbuilder.add_api(api.MedicationAdministrationApi)
    appbuilder.add_view_no_menu(summary_screens.DiagnosisScreen)
    appbuilder.add_view_no_menu(summary_screens.SummaryScreen)
    appbuilder.add_api(api.DischargeSummaryApi)
    appbuilder.add_view_no_menu(legal_screens.LegalScreen)
    appbuilder.add_view_no_menu(legal_screens.ConsentScreen)
    appbuilder.add_view(ward_sheets.CensusView, "Ward census", label=_l("Ward census"),
                        icon="fa-table", category="IPD")
    appbuilder.add_view(ward_sheets.HandoverView, "Handover", label=_l("Shift handover"),
                        icon="fa-exchange", category="IPD")
    appbuilder.add_view(legal_screens.MlcRegisterView, "MLC register", label=_l("MLC register"),
                        icon="fa-balance-scale", category="IPD")
    appbuilder.add_view(views.MedicationOrderView, "Medication orders",
                        label=_l("Medication orders"), icon="fa-list", category="IPD")
    appbuilder.add_view(views.MedicationAdministrationView, "Medicines given",
                        label=_l("Medicines given (MAR)"), icon="fa-list", category="IPD")


def _patient_of_admission(args):
    from app.extensions import db

    from .models import Admission
    admission = db.session.get(Admission, args.get("admission_id") or 0)
    return (admission.patient_id, admission.facility_id) if admission is not None else None
