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

VITAL_LABELS = {
    **LABELS,
    "admission": _l("Admission"),
    "taken_at": _l("Taken at"),
    "temperature_f": _l("Temperature (°F)"),
    "pulse": _l("Pulse (per min)"),
    "resp_rate": _l("Respiratory rate (per min)"),
    "bp_systolic": _l("BP systolic (mmHg)"),
    "bp_diastolic": _l("BP diastolic (mmHg)"),
    "spo2": _l("SpO2 (%)"),
    "on_oxygen": _l("On oxygen"),
    "consciousness": _l("Consciousness (ACVPU)"),
    "pain_score": _l("Pain score (0–10)"),
    "rbs_mg_dl": _l("Random blood sugar (mg/dL)"),
    "weight_kg": _l("Weight (kg)"),
    "news2": _l("NEWS2 score"),
    "news2_risk": _l("NEWS2 risk"),
    "recorded_by": _l("Recorded by"),
    "recorded_at": _l("Recorded at"),
}

NOTE_LABELS = {
    **LABELS,
    "admission": _l("Admission"),
    "kind": _l("Kind of note"),
    "shift": _l("Shift"),
    "written_at": _l("Written at"),
    "author": _l("Written by"),
    "subjective": _l("Subjective (what the patient says)"),
    "examination": _l("Examination"),
    "assessment": _l("Assessment"),
    "plan": _l("Plan"),
    "text": _l("Note"),
    "amends": _l("Amends the note of"),
    "amend_reason": _l("Reason for the amendment"),
}
