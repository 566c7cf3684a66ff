"""Field labels shared by views, APIs and error messages (so a field is named the same
everywhere, in both languages)."""
from flask_babel import lazy_gettext as _l

LABELS = {
    "id": _l("ID"),
    "code": _l("Code"),
    "name": _l("Name"),
    "name_en": _l("Name (English)"),
    "name_hi": _l("Name (Hindi)"),
    "lgd_code": _l("LGD code"),
    "state": _l("State"),
    "district": _l("District"),
    "block": _l("Block / tehsil"),
    "village": _l("Village / ward"),
    "pin_code": _l("PIN code"),
    "facility": _l("Facility"),
    "facility_type": _l("Facility type"),
    "type_label": _l("Facility type"),
    "hfr_id": _l("ABDM facility ID (HFR)"),
    "address": _l("Address"),
    "address_hi": _l("Address in Hindi"),
    "phone": _l("Phone"),
    "active": _l("Active"),
    "is_clinical": _l("Clinical department"),
    "user": _l("User"),
    "designation": _l("Designation"),
    "departments": _l("Departments"),
    "hpr_id": _l("HPR ID"),
    "qualification": _l("Qualification"),
    "council_registration": _l("Medical council registration no."),
    "language": _l("Language"),
    "at": _l("Time (IST)"),
    "username": _l("User name"),
    "action": _l("Action"),
    "table_name": _l("Table"),
    "row_id": _l("Record"),
    "field": _l("Field"),
    "old_value": _l("Old value"),
    "new_value": _l("New value"),
    "ip": _l("IP address"),
}


def labels(*fields):
    return {f: LABELS[f] for f in fields}
