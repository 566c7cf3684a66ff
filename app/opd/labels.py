from flask_babel import lazy_gettext as _l

from app.registration.labels import PATIENT_LABELS

VISIT_LABELS = {
    **PATIENT_LABELS,
    "patient": _l("Patient"),
    "department": _l("Department"),
    "doctor": _l("Doctor"),
    "room": _l("Room"),
    "visit_type": _l("Visit type"),
    "visit_date": _l("Date"),
    "token": _l("Token"),
    "status": _l("Status"),
    "fee_code": _l("Fee code"),
    "fee_amount": _l("Fee (₹)"),
    "fee_exempt": _l("Fee exempted"),
    "exemption_scheme": _l("Scheme"),
    "scheme": _l("Scheme"),
    "created_at": _l("Issued at"),
    "created_by": _l("Issued by"),
    "slip_prints": _l("Slip printed (times)"),
}
