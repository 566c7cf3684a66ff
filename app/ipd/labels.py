from flask_babel import lazy_gettext as _l

from app.core.labels import LABELS

WARD_LABELS = {
    **LABELS,
    "code": _l("Code"),
    "name_en": _l("Name (English)"),
    "name_hi": _l("Name (Hindi)"),
    "department": _l("Department"),
    "gender": _l("For patients"),
    "active": _l("Active"),
    "ward": _l("Ward"),
    "number": _l("Bed number"),
    "tariff_code": _l("Bed-day service code"),
}

ADMISSION_LABELS = {
    **LABELS,
    "ipd_number": _l("IPD number"),
    "patient": _l("Patient"),
    "department": _l("Department"),
    "doctor": _l("Doctor in charge"),
    "arrival": _l("Admitted through"),
    "provisional_diagnosis": _l("Provisional diagnosis"),
    "mlc": _l("MLC"),
    "attendant_name": _l("Attendant's name"),
    "attendant_mobile": _l("Attendant's mobile"),
    "bed": _l("Bed"),
    "status": _l("Status"),
    "admitted_at": _l("Admitted at"),
    "admitted_by": _l("Admitted by"),
    "discharged_at": _l("Discharged at"),
    "discharge_type": _l("Discharge type"),
    "discharge_note": _l("Discharge note"),
    "discharged_by": _l("Discharged by"),
    "opd_visit": _l("OPD visit"),
    "visit": _l("OPD visit"),
    "reason": _l("Reason"),
    "slip_prints": _l("Slip printed (times)"),
}
