"""How a patient is shown: age from date of birth, gender and relation words, ABHA."""
from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _

from app.core.numbering import ist_today

from .models import GENDERS, RELATIONS
from .validation import format_abha


def age_in_units(dob, day) -> tuple[str, int]:
    """("y", whole years), or below a year ("m", months), or below a month ("d", days);
    the years without relativedelta, as registers count them for half a million rows."""
    years = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    if years >= 1:
        return "y", years
    delta = relativedelta(day, dob)
    return ("m", delta.months) if delta.months >= 1 else ("d", delta.days)


def age_words(unit: str, n: int) -> str:
    return {"y": _("%(n)s y", n=n), "m": _("%(n)s m", n=n), "d": _("%(n)s d", n=n)}[unit]


def age_text(patient, today=None) -> str:
    return age_words(*age_in_units(patient.dob, today or ist_today()))


def gender_text(code) -> str:
    return str(GENDERS.get(code, code or ""))


def guardian_text(patient) -> str:
    if not patient.guardian_name:
        return ""
    return f"{RELATIONS.get(patient.guardian_relation, '')} {patient.guardian_name}".strip()


def summary(patient, today=None) -> dict:
    """The fields search results and the API show for a patient."""
    return {
        "id": patient.id, "uhid": patient.uhid, "name": patient.name,
        "age": age_text(patient, today), "gender": patient.gender,
        "gender_text": gender_text(patient.gender),
        "guardian": guardian_text(patient),
        "village": str(patient.village) if patient.village else (patient.address_line or ""),
        "mobile": patient.mobile, "abha_number": format_abha(patient.abha_number),
        "last_visit": patient.last_visit_on.strftime("%d-%m-%Y") if patient.last_visit_on else None,
        "category": patient.category.code if patient.category else None,
    }
