"""The forms of a departure other than an ordinary discharge, checked and written with
the discharge itself (services.discharge): a referral says to where and why, the
condition, the transport and who went along; leaving against medical advice (LAMA) says
why, the risks explained, who signed and their relation, the witness; absconding says
when the patient was last seen, the search made, whether the police and the relatives
were informed."""
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.formatting import aware
from app.core.input_guard import stripped
from app.registration.validation import strict_bool

from .models import CONSENT_RELATIONS, TRANSPORTS, Admission, DepartureRecord

KINDS = ("referred", "lama", "absconded")
LIMITS = {"referred_to": 150, "reason": 500, "condition": 300, "accompanied_by": 100,
          "risks_explained": 500, "signed_by": 100, "witness": 100, "search_made": 300,
          "police_station": 100}
REQUIRED = {
    "referred": {"referred_to": _l("Write the facility the patient is referred to."),
                 "reason": _l("Write why the patient is referred.")},
    "lama": {"risks_explained": _l("Write the risks explained to the patient."),
             "signed_by": _l("Write who signed the LAMA form."),
             "witness": _l("Write the name of the witness.")},
    "absconded": {"search_made": _l("Write what search was made.")},
}


def check(kind: str, admission: Admission, data: dict, left_at: datetime, user_id,
          errors: dict) -> DepartureRecord | None:
    """The departure's record for `kind` (None for another kind), its refusals added to
    `errors`."""
    if kind not in KINDS:
        return None
    values = {f: stripped(data.get(f)) for f in LIMITS}
    if kind == "lama":  # (its own box on the form, beside the referral's)
        values["reason"] = stripped(data.get("lama_reason", data.get("reason")))
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
    for field, message in REQUIRED[kind].items():
        if not values[field]:
            errors.setdefault(field, str(message))
    record = DepartureRecord(facility_id=admission.facility_id, admission=admission,
                             kind=kind, recorded_by_id=user_id)
    if kind == "referred":
        transport = data.get("transport") or ""
        if transport and transport not in TRANSPORTS:
            errors["transport"] = _("This value is not one of the allowed choices.")
        record.transport = transport or None
        fields = ("referred_to", "reason", "condition", "accompanied_by")
    elif kind == "lama":
        relation = data.get("relation") or ""
        if relation not in CONSENT_RELATIONS:
            errors["relation"] = _("Choose who signed: the patient or their relation.")
        record.relation = relation
        fields = ("reason", "risks_explained", "signed_by", "witness")
    else:
        seen = data.get("last_seen_at")
        if not seen:
            errors["last_seen_at"] = _("Enter when the patient was last seen.")
        elif aware(seen) > left_at or aware(seen) < aware(admission.admitted_at):
            errors["last_seen_at"] = _("The patient was last seen during the stay, before "
                                       "being found missing.")
        record.last_seen_at = seen or None
        record.police_informed = strict_bool(data.get("police_informed"), "police_informed",
                                             errors)
        record.relatives_informed = strict_bool(data.get("relatives_informed"),
                                                "relatives_informed", errors)
        if record.police_informed and not values["police_station"]:
            errors["police_station"] = _("Write the police station informed.")
        fields = ("search_made", "police_station")
    for field in fields:
        setattr(record, field, values[field] or None)
    return record


def summary_note(record: DepartureRecord) -> str:
    """The discharge note a departure leaves on the admission (lists, slips)."""
    if record.kind == "referred":
        return f"{record.referred_to}: {record.reason}"[:500]
    return (record.reason or record.search_made or "")[:500]

