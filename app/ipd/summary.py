"""What a stay leaves behind: its diagnoses (ICD-10, provisional until a doctor confirms
them final, ruled out with a reason) and the discharge summary.

The summary is a draft the doctor edits (prefilled from the record: the OPD complaints,
the medicines given, those still running as the medicines to take home), then signs; it
cannot be signed without a final diagnosis and the condition at discharge. Once signed, a
change is an amendment with its reason, signed again as the next version; every signed
version is kept whole."""
import json
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.base_views import DomainError
from app.core.concurrency import lock
from app.core.formatting import IST, aware, parse_date
from app.core.input_guard import stripped
from app.core.models import Department, utcnow
from app.extensions import db
from app.opd.consultation import icd10_named, read_prescription

from . import medication
from .models import (
    DIAGNOSIS_KINDS, SUMMARY_TEXTS, Admission, AdmissionDiagnosis, DischargeMedicine,
    DischargeSummary, DischargeSummaryVersion, MedicationOrder, WardOrder,
)
from .notes import is_doctor

MEDICINE_ROWS = 12


# --- diagnoses --------------------------------------------------------------------------

def _doctor_on(admission: Admission, user, errors: dict) -> None:
    lock(admission)
    if not is_doctor(user):
        errors["diagnosis"] = _("Only a doctor records diagnoses.")
    if admission.status == "cancelled":
        errors["admission"] = _("This admission was cancelled.")


def add_diagnosis(admission: Admission, data: dict, user, now: datetime | None = None
                  ) -> AdmissionDiagnosis:
    """{"diagnosis": "J18.9 ..." (the ICD-10 box), "kind": provisional|final, "note"}.
    Commits."""
    errors = {}
    _doctor_on(admission, user, errors)
    icd = icd10_named(data.get("diagnosis"))
    kind = data.get("kind") or "provisional"
    note = stripped(data.get("note"))
    if icd is None:
        errors.setdefault("diagnosis", _("Pick an ICD-10 code from the list (e.g. J18.9)."))
    elif _active(admission.id, icd.id) is not None:
        errors["diagnosis"] = _("This diagnosis is on the stay already.")
    if kind not in DIAGNOSIS_KINDS:
        errors["kind"] = _("This value is not one of the allowed choices.")
    if len(note) > 200:
        errors["note"] = _("Must be at most %(n)s characters.", n=200)
    if errors:
        raise DomainError(errors)
    now = now or utcnow()
    user_id = getattr(user, "id", None)
    row = AdmissionDiagnosis(
        facility_id=admission.facility_id, admission=admission, icd10=icd, kind=kind,
        note=note or None, noted_by_id=user_id, noted_at=now,
        confirmed_by_id=user_id if kind == "final" else None,
        confirmed_at=now if kind == "final" else None)
    db.session.add(row)
    db.session.commit()
    return row


def confirm_diagnosis(row: AdmissionDiagnosis, user, now: datetime | None = None
                      ) -> AdmissionDiagnosis:
    """A provisional diagnosis confirmed final. Commits."""
    errors = {}
    _doctor_on(row.admission, user, errors)
    if row.ruled_out_at is not None or row.kind == "final":
        errors["diagnosis"] = _("Only a provisional diagnosis still standing is confirmed.")
    if errors:
        raise DomainError(errors)
    row.kind, row.confirmed_by_id, row.confirmed_at = "final", getattr(user, "id", None), \
        now or utcnow()
    db.session.commit()
    return row


def rule_out(row: AdmissionDiagnosis, reason, user, now: datetime | None = None
             ) -> AdmissionDiagnosis:
    """A diagnosis struck out with the reason (kept, shown struck out). Commits."""
    errors = {}
    _doctor_on(row.admission, user, errors)
    reason = stripped(reason)
    if row.ruled_out_at is not None:
        errors["diagnosis"] = _("This diagnosis is already ruled out.")
    if not reason:
        errors["ruled_out_reason"] = _("Give the reason the diagnosis is ruled out.")
    elif len(reason) > 300:
        errors["ruled_out_reason"] = _("Must be at most %(n)s characters.", n=300)
    if errors:
        raise DomainError(errors)
    row.ruled_out_at, row.ruled_out_by_id, row.ruled_out_reason = now or utcnow(), \
        getattr(user, "id", None), reason
    db.session.commit()
    return row


def diagnoses_of(admission_id: int) -> list[AdmissionDiagnosis]:
    """The stay's diagnoses: standing ones first (final before provisional), then those
    ruled out; each with its code."""
    rows = db.session.execute(select(AdmissionDiagnosis).where(
        AdmissionDiagnosis.admission_id == admission_id)
        .options(joinedload(AdmissionDiagnosis.icd10))
        .order_by(AdmissionDiagnosis.noted_at, AdmissionDiagnosis.id)).scalars().all()
    return sorted(rows, key=lambda d: (d.ruled_out_at is not None, d.kind != "final"))


def _active(admission_id: int, icd10_id: int) -> AdmissionDiagnosis | None:
    return db.session.execute(select(AdmissionDiagnosis).where(
        AdmissionDiagnosis.admission_id == admission_id,
        AdmissionDiagnosis.icd10_id == icd10_id,
        AdmissionDiagnosis.ruled_out_at.is_(None))).scalar_one_or_none()


# --- the discharge summary --------------------------------------------------------------

def summary_of(admission_id: int) -> DischargeSummary | None:
    return db.session.execute(select(DischargeSummary).where(
        DischargeSummary.admission_id == admission_id).options(
        joinedload(DischargeSummary.signed_by),
        joinedload(DischargeSummary.follow_up_department))).scalar_one_or_none()


def draft_from_record(admission: Admission) -> dict:
    """A first draft's form values from what the stay recorded: the OPD visit's
    complaints, the medicines given (each order with its dates), the procedures ordered
    on the rounds, the provisional diagnosis, and the orders still running as the
    medicines to take home."""
    consultation = admission.opd_visit.consultation if admission.opd_visit else None
    orders = db.session.execute(select(MedicationOrder).where(
        MedicationOrder.admission_id == admission.id).order_by(MedicationOrder.start_at)
    ).scalars().all()
    given = []
    for o in orders:
        until = o.stopped_at or o.end_at
        given.append(f"{o.drug_name} {o.dose} {o.route} {o.frequency}, "
                     f"{_day(o.start_at)}–{_day(until) if until else _('continuing')}")
    procedures = db.session.execute(
        select(WardOrder).where(WardOrder.admission_id == admission.id,
                                WardOrder.kind == "procedure")
        .options(joinedload(WardOrder.charge)).order_by(WardOrder.ordered_at)).scalars().all()
    values = {"complaints": consultation.complaints if consultation else
              (admission.provisional_diagnosis or ""),
              "treatment": "\n".join(given),
              "procedures": "\n".join(
                  f"{p.charge.description_en if p.charge else p.tariff_code}"
                  f"{f' ({p.detail})' if p.detail else ''}, {_day(p.ordered_at)}"
                  for p in procedures)}
    now = utcnow()
    running = [o for o in orders if medication.is_active(o, now)
               and o.frequency not in (medication.ONCE,)]
    for n, o in enumerate(running[:MEDICINE_ROWS], 1):
        values.update({f"rx_drug_{n}": o.drug_name, f"rx_dose_{n}": o.dose,
                       f"rx_frequency_{n}": o.frequency, f"rx_route_{n}": o.route,
                       f"rx_instructions_{n}": o.instructions or ""})
    return values


def form_values(summary: DischargeSummary) -> dict:
    """The summary as its form shows it."""
    values = {f: getattr(summary, f) or "" for f in SUMMARY_TEXTS}
    values["follow_up_on"] = summary.follow_up_on.strftime("%d-%m-%Y") \
        if summary.follow_up_on else ""
    values["follow_up_department"] = str(summary.follow_up_department_id or "")
    for line in summary.medicines:
        n = line.position
        values.update({f"rx_drug_{n}": line.drug_name, f"rx_dose_{n}": line.dose or "",
                       f"rx_frequency_{n}": line.frequency, f"rx_days_{n}": line.days or "",
                       f"rx_route_{n}": line.route or "",
                       f"rx_instructions_{n}": line.instructions or ""})
    return values


def save_summary(admission: Admission, data, user, sign: bool = False,
                 now: datetime | None = None) -> DischargeSummary:
    """Write the summary (a form, or the API's body in the same names: the texts,
    "follow_up_on" dd-mm-yyyy, "follow_up_department" id, rx_*_N medicine rows), as a
    draft or signed (`sign`). Once signed, only an amendment with "amend_reason" is
    taken, and it is signed as the next version. Commits."""
    lock(admission)
    now = now or utcnow()
    errors = {}
    if not is_doctor(user):
        errors["summary"] = _("Only a doctor writes and signs the discharge summary.")
    if admission.status == "cancelled":
        errors["admission"] = _("This admission was cancelled.")
    texts = {}
    for field, limit in SUMMARY_TEXTS.items():
        texts[field] = stripped(data.get(field))
        if len(texts[field]) > limit:
            errors[field] = _("Must be at most %(n)s characters.", n=limit)
    follow_up_on = _follow_up(admission, data.get("follow_up_on"), errors)
    department = _department(admission, data.get("follow_up_department"), errors)
    lines = read_prescription(data, errors, MEDICINE_ROWS)
    summary = summary_of(admission.id)
    reason = stripped(data.get("amend_reason"))
    amending = summary is not None and summary.status == "signed"
    if amending and not reason:
        errors["amend_reason"] = _("The summary is signed: give the reason for the "
                                   "amendment.")
    elif len(reason) > 300:
        errors["amend_reason"] = _("Must be at most %(n)s characters.", n=300)
    if sign or amending:
        if not any(d.kind == "final" and d.ruled_out_at is None
                   for d in diagnoses_of(admission.id)):
            errors["diagnoses"] = _("Confirm at least one final diagnosis (ICD-10) before "
                                    "signing.")
        if not texts["condition"]:
            errors["condition"] = _("Write the condition at discharge before signing.")
    if errors:
        raise DomainError(errors)
    if summary is None:
        summary = DischargeSummary(facility_id=admission.facility_id, admission=admission,
                                   status="draft", version=1)
        db.session.add(summary)
    for field, value in texts.items():
        setattr(summary, field, value or None)
    summary.follow_up_on, summary.follow_up_department = follow_up_on, department
    summary.medicines = [DischargeMedicine(facility_id=admission.facility_id, **line)
                         for line in lines]
    summary.written_by_id, summary.updated_at = getattr(user, "id", None), now
    if sign or amending:
        if amending:
            summary.version += 1
        summary.status, summary.signed_by_id, summary.signed_at = "signed", user.id, now
        summary.amend_reason = reason or None
        db.session.flush()
        db.session.add(DischargeSummaryVersion(
            facility_id=admission.facility_id, summary_id=summary.id,
            version=summary.version, content=json.dumps(_content(summary, admission.id),
                                                         ensure_ascii=False),
            signed_by_id=user.id, signed_at=now, amend_reason=summary.amend_reason))
    db.session.commit()
    return summary


def versions_of(summary: DischargeSummary) -> list[dict]:
    """The signed versions before the current one, newest first, as they were signed."""
    rows = db.session.execute(select(DischargeSummaryVersion).where(
        DischargeSummaryVersion.summary_id == summary.id,
        DischargeSummaryVersion.version < summary.version)
        .options(joinedload(DischargeSummaryVersion.signed_by))
        .order_by(DischargeSummaryVersion.version.desc())).scalars().all()
    return [{"version": v.version, "signed_by": v.signed_by, "signed_at": v.signed_at,
             "amend_reason": v.amend_reason, **json.loads(v.content)} for v in rows]


def as_json(summary: DischargeSummary) -> dict:
    """The summary for the API: its state and everything it says."""
    return {"status": summary.status, "version": summary.version,
            "signed_by": summary.signed_by.username if summary.signed_by else None,
            "signed_at": aware(summary.signed_at).isoformat() if summary.signed_at else None,
            "amend_reason": summary.amend_reason,
            **_content(summary, summary.admission_id)}


def _content(summary: DischargeSummary, admission_id: int) -> dict:
    return {**{f: getattr(summary, f) for f in SUMMARY_TEXTS},
            "follow_up_on": summary.follow_up_on.isoformat() if summary.follow_up_on else None,
            "follow_up_department": summary.follow_up_department.code
            if summary.follow_up_department else None,
            "diagnoses": [{"code": d.icd10.code, "title": d.icd10.title, "kind": d.kind}
                          for d in diagnoses_of(admission_id) if d.ruled_out_at is None],
            "medicines": [{"drug_name": m.drug_name, "dose": m.dose, "frequency": m.frequency,
                           "days": m.days, "route": m.route, "instructions": m.instructions}
                          for m in summary.medicines]}


def _follow_up(admission: Admission, value, errors: dict):
    value = stripped(value)
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        errors["follow_up_on"] = _("Write the date as dd-mm-yyyy.")
    elif day < aware(admission.admitted_at).astimezone(IST).date():
        errors["follow_up_on"] = _("The follow-up date must be after the admission.")
    return day


def _department(admission: Admission, value, errors: dict) -> Department | None:
    value = stripped(value)
    if not value:
        return None
    department = db.session.get(Department, int(value)) \
        if value.isascii() and value.isdigit() and len(value) < 10 else None
    if department is None or department.facility_id != admission.facility_id:
        errors["follow_up_department"] = _("Choose a department of this facility.")
    return department


def _day(value: datetime) -> str:
    return aware(value).astimezone(IST).strftime("%d-%m-%Y")

