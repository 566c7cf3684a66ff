"""The ward's vitals chart: a set of vitals taken at the bedside, judged against the same
usual and possible ranges as the OPD consultation, scored by NEWS2 (Royal College of
Physicians, 2017, SpO2 scale 1) so that a deteriorating patient shows on the bed board."""
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.base_views import DomainError
from app.core.formatting import aware
from app.core.input_guard import stripped
from app.core.models import utcnow
from app.extensions import db
from app.opd.consultation import VITALS, check_vitals
from app.registration.validation import strict_bool

from .models import CONSCIOUSNESS, Admission, VitalSign
from .services import _admitted, _utc

# What the ward charts of the OPD's vitals (height is not taken at the bedside).
WARD_VITALS = ("temperature_f", "pulse", "resp_rate", "bp_systolic", "bp_diastolic", "spo2",
               "pain_score", "rbs_mg_dl", "weight_kg")
PAIN = (0, 10)
SHOWN = 60  # sets on the admission's page and chart: a 10-day stay at six a day


def _band(value, bands) -> int:
    """bands: ((upper bound inclusive, score), ...), the last bound None for 'above'."""
    for upper, score in bands:
        if upper is None or value <= upper:
            return score
    raise AssertionError("unreachable")


def news2(resp_rate, spo2, on_oxygen, bp_systolic, pulse, consciousness,
          temperature_f) -> tuple[int, str] | None:
    """(score, risk) of a full set; None when a parameter is missing (NEWS2 is not scored
    on part of a set). Risk: high ≥ 7, medium 5–6, low-medium when any one parameter
    scores 3, low otherwise."""
    if None in (resp_rate, spo2, bp_systolic, pulse, consciousness, temperature_f):
        return None
    celsius = (Decimal(temperature_f) - 32) * 5 / 9
    parts = [
        _band(resp_rate, ((8, 3), (11, 1), (20, 0), (24, 2), (None, 3))),
        _band(spo2, ((91, 3), (93, 2), (95, 1), (None, 0))),
        2 if on_oxygen else 0,
        _band(bp_systolic, ((90, 3), (100, 2), (110, 1), (219, 0), (None, 3))),
        _band(pulse, ((40, 3), (50, 1), (90, 0), (110, 1), (130, 2), (None, 3))),
        0 if consciousness == "A" else 3,
        _band(round(celsius, 1), ((Decimal("35.0"), 3), (Decimal("36.0"), 1),
                                  (Decimal("38.0"), 0), (Decimal("39.0"), 1), (None, 2))),
    ]
    score = sum(parts)
    risk = "high" if score >= 7 else "medium" if score >= 5 else \
        "low-medium" if 3 in parts else "low"
    return score, risk


def record(admission: Admission, data: dict, user_id, now: datetime | None = None) -> VitalSign:
    """Chart a set of vitals: {"temperature_f", "pulse", "resp_rate", "bp_systolic",
    "bp_diastolic", "spo2", "on_oxygen", "consciousness", "pain_score", "rbs_mg_dl",
    "weight_kg", "taken_at"} (numbers as typed; taken_at an aware time, now when left
    out). Commits."""
    _admitted(admission)
    now = now or utcnow()
    values, errors, _unusual = check_vitals({k: stripped(data.get(k)) for k in VITALS})
    values = {k: v for k, v in values.items() if k in WARD_VITALS and v is not None}
    errors = {k: v for k, v in errors.items() if k in WARD_VITALS}
    pain = stripped(data.get("pain_score"))
    if pain:
        if not (pain.isascii() and pain.isdigit()) or not PAIN[0] <= int(pain) <= PAIN[1]:
            errors["pain_score"] = _("Pain score is a whole number from 0 to 10.")
        else:
            values["pain_score"] = int(pain)
    consciousness = stripped(data.get("consciousness")).upper() or None
    if consciousness is not None and consciousness not in CONSCIOUSNESS:
        errors["consciousness"] = _("This value is not one of the allowed choices.")
    oxygen = strict_bool(data.get("on_oxygen"), "on_oxygen", errors)
    taken_at = _utc(data.get("taken_at") or now)
    if taken_at > now + timedelta(minutes=5) or taken_at < aware(admission.admitted_at):
        errors["taken_at"] = _("The time must be between the admission and now.")
    if not errors and not values and consciousness is None:
        errors["vitals"] = _("Enter at least one value.")
    if errors:
        raise DomainError(errors)
    scored = news2(values.get("resp_rate"), values.get("spo2"), oxygen,
                   values.get("bp_systolic"), values.get("pulse"), consciousness,
                   values.get("temperature_f"))
    vital = VitalSign(facility_id=admission.facility_id, admission=admission,
                      taken_at=taken_at, on_oxygen=oxygen, consciousness=consciousness,
                      news2=scored[0] if scored else None,
                      news2_risk=scored[1] if scored else None, recorded_by_id=user_id,
                      recorded_at=now, **values)
    db.session.add(vital)
    db.session.commit()
    return vital



def chart(admission_id: int, shown: int = SHOWN) -> list[VitalSign]:
    """The stay's latest `shown` sets, oldest first (the chart reads left to right)."""
    rows = db.session.execute(select(VitalSign).where(VitalSign.admission_id == admission_id)
                              .order_by(VitalSign.taken_at.desc(), VitalSign.id.desc())
                              .limit(shown)).scalars().all()
    return rows[::-1]


def latest_scores(facility_id: int) -> dict[int, tuple[int, str]]:
    """{admission id: (score, risk)} of the facility's inpatients' latest scored sets, for
    the bed board: a short walk down (admission, time) per inpatient (joined instead, the
    planner would rather read every set there is)."""
    def latest(column):
        return select(column).where(
            VitalSign.admission_id == Admission.id, VitalSign.news2.is_not(None)) \
            .order_by(VitalSign.taken_at.desc()).limit(1).correlate(Admission) \
            .scalar_subquery()
    rows = db.session.execute(
        select(Admission.id, latest(VitalSign.news2), latest(VitalSign.news2_risk))
        .where(Admission.facility_id == facility_id, Admission.status == "admitted")).all()
    return {admission_id: (score, risk) for admission_id, score, risk in rows
            if score is not None}


# A chart's lines: (field, label, colour, low, high) with the usual range shaded.
SERIES = (("temperature_f", "#c0392b"), ("pulse", "#2c3e50"), ("resp_rate", "#16a085"),
          ("bp_systolic", "#8e44ad"), ("spo2", "#2980b9"))


def series(sets: list[VitalSign]) -> list[dict]:
    """For the page's charts (SVG): per charted field, its points scaled into a 0–100 box
    with the usual range as a band; fields never taken are left out."""
    shown = []
    for field, colour in SERIES:
        label, low, high, *_rest = VITALS[field]
        points = [(i, float(getattr(s, field))) for i, s in enumerate(sets)
                  if getattr(s, field) is not None]
        if not points:
            continue
        values = [v for _i, v in points] + [low, high]
        top, bottom = max(values), min(values)
        pad = (top - bottom) * 0.1 or 1.0
        top, bottom = top + pad, bottom - pad

        def y(v, top=top, bottom=bottom):
            return round(100 - (v - bottom) / (top - bottom) * 100, 1)

        step = 100 / max(len(sets) - 1, 1)
        shown.append({"field": field, "label": label, "colour": colour,
                      "band": (y(high), y(low)), "low": low, "high": high,
                      "points": [(round(i * step, 1), y(v), v) for i, v in points]})
    return shown
