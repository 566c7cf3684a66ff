"""The records behind an HMIS figure, as the drill-down lists them: when, the record's
number, the patient (the kept record of a merged duplicate) with age and sex at the time,
what was counted, and a link to the record."""
from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.formatting import IST, aware, ist
from app.extensions import db
from app.ipd.models import DISCHARGE_TYPES, Admission
from app.lab.models import LabOrderItem, LabResult
from app.opd.models import Consultation, OpdVisit
from app.registration.display import age_text, gender_text


def _row(record_id, at, number, patient, detail, url) -> dict:
    kept = patient.merged_into or patient
    day = aware(at).astimezone(IST).date() if hasattr(at, "hour") else at
    return {"id": record_id, "when": ist(at) if hasattr(at, "hour") else at.strftime("%d-%m-%Y"),
            "number": number, "uhid": kept.uhid, "name": kept.name,
            "age": age_text(kept, day), "sex": gender_text(kept.gender), "detail": detail,
            "url": url}


def _by_id(model, ids, *options):
    if not ids:
        return {}
    return {r.id: r for r in db.session.execute(
        select(model).where(model.id.in_(ids)).options(*options)).scalars()}


def _visits(ids):
    found = _by_id(OpdVisit, ids, joinedload(OpdVisit.patient), joinedload(OpdVisit.department))
    return [_row(v.id, v.created_at, f"{v.visit_date:%d-%m-%Y} #{v.token}", v.patient,
                 v.department.name, url_for("OpdVisitView.show", pk=v.id))
            for v in (found[i] for i in ids)]


def _admissions(ids, when="admitted_at"):
    found = _by_id(Admission, ids, joinedload(Admission.patient))
    out = []
    for a in (found[i] for i in ids):
        at = getattr(a, when) or a.admitted_at
        detail = str(DISCHARGE_TYPES.get(a.discharge_type, "")) if a.discharge_type else ""
        out.append(_row(a.id, at, a.ipd_number, a.patient, detail,
                        url_for("WardBoardView.admission", admission_id=a.id)))
    return out


def _consultations(ids):
    found = _by_id(Consultation, ids, joinedload(Consultation.visit).joinedload(OpdVisit.patient))
    return [_row(c.id, c.completed_at, f"{c.visit.visit_date:%d-%m-%Y} #{c.visit.token}",
                 c.visit.patient, c.referral_facility or "",
                 url_for("OpdVisitView.show", pk=c.visit_id))
            for c in (found[i] for i in ids)]


def _tests(ids):
    found = _by_id(LabOrderItem, ids, joinedload(LabOrderItem.order), joinedload(LabOrderItem.test))
    return [_row(i.id, i.released_at, i.order.order_number, i.order.patient, i.test.code,
                 url_for("LabReportPrintView.lab_report", order_id=i.order_id))
            for i in (found[n] for n in ids)]


def _results(ids):
    found = _by_id(LabResult, ids, joinedload(LabResult.item), joinedload(LabResult.order),
                   joinedload(LabResult.analyte), joinedload(LabResult.patient))
    return [_row(r.id, r.item.released_at, r.order.order_number, r.patient,
                 f"{r.analyte.code} {r.value}",
                 url_for("LabReportPrintView.lab_report", order_id=r.order_id))
            for r in (found[n] for n in ids)]


def describe(source: str, records: list[tuple]) -> list[dict]:
    """records: (id, kind) in the order to list them."""
    ids = [r[0] for r in records]
    if source == "opd":
        return _visits(ids)
    if source == "admitted":
        return _admissions(ids)
    if source in ("left", "stay", "conditions"):
        return _admissions(ids, "discharged_at")
    if source == "referred":   # two kinds of record: keep the order they were counted in
        consultations = {r["id"]: r for r in _consultations([i for i, k in records if k == "opd"])}
        discharges = {r["id"]: r for r in _admissions([i for i, k in records if k == "ipd"],
                                                      "discharged_at")}
        return [(consultations if k == "opd" else discharges)[i] for i, k in records]
    if source == "tests":
        return _tests(ids)
    return _results(ids)
