"""Orders a doctor writes with the round note, besides lab tests and medicines (which have
their own screens): procedures done or to be done (each charged to the stay's account as
billing charges any service, at today's tariff and the patient's exemption), the diet,
a transfer to another ward, and the day discharge is planned. The latest diet, transfer
and discharge order are the ones in force; a transfer order stands until the patient is
moved to that ward."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.billing import services as billing
from app.billing.models import Tariff
from app.core.formatting import aware, parse_date
from app.core.input_guard import stripped, whole_number
from app.core.numbering import ist_today
from app.extensions import db

from .models import DIETS, Admission, Ward, WardOrder

MOST_PROCEDURES = 3      # rows of the round form; the API takes as many
LARGEST_QUANTITY = 20
LONGEST_PLAN = timedelta(days=60)
FIELDS = ("diet", "diet_note", "transfer_ward", "transfer_reason", "discharge_on")
ERROR_FIELDS = FIELDS + tuple(f"procedure_{n}" for n in range(1, MOST_PROCEDURES + 1))


def procedure_tariffs(facility_id: int, on: date) -> list[Tariff]:
    """The facility's procedures priced today, for the round form's picker."""
    return db.session.execute(
        select(Tariff).where(Tariff.facility_id == facility_id, Tariff.kind == "procedure",
                             Tariff.valid_from <= on,
                             (Tariff.valid_to.is_(None)) | (Tariff.valid_to >= on))
        .order_by(Tariff.code)).scalars().all()


def has_orders(data: dict) -> bool:
    return bool(data.get("procedures")) or any(stripped(data.get(f)) for f in FIELDS)


def from_form(form) -> dict:
    """The round form's order fields as write() takes them (procedure rows 1..3)."""
    data = {f: form.get(f) for f in FIELDS}
    data["procedures"] = [
        {"code": stripped(form.get(f"procedure_code_{n}")),
         "quantity": form.get(f"procedure_qty_{n}"),
         "detail": form.get(f"procedure_detail_{n}")}
        for n in range(1, MOST_PROCEDURES + 1) if stripped(form.get(f"procedure_code_{n}"))]
    return data


def orders(admission: Admission, data: dict, user_id, now: datetime,
           errors: dict) -> list[WardOrder]:
    """The orders of a round note (not yet added to the session): {"procedures": [{"code",
    "quantity", "detail"}], "diet", "diet_note", "transfer_ward" (ward id),
    "transfer_reason", "discharge_on" (dd-mm-yyyy or a date)}; refusals go into `errors`
    under the field's name (a procedure's as procedure_<n>, from 1)."""
    today = ist_today(now)
    made = []

    def order(kind, **values):
        made.append(WardOrder(facility_id=admission.facility_id, admission=admission,
                              kind=kind, ordered_by_id=user_id, ordered_at=now, **values))

    for n, row in enumerate(data.get("procedures") or [], 1):
        _procedure(admission, row, n, today, errors, order)
    diet, diet_note = stripped(data.get("diet")), stripped(data.get("diet_note"))
    if diet and diet not in DIETS:
        errors["diet"] = _("This value is not one of the allowed choices.")
    elif diet_note and not diet:
        errors["diet"] = _("Choose the diet the note is about.")
    if len(diet_note) > 200:
        errors["diet_note"] = _("Must be at most %(n)s characters.", n=200)
    elif diet:
        order("diet", diet=diet, detail=diet_note or None)
    ward, reason = _ward(admission, data.get("transfer_ward"), errors), \
        stripped(data.get("transfer_reason"))
    if len(reason) > 200:
        errors["transfer_reason"] = _("Must be at most %(n)s characters.", n=200)
    elif ward is not None:
        order("transfer", ward=ward, detail=reason or None)
    elif reason and "transfer_ward" not in errors:
        errors["transfer_ward"] = _("Choose the ward to move the patient to.")
    planned = _planned(data.get("discharge_on"), today, errors)
    if planned is not None:
        order("discharge", planned_on=planned)
    return made


def _procedure(admission, row: dict, n: int, today: date, errors: dict, order) -> None:
    field = f"procedure_{n}"
    code = stripped(row.get("code")).upper()
    tariff = billing.tariff_on(admission.facility_id, code, today) if code else None
    if tariff is None or tariff.kind != "procedure":
        errors[field] = _("Choose a procedure of this hospital's tariff.")
        return
    quantity = whole_number(row.get("quantity"), field, 1, LARGEST_QUANTITY, errors,
                            _("Quantity is a whole number from 1 to %(n)s.",
                              n=LARGEST_QUANTITY))
    detail = stripped(row.get("detail"))
    if len(detail) > 300:
        errors[field] = _("Must be at most %(n)s characters.", n=300)
    if field in errors:
        return
    quantity = quantity or 1
    patient = admission.patient
    charge = billing.post_charge(
        admission.facility_id, patient, f"ipd:{admission.ipd_number}:procedure", code,
        patient.category.code if patient.category else None, today, quantity,
        account=admission.account)
    order("procedure", tariff_code=code, quantity=quantity, charge=charge,
          detail=detail or None)


def _ward(admission: Admission, value, errors: dict) -> Ward | None:
    if value in (None, ""):
        return None
    ward = db.session.get(Ward, int(value)) if str(value).isdigit() else None
    if ward is None or ward.facility_id != admission.facility_id or not ward.active:
        errors["transfer_ward"] = _("Choose a ward of this facility.")
        return None
    if admission.bed is not None and ward.id == admission.bed.ward_id:
        errors["transfer_ward"] = _("The patient is in this ward already.")
        return None
    return ward


def _planned(value, today: date, errors: dict) -> date | None:
    try:
        day = parse_date(value)
    except ValueError:
        errors["discharge_on"] = _("Enter the date as dd-mm-yyyy, e.g. 29-11-2026.")
        return None
    if day is not None and not today <= day <= today + LONGEST_PLAN:
        errors["discharge_on"] = _("The planned discharge is from today to %(days)s days "
                                   "ahead.", days=LONGEST_PLAN.days)
        return None
    return day


@dataclass
class InForce:
    diet: WardOrder | None = None
    transfer: WardOrder | None = None      # only while the patient is not yet moved there
    discharge: WardOrder | None = None


def in_force(admissions: list[Admission]) -> dict[int, InForce]:
    """{admission id: its diet, pending transfer and planned discharge} in one query (the
    handover sheet; load the admissions' stays with them)."""
    ids = [a.id for a in admissions]
    rows = db.session.execute(
        select(WardOrder).where(WardOrder.admission_id.in_(ids),
                                WardOrder.kind.in_(("diet", "transfer", "discharge")))
        .options(joinedload(WardOrder.ward))
        .order_by(WardOrder.ordered_at, WardOrder.id)).scalars().all() if ids else []
    return _in_force(admissions, rows)


def of_admission(admission: Admission) -> tuple[InForce, dict[int, list[WardOrder]]]:
    """The stay's orders in force, and {note id: its orders} (one query: the admission's
    page)."""
    rows = db.session.execute(
        select(WardOrder).where(WardOrder.admission_id == admission.id)
        .options(joinedload(WardOrder.ward), joinedload(WardOrder.charge))
        .order_by(WardOrder.ordered_at, WardOrder.id)).scalars().all()
    by_note: dict[int, list[WardOrder]] = {}
    for row in rows:
        by_note.setdefault(row.note_id, []).append(row)
    return _in_force([admission], rows)[admission.id], by_note


def _in_force(admissions: list[Admission], rows: list[WardOrder]) -> dict[int, InForce]:
    found = {a.id: InForce() for a in admissions}
    for row in rows:   # oldest first: the latest of each kind stays
        if row.kind in ("diet", "transfer", "discharge"):
            setattr(found[row.admission_id], row.kind, row)
    for admission in admissions:
        pending = found[admission.id].transfer
        if pending is None:
            continue
        current = next((s for s in admission.stays if s.to_at is None), None)
        if current is None or current.bed.ward_id == pending.ward_id or \
                aware(current.from_at) > aware(pending.ordered_at):
            found[admission.id].transfer = None  # done, or overtaken by another move
    return found
