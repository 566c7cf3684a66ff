"""What the ward writes about a stay: the doctor's daily round (subjective, examination,
assessment, plan) and the nurses' shift notes. A note is never edited or deleted; a
correction is a new note that amends an earlier one and says why, and once the patient
has left only a doctor may add one (an amendment, with its reason)."""
from datetime import datetime

from flask_appbuilder.security.sqla.models import User
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.models import utcnow
from app.core.roles import DOCTOR
from app.extensions import db

from . import ward_orders
from .models import SHIFTS, Admission, ClinicalNote

ROUND_FIELDS = ("subjective", "examination", "assessment", "plan")
LONGEST, REASON_LONGEST = 4000, 300
SHOWN = 100


def is_doctor(user: User | None) -> bool:
    return user is not None and any(role.name == DOCTOR for role in user.roles)


def write(admission: Admission, data: dict, user: User | None,
          now: datetime | None = None) -> ClinicalNote:
    """A round ({"kind": "round", "subjective", "examination", "assessment", "plan"}, by
    a doctor, with the orders ward_orders.orders() reads) or a nursing note ({"kind": "nursing", "shift", "text"}); "amends": the id of
    an earlier note of this stay it corrects, with "amend_reason". Commits."""
    lock(admission)  # a discharge at the same moment is waited for, then seen
    now = now or utcnow()
    kind = data.get("kind")
    texts = {f: _clean(data.get(f)) for f in (*ROUND_FIELDS, "text")}
    errors = {f: _("Must be at most %(n)s characters.", n=LONGEST)
              for f, v in texts.items() if v and len(v) > LONGEST}
    reason = _clean(data.get("amend_reason"))
    amends = _amended(admission, data.get("amends"), errors)
    if kind == "round":
        if not is_doctor(user):
            errors["kind"] = _("Only a doctor writes the round notes.")
        elif not any(texts[f] for f in ROUND_FIELDS):
            errors["assessment"] = _("Write at least the assessment or the plan.")
    elif kind == "nursing":
        if data.get("shift") not in SHIFTS:
            errors["shift"] = _("Choose the shift.")
        if not texts["text"]:
            errors["text"] = _("Write the note.")
    else:
        errors["kind"] = _("This value is not one of the allowed choices.")
    if admission.status != "admitted":
        if not (amends is not None and is_doctor(user)):
            errors["admission"] = _("The patient has left: only a doctor may add to the "
                                    "record now, as an amendment of a note with its reason.")
    ordered = []
    if kind != "round" and ward_orders.has_orders(data):
        errors["kind"] = _("Orders are written with a doctor's round note.")
    elif kind == "round" and ward_orders.has_orders(data):
        if admission.status != "admitted":
            errors["admission"] = _("The patient has left: nothing more can be ordered.")
        else:
            ordered = ward_orders.orders(admission, data, getattr(user, "id", None), now,
                                         errors)
    if amends is not None and not reason:
        errors["amend_reason"] = _("Give the reason for the amendment.")
    elif reason and len(reason) > REASON_LONGEST:
        errors["amend_reason"] = _("Must be at most %(n)s characters.", n=REASON_LONGEST)
    if errors:
        raise DomainError(errors)
    note = ClinicalNote(facility_id=admission.facility_id, admission=admission, kind=kind,
                        shift=data.get("shift") if kind == "nursing" else None,
                        written_at=now, author_id=getattr(user, "id", None),
                        amends=amends, amend_reason=reason if amends is not None else None,
                        **({f: texts[f] for f in ROUND_FIELDS} if kind == "round"
                           else {"text": texts["text"]}))
    db.session.add(note)
    for order in ordered:
        order.note = note
    db.session.add_all(ordered)
    db.session.commit()
    return note


def _clean(value) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _amended(admission: Admission, note_id, errors: dict) -> ClinicalNote | None:
    if note_id in (None, ""):
        return None
    try:
        note = db.session.get(ClinicalNote, int(note_id))
    except (TypeError, ValueError):
        note = None
    if note is None or note.admission_id != admission.id:
        errors["amends"] = _("Choose a note of this admission to amend.")
        return None
    return note


def of_admission(admission_id: int, shown: int = SHOWN) -> list[ClinicalNote]:
    """The stay's notes, newest first, with their authors (one query)."""
    return db.session.execute(
        select(ClinicalNote).where(ClinicalNote.admission_id == admission_id)
        .options(joinedload(ClinicalNote.author), joinedload(ClinicalNote.amends))
        .order_by(ClinicalNote.written_at.desc(), ClinicalNote.id.desc()).limit(shown)
    ).scalars().all()
