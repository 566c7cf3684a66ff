"""Patient input: normalised and checked once, for the quick screen, the generated
forms and the API alike. Messages name the field and are in the user's language."""
import re
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.scoping import bounded_id
from app.core.formatting import parse_date
from app.core.input_guard import ascii_digits
from app.core.models import Block, District, State, Village
from app.extensions import db

from .models import GENDERS, RELATIONS, PatientCategory

MOBILE = re.compile(r"^[6-9][0-9]{9}$")
PIN = re.compile(r"^[1-9][0-9]{5}$")
ABHA_ADDRESS = re.compile(r"^(?![0-9.])[A-Za-z0-9.]{3,}(?<!\.)@(abdm|sbx)$")
HAS_LETTER = re.compile(r"[^\W\d_]")
MAX_AGE_YEARS = 120
LIMITS = {"name": 100, "guardian_name": 100, "address_line": 200, "card_number": 30,
          "abha_address": 64}


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def format_abha(digits: str | None) -> str:
    """91-1234-5678-9012 style, as printed on ABHA cards."""
    if not digits or len(digits) != 14:
        return digits or ""
    return f"{digits[:2]}-{digits[2:6]}-{digits[6:10]}-{digits[10:]}"


NOT_TEXT = object()  # a list, an object or a boolean where text belongs


def _text(data, field):
    value = data.get(field)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a number sent in JSON for a mobile or PIN
    return None if value is None else NOT_TEXT


def _digits(data, field, separators=r"[\s-]"):
    """An identifier as ASCII digits (a Hindi keyboard's digits converted), separators
    dropped; NOT_TEXT for a value that is not text at all."""
    value = _text(data, field)
    if value is NOT_TEXT:
        return value
    return re.sub(separators, "", ascii_digits(value))


def _int(value):
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return "bad"
    value = ascii_digits(value).strip()
    return int(value) if re.fullmatch(r"-?[0-9]{1,4}", value) else "bad"


def strict_bool(value, field: str, errors: dict) -> bool:
    """A yes/no: JSON true/false, or what a form's checkbox or select sends. Anything
    else ("maybe", a list) is an error, never silently true."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, str) and value.strip().lower() in FALSE_WORDS):
        return False
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
        return True
    errors[field] = _("Choose yes or no.")
    return False


TRUE_WORDS = {"1", "true", "y", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "n", "no", "off"}
INVALID = _l("This value is not valid.")


def _date(value):
    try:
        return parse_date(value)
    except ValueError:
        return "bad"


def _ref(model, value, facility_id=None):
    value = getattr(value, "id", value)
    if value is None or value == "":
        return None
    value = bounded_id(ascii_digits(value) if isinstance(value, (str, int)) and
                       not isinstance(value, bool) else None)
    if value is None:
        return "bad"
    obj = db.session.get(model, value)
    if obj is None or (facility_id is not None and obj.facility_id != facility_id):
        return "bad"
    return obj


def clean_patient(data: dict, facility_id: int, today: date) -> tuple[dict, dict, list]:
    """→ (values for the Patient model, {field: error}, [warnings])."""
    out, errors, warnings = {}, {}, []

    for field in ("guardian_relation", "gender", "dob"):
        if _text(data, field) is NOT_TEXT and not (field == "dob" and
                                                   isinstance(data.get(field), date)):
            errors[field] = str(INVALID)
    for field, limit in LIMITS.items():
        value = _text(data, field)
        if value is NOT_TEXT:
            errors[field] = str(INVALID)
            value = None
        elif field == "card_number" and value:
            value = ascii_digits(value)
        if value and len(value) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
        out[field] = value or None

    name = out["name"]
    if not name:
        errors["name"] = _("Patient's name is required.")
    elif not HAS_LETTER.search(name):
        errors["name"] = _("A name must contain letters.")
    guardian = out["guardian_name"]
    if guardian and not HAS_LETTER.search(guardian):
        errors["guardian_name"] = _("A name must contain letters.")
    relation = _text(data, "guardian_relation") or None
    relation = relation if isinstance(relation, str) else None
    if relation and relation not in RELATIONS:
        errors["guardian_relation"] = _("Choose S/o, D/o, W/o or C/o.")
    if guardian and not relation:
        errors["guardian_relation"] = _("Choose S/o, D/o, W/o or C/o.")
    out["guardian_relation"] = relation

    gender = _text(data, "gender")
    gender = gender if isinstance(gender, str) else None
    if gender not in GENDERS:
        errors["gender"] = _("Choose male, female or transgender.")
    out["gender"] = gender

    # Date of birth, or age in years/months/days stored as an estimated date of birth.
    raw_dob = data.get("dob")
    # A correction of a stored record (REST PUT) brings the stored date as a date.
    dob = raw_dob if isinstance(raw_dob, date) else \
        _date(raw_dob) if isinstance(raw_dob, (str, type(None))) else "bad"
    years, months, days = (_int(data.get(k)) for k in ("age_years", "age_months", "age_days"))
    age_given = any(v is not None for v in (years, months, days))
    if dob == "bad":
        errors["dob"] = _("Write the date as dd-mm-yyyy.")
    elif dob is not None and dob > today:
        errors["dob"] = _("Date of birth cannot be in the future.")
    elif dob is not None and relativedelta(today, dob).years > MAX_AGE_YEARS:
        errors["dob"] = _("Age cannot be more than %(n)s years.", n=MAX_AGE_YEARS)
    if age_given:
        if "bad" in (years, months, days) or any(v is not None and v < 0
                                                  for v in (years, months, days)):
            errors["age_years"] = _("Age must be a whole number, not negative.")
        elif (years or 0) > MAX_AGE_YEARS:
            errors["age_years"] = _("Age cannot be more than %(n)s years.", n=MAX_AGE_YEARS)
        elif (months or 0) > 11 or (days or 0) > 31:
            errors["age_months"] = _("Months are 0-11 and days 0-31.")
        elif not (years or months or days) and dob is None:
            errors["age_years"] = _("Enter the date of birth or the age.")
    if "dob" not in errors and "age_years" not in errors and "age_months" not in errors:
        if dob is None and not age_given:
            errors["age_years"] = _("Enter the date of birth or the age.")
        elif dob is not None and age_given:
            stated = relativedelta(years=years or 0, months=months or 0, days=days or 0)
            if abs(relativedelta(today, dob).years - stated.years) > 1 and not (months or days):
                errors["dob"] = _("Date of birth and age do not agree.")
            out["dob"], out["dob_estimated"] = dob, False
        elif dob is not None:
            out["dob"], out["dob_estimated"] = dob, False
        else:
            out["dob"] = today - relativedelta(years=years or 0, months=months or 0,
                                               days=days or 0)
            out["dob_estimated"] = True

    mobile = _digits(data, "mobile")
    mobile = "x" if mobile is NOT_TEXT else \
        re.sub(r"^(\+91|0091|91(?=[0-9]{10}$)|0(?=[0-9]{10}$))", "", mobile)
    if mobile and not MOBILE.match(mobile):
        errors["mobile"] = _("Mobile number is 10 digits starting with 6, 7, 8 or 9.")
    out["mobile"] = mobile or None

    pin = _digits(data, "pin_code")
    pin = "x" if pin is NOT_TEXT else pin
    if pin and not PIN.match(pin):
        errors["pin_code"] = _("PIN code is 6 digits and does not start with 0.")
    out["pin_code"] = pin or None

    abha = _digits(data, "abha_number")
    abha = "x" if abha is NOT_TEXT else abha
    if abha:
        if not re.fullmatch(r"[0-9]{14}", abha):
            errors["abha_number"] = _("ABHA number is 14 digits.")
        elif not luhn_ok(abha):
            warnings.append(_("ABHA number fails its check digit; please re-check the card."))
    out["abha_number"] = abha or None
    address = out["abha_address"]
    if address and not ABHA_ADDRESS.match(address):
        errors["abha_address"] = _("ABHA address looks like name@abdm.")

    aadhaar = _digits(data, "aadhaar_last4", r"\s")
    aadhaar = "x" if aadhaar is NOT_TEXT else aadhaar
    if aadhaar and not re.fullmatch(r"[0-9]{4}", aadhaar):
        # Never stored beyond the last four digits: a full number is refused, not trimmed.
        errors["aadhaar_last4"] = _("Enter only the last 4 digits of Aadhaar.")
    out["aadhaar_last4"] = aadhaar or None

    # Address: each level must exist and sit under the one above.
    chain = [("state", State, None), ("district", District, "state_id"),
             ("block", Block, "district_id"), ("village", Village, "block_id")]
    parent = None
    for field, model, parent_col in chain:
        obj = _ref(model, data.get(field))
        if obj == "bad":
            errors[field] = _("No such record.")
            obj = None
        elif obj is not None and parent is not None and getattr(obj, parent_col) != parent.id:
            errors[field] = _("This place is not in the chosen %(level)s.",
                              level=str(_level_label(parent_col)))
        out[f"{field}_id"] = obj.id if obj is not None else None
        parent = obj if obj is not None else parent
    # A village picked alone brings its block, district and state (slips print them).
    for field, model, parent_col, above in (("village", Village, "block_id", "block"),
                                            ("block", Block, "district_id", "district"),
                                            ("district", District, "state_id", "state")):
        if out[f"{field}_id"] and not out[f"{above}_id"] and field not in errors:
            out[f"{above}_id"] = getattr(db.session.get(model, out[f"{field}_id"]), parent_col)

    category = _ref(PatientCategory, data.get("category"), facility_id)
    if category is None:
        category = default_category(facility_id)
    if category == "bad" or category is None:
        errors["category"] = _("No such record.")
    else:
        out["category"] = category  # the object: kept, not looked up again
        card = out["card_number"]
        if category.card_label_en and not card:
            errors["card_number"] = _("%(card)s is needed for this category.",
                                      card=category.card_label_hi if _is_hindi()
                                      else category.card_label_en)
    out["mlc"] = strict_bool(data.get("mlc"), "mlc", errors)
    return out, errors, warnings


def _is_hindi() -> bool:
    from flask_babel import get_locale
    locale = get_locale()
    return locale is not None and locale.language == "hi"


def _level_label(parent_col):
    from app.core.labels import LABELS
    return LABELS[{"state_id": "state", "district_id": "district",
                   "block_id": "block"}[parent_col]]


def default_category(facility_id: int):
    return db.session.execute(
        select(PatientCategory).where(PatientCategory.facility_id == facility_id,
                                      PatientCategory.code == "GEN")).scalar_one_or_none()


def patient_edit_rules(values: dict, pk) -> dict:
    """Rules for correcting an existing record (generated form and API)."""
    from app.core.numbering import ist_today
    from app.core.scoping import user_facility_id

    from .models import Patient
    patient = db.session.get(Patient, int(pk)) if pk else None
    facility_id = patient.facility_id if patient else user_facility_id()
    _values, errors, _warnings = clean_patient(values, facility_id, ist_today())
    return errors
