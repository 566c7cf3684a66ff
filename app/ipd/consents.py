"""Consents taken during a stay: for admission and treatment, an operation or procedure,
anaesthesia, a blood transfusion, a high-risk treatment. Who signed (the patient, or a
relative and their relation), when, the witness, and who explained it; what a procedure's
consent is for and the risks explained. Never changed or deleted; printed as the form
that is signed, in both languages."""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.formatting import aware
from app.core.input_guard import stripped
from app.core.models import utcnow
from app.extensions import db

from .models import CONSENT_KINDS, CONSENT_RELATIONS, Admission, Consent
from .services import _utc

NEEDS_PROCEDURE = ("procedure", "anaesthesia", "transfusion", "high_risk")
LIMITS = {"procedure": 300, "risks": 1000, "signed_by": 100, "witness": 100}


def record(admission: Admission, data: dict, user_id, now: datetime | None = None) -> Consent:
    """{"kind", "procedure" (what for: needed but for the general consent), "risks",
    "signed_by", "relation", "signed_at" (aware; now when left out), "witness"}. Commits."""
    lock(admission)
    now = now or utcnow()
    errors = {}
    if admission.status == "cancelled":
        errors["admission"] = _("This admission was cancelled.")
    kind, relation = data.get("kind") or "", data.get("relation") or ""
    if kind not in CONSENT_KINDS:
        errors["kind"] = _("Choose what the consent is for.")
    values = {f: stripped(data.get(f)) for f in LIMITS}
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
    if kind in NEEDS_PROCEDURE and not values["procedure"]:
        errors["procedure"] = _("Write the operation, procedure or treatment consented to.")
    if not values["signed_by"]:
        errors["signed_by"] = _("Write the name of the person who signed.")
    if relation not in CONSENT_RELATIONS:
        errors["relation"] = _("Choose who signed: the patient or their relation.")
    if not values["witness"]:
        errors["witness"] = _("Write the name of the witness.")
    signed_at = _utc(data.get("signed_at") or now)
    if signed_at > now + timedelta(minutes=5) or \
            signed_at < aware(admission.admitted_at) - timedelta(hours=12):
        errors["signed_at"] = _("The time must be around the stay and not in the future.")
    if errors:
        raise DomainError(errors)
    consent = Consent(facility_id=admission.facility_id, admission=admission, kind=kind,
                      relation=relation, signed_at=signed_at, explained_by_id=user_id,
                      recorded_at=now, **{f: v or None for f, v in values.items()})
    db.session.add(consent)
    db.session.commit()
    return consent


def of_admission(admission_id: int) -> list[Consent]:
    return db.session.execute(select(Consent).where(Consent.admission_id == admission_id)
                              .options(joinedload(Consent.explained_by))
                              .order_by(Consent.signed_at)).scalars().all()

