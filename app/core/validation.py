"""Rules for the core masters, shared by their forms and APIs.

Each takes the submitted values ({field: value}, relations as objects or ids) and the
primary key being edited (None when adding), and returns {field: message}.
"""
import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db

from .models import Department, District, Facility, StaffProfile

FACILITY_CODE = re.compile(r"^[A-Z]{2,6}$")
DEPARTMENT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
HFR_ID = re.compile(r"^IN\d{10}$")
HPR_ID = re.compile(r"^\d{14}$")
PIN_CODE = re.compile(r"^[1-9]\d{5}$")
PHONE = re.compile(r"^0?\d{10,11}$")
HAS_LETTER = re.compile(r"[^\W\d_]")


def _id(value):
    return getattr(value, "id", value)


def _exists(model, pk, *conditions) -> bool:
    query = select(func.count()).select_from(model).where(*conditions)
    if pk not in (None, ""):
        query = query.where(model.id != int(pk))
    return db.session.execute(query).scalar() > 0


def _names(values: dict, errors: dict) -> None:
    for field in ("name_en", "name_hi"):
        value = (values.get(field) or "").strip()
        if field in values and value and not HAS_LETTER.search(value):
            errors[field] = _("A name must contain letters.")


def facility_rules(values: dict, pk) -> dict:
    errors = {}
    code = values.get("code")
    if code is not None:
        if not FACILITY_CODE.match(code):
            errors["code"] = _("Use 2 to 6 capital letters, e.g. DHR.")
        elif _exists(Facility, pk, Facility.code == code):
            errors["code"] = _("A facility with this code already exists.")
    hfr = values.get("hfr_id")
    if hfr:
        if not HFR_ID.match(hfr):
            errors["hfr_id"] = _("ABDM facility ID is IN followed by 10 digits.")
        elif _exists(Facility, pk, Facility.hfr_id == hfr):
            errors["hfr_id"] = _("Another facility has this ABDM facility ID.")
    if values.get("pin_code") and not PIN_CODE.match(values["pin_code"]):
        errors["pin_code"] = _("PIN code is 6 digits and does not start with 0.")
    if values.get("phone") and not PHONE.match(values["phone"]):
        errors["phone"] = _("Phone number is 10 digits (landlines: 0 + STD code + number).")
    from .models import FACILITY_TYPES
    if values.get("facility_type") and values["facility_type"] not in FACILITY_TYPES:
        errors["facility_type"] = _("This value is not one of the allowed choices.")
    state, district = _id(values.get("state")), _id(values.get("district"))
    if state and district:
        d = db.session.get(District, district)
        if d is None or d.state_id != state:
            errors["district"] = _("This district is not in the chosen state.")
    _names(values, errors)
    return errors


def code_in_facility_rules(model, values: dict, pk, taken_message: str) -> dict:
    """A short code (MED, BPL) unique within its facility, for per-facility masters."""
    errors = {}
    code = values.get("code")
    facility = _id(values.get("facility"))
    if code is not None:
        if not DEPARTMENT_CODE.match(code):
            errors["code"] = _("Use 2 to 8 capital letters or digits, starting with a letter, e.g. MED.")
        elif facility and _exists(model, pk, model.code == code, model.facility_id == facility):
            errors["code"] = taken_message
    _names(values, errors)
    return errors


def department_rules(values: dict, pk) -> dict:
    return code_in_facility_rules(Department, values, pk, _(
        "This facility already has a department with this code."))


def staff_rules(values: dict, pk) -> dict:
    errors = {}
    hpr = values.get("hpr_id")
    if hpr:
        if not HPR_ID.match(hpr):
            errors["hpr_id"] = _("HPR ID is 14 digits.")
        elif _exists(StaffProfile, pk, StaffProfile.hpr_id == hpr):
            errors["hpr_id"] = _("Another staff member has this HPR ID.")
    user = _id(values.get("user"))
    if user and _exists(StaffProfile, pk, StaffProfile.user_id == user):
        errors["user"] = _("This user already has a staff profile.")
    facility = _id(values.get("facility"))
    for dept in values.get("departments") or []:
        if facility is None or _id(getattr(dept, "facility", None)) != facility:
            errors["departments"] = _("Departments must belong to the staff member's facility.")
            break
    return errors
