from flask_babel import lazy_gettext as _l

from app.core.labels import LABELS

LAB_LABELS = {
    **LABELS,
    "code": _l("Test code"),
    "name_en": _l("Name (English)"),
    "name_hi": _l("Name (Hindi)"),
    "section": _l("Lab section"),
    "sample": _l("Sample"),
    "active": _l("Active"),
    "order_number": _l("Lab order number"),
    "patient": _l("Patient"),
    "opd_visit": _l("OPD visit"),
    "visit": _l("OPD visit"),
    "admission": _l("Admission"),
    "tests": _l("Tests"),
    "priority": _l("Priority"),
    "clinical_note": _l("Clinical note for the lab"),
    "status": _l("Status"),
    "ordered_at": _l("Ordered at"),
    "ordered_by": _l("Ordered by"),
    "cancelled_at": _l("Cancelled at"),
    "cancelled_by": _l("Cancelled by"),
    "cancel_reason": _l("Reason for cancelling"),
    "reason": _l("Reason"),
    "order": _l("Lab order"),
    "slip_prints": _l("Slip printed (times)"),
}
