"""Results: entered by a technician from a received sample, judged at once against the
patient's range (flags, critical values, plausibility, the change since the patient's
previous result), released by a pathologist who did not enter them. A released result
never changes in place: changing it makes a new version with a reason, released in turn,
and the older versions stay."""
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.base_views import DomainError
from app.core.concurrency import lock, locked_rows
from app.core.formatting import IST, aware
from app.core.models import utcnow
from app.core.numbering import ist_today
from app.extensions import db
from app.ipd.models import Admission
from app.registration import services as registration

from . import judging
from .models import LabOrder, LabOrderItem, LabPanelMember, LabResult, LabSample, LabTest


class Conflict(DomainError):
    """Someone saved this test's results after the screen was opened."""
    status = 409


def analytes(test: LabTest) -> list[LabTest]:
    """What is reported for an ordered test: a panel's members, or the test itself."""
    if test.result_type == "panel":
        return [m.member for m in test.members]
    return [test]


def _latest(item: LabOrderItem, statuses) -> dict[int, LabResult]:
    """Each analyte's highest version among the item's results in `statuses`."""
    latest = {}
    for result in item.results:
        if result.status in statuses and (
                result.analyte_id not in latest or result.version > latest[result.analyte_id].version):
            latest[result.analyte_id] = result
    return latest


def current_results(item: LabOrderItem) -> dict[int, LabResult]:
    """The latest version of each analyte's result (entered or released)."""
    return _latest(item, ("entered", "released"))


def released_results(item: LabOrderItem) -> dict[int, LabResult]:
    """The latest released version of each analyte: what the report shows."""
    return _latest(item, ("released",))


def previous_numbers(patient_ids: list[int], analyte_ids: list[int], item_id: int) -> dict:
    """{analyte id: (number, value)}: the patient's last released value of each analyte
    on another order (delta check), in one query for the whole panel."""
    latest = {}
    rows = db.session.execute(
        select(LabResult.analyte_id, LabResult.value_number, LabResult.value).where(
            LabResult.patient_id.in_(patient_ids), LabResult.analyte_id.in_(analyte_ids),
            LabResult.item_id != item_id, LabResult.status == "released")
        .order_by(LabResult.released_at.desc()))
    for analyte_id, number, value in rows:
        latest.setdefault(analyte_id, (number, value))
    return latest


def _called_at(raw, now: datetime) -> datetime | None:
    """When a critical value was phoned: "HH:MM" today (IST), or an ISO date and time."""
    if isinstance(raw, datetime):
        return raw
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        if len(text) <= 5:
            return datetime.combine(ist_today(now), time.fromisoformat(text.zfill(5)), IST)
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=IST)
    except ValueError:
        return None


def _sample_ready(item: LabOrderItem) -> str | None:
    if item.order.status != "ordered" or item.status == "cancelled":
        return _("This order is cancelled.")
    if item.sample is None:
        return _("No sample has been collected for this test (or it was rejected): collect "
                 "a sample first.")
    if item.sample.status != "received":
        return _("The sample has not been received in the lab yet: scan its label first.")
    return None


def enter(item: LabOrderItem, values: dict, user_id, revision=None, reason: str = "",
          now: datetime | None = None) -> LabOrderItem:
    """Save results of an ordered test: values = {analyte code: {"value", "confirm",
    "called_to", "called_at"}} (blank values are left out). `revision` is the item's
    revision the screen showed: if someone saved since, nothing is saved (409). A
    released value changed needs `reason` and becomes a new version. Commits."""
    lock(item)
    if revision is not None and str(revision) != str(item.revision):
        raise Conflict({"revision": _("Someone else saved results for this test meanwhile. "
                                      "Reload the page to see them, then enter yours again.")})
    problem = _sample_ready(item)
    if problem:
        raise DomainError({"sample": problem})
    now = now or utcnow()
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise DomainError({"reason": _("Must be at most %(n)s characters.", n=200)})
    writes = _judged(item, values, reason, now)
    patient_ids = registration.record_ids(item.order.patient)
    previous_of = previous_numbers(patient_ids, [w[1].id for w in writes], item.id)
    for position, analyte, judged, called_to, called_at, old in writes:
        previous = previous_of.get(analyte.id)
        delta = judging.beyond_delta(analyte, judged.number, previous[0] if previous else None)
        fields = dict(
            value=judged.value, value_number=judged.number, unit=analyte.unit, flag=judged.flag,
            range_low=judged.low, range_high=judged.high, range_text=judged.range_text,
            delta_from=previous[1] if delta else None, confirmed_implausible=judged.implausible,
            critical_called_to=called_to if judged.critical else None,
            critical_called_at=called_at if judged.critical else None,
            entered_at=now, entered_by_id=user_id)
        if old is not None and old.status == "entered":
            for name, value in fields.items():  # not yet released: corrected in place
                setattr(old, name, value)
            continue
        db.session.add(LabResult(
            facility_id=item.facility_id, item=item, analyte_id=analyte.id,
            order_id=item.order_id, patient_id=item.order.patient_id, position=position,
            version=(old.version + 1) if old else 1, status="entered",
            amend_reason=reason if old else None, **fields))
    item.revision += 1
    item.entered_at = now
    now_entered = current_results(item)  # the new rows are in item.results already
    if all(a.id in now_entered for a in analytes(item.test)):
        item.status = "entered"
    db.session.commit()
    return item


def _judged(item: LabOrderItem, values: dict, reason: str, now: datetime) -> list[tuple]:
    """The values to write, each judged for the patient: (position, analyte, judged,
    phoned to, phoned at, the current result or None); DomainError naming each analyte
    whose value cannot be taken, and nothing written."""
    patient = item.order.patient
    age_days = judging.age_in_days(patient.dob, ist_today(now))
    by_code = {a.code: (position, a) for position, a in enumerate(analytes(item.test), 1)}
    unknown = [code for code in values if code not in by_code]
    if unknown:
        raise DomainError({"results": _("Not part of this test: %(codes)s.",
                                        codes=", ".join(map(str, unknown)))})
    current = current_results(item)
    errors, writes = {}, []
    for code, given in values.items():
        position, analyte = by_code[code]
        given = given if isinstance(given, dict) else {"value": given}
        if given.get("value") is None or str(given.get("value")).strip() == "":
            continue
        try:
            judged = judging.judge(analyte, given.get("value"), patient.gender, age_days)
        except judging.Refused as refused:
            errors[code] = str(refused)
            continue
        if judged.implausible and given.get("confirm") not in (True, "1", "on", "yes", "true"):
            errors[code] = _("%(value)s is outside what is possible for this test "
                             "(%(range)s): check it; if it is right, tick 'confirmed'.",
                             value=judged.value, range=judging.range_text(
                                 analyte.plausible_low, analyte.plausible_high))
            continue
        called_to = str(given.get("called_to") or "").strip()[:100]
        called_at = _called_at(given.get("called_at"), now)
        if judged.critical and (not called_to or called_at is None):
            errors[code] = _("Critical value: note whom it was phoned to and when before "
                             "saving.")
            continue
        old = current.get(analyte.id)
        if old is not None and old.status == "released":
            if old.value == judged.value:
                continue  # unchanged: nothing to amend
            if not reason:
                errors[code] = _("This result is released: give the reason for the "
                                 "amendment.")
                continue
        writes.append((position, analyte, judged, called_to, called_at, old))
    if errors:
        raise DomainError(errors)
    if not writes:
        raise DomainError({"results": _("Enter at least one result.")})
    return writes


def release(item: LabOrderItem, user_id, revision=None,
            now: datetime | None = None) -> LabOrderItem:
    """The pathologist verifies and releases what awaits it; never their own entry.
    Commits."""
    lock(item)
    if revision is not None and str(revision) != str(item.revision):
        raise Conflict({"revision": _("The results changed since you opened them. Reload "
                                      "the page and check them again.")})
    if item.order.status != "ordered":
        raise DomainError({"order": _("This order is cancelled.")})
    current = current_results(item)
    waiting = [r for r in current.values() if r.status == "entered"]
    if not waiting:
        raise DomainError({"results": _("Nothing of this test awaits verification.")})
    missing = [a.code for a in analytes(item.test) if a.id not in current]
    if missing:
        raise DomainError({"results": _("Results missing for: %(codes)s.",
                                        codes=", ".join(missing))})
    if any(r.entered_by_id == user_id for r in waiting):
        raise DomainError({"results": _("You entered these results: another colleague must "
                                        "verify them.")})
    now = now or utcnow()
    for result in waiting:
        for older in item.results:
            if older.analyte_id == result.analyte_id and older.status == "released":
                older.status = "superseded"
        result.status, result.released_at, result.released_by_id = "released", now, user_id
    item.status, item.revision = "released", item.revision + 1
    item.released_at = item.released_at or now
    db.session.commit()
    return item


def item_for_entry(item_id: int, for_update: bool = False, ranges: bool = True
                   ) -> LabOrderItem | None:
    """An ordered test with what its entry, release and report need; `for_update` to
    enter or release (the row locked as it is read: see concurrency.locked_rows);
    without `ranges` (a release judges nothing), the reference ranges are left unread."""
    members = joinedload(LabOrderItem.test).selectinload(LabTest.members) \
        .joinedload(LabPanelMember.member)
    query = select(LabOrderItem).where(LabOrderItem.id == item_id).options(
        joinedload(LabOrderItem.order).joinedload(LabOrder.patient),
        members.selectinload(LabTest.ranges) if ranges else members,
        joinedload(LabOrderItem.sample),
        selectinload(LabOrderItem.results).joinedload(LabResult.entered_by))
    if ranges:
        query = query.options(joinedload(LabOrderItem.test).selectinload(LabTest.ranges))
    if not for_update:
        return db.session.execute(query).unique().scalar_one_or_none()
    rows = locked_rows(query, LabOrderItem)
    return rows[0] if rows else None


def amended(item: LabOrderItem) -> set[int]:
    """Analytes whose released value replaced an earlier released one."""
    return {r.analyte_id for r in item.results if r.status == "superseded"}


WORK_STATUSES = ("received", "entered")


def worklist(facility_id: int, section: str | None = None, status: str | None = None,
             priority: str | None = None, limit: int = 200):
    """Tests in the lab waiting for results or verification, urgent first, oldest first;
    and how many there are in all."""
    conditions = [LabOrderItem.facility_id == facility_id,
                  LabOrderItem.status.in_([status] if status in WORK_STATUSES
                                          else WORK_STATUSES)]
    query = select(LabOrderItem).join(LabOrder, LabOrder.id == LabOrderItem.order_id) \
        .join(LabTest, LabTest.id == LabOrderItem.test_id)
    if section:
        conditions.append(LabTest.section == section)
    if priority:
        conditions.append(LabOrder.priority == priority)
    total = db.session.execute(select(func.count()).select_from(
        query.where(*conditions).subquery())).scalar_one()
    # The page's rows first, then what they show by their ids: joined into the sort, the
    # patients and samples of every waiting test were read to keep 200 of them.
    rows = db.session.execute(query.where(*conditions).options(
        selectinload(LabOrderItem.order).joinedload(LabOrder.patient),
        selectinload(LabOrderItem.test), selectinload(LabOrderItem.sample))
        .order_by((LabOrder.priority == "urgent").desc(), LabOrder.ordered_at, LabOrderItem.id)
        .limit(limit)).scalars().all()
    return rows, total


def order_results(order: LabOrder) -> list[dict]:
    """Per ordered test: its analytes with the released result (and, when amended, the
    value it replaced), for the report, the consultation and the admission's page."""
    report = []
    for item in order.items:
        shown = released_results(item)
        rows = []
        for analyte in analytes(item.test):
            result = shown.get(analyte.id)
            replaced = None
            if result is not None and result.version > 1:
                older = [r for r in item.results if r.analyte_id == analyte.id and
                         r.version < result.version and r.status == "superseded"]
                replaced = max(older, key=lambda r: r.version) if older else None
            rows.append({"analyte": analyte, "result": result, "replaced": replaced})
        report.append({"item": item, "rows": rows,
                       "released": any(r["result"] for r in rows)})
    return report


def order_for_report(order_id: int) -> LabOrder | None:
    return db.session.execute(select(LabOrder).where(LabOrder.id == order_id).options(
        joinedload(LabOrder.patient), joinedload(LabOrder.facility),
        joinedload(LabOrder.ordered_by), joinedload(LabOrder.admission),
        selectinload(LabOrder.items).joinedload(LabOrderItem.charge),
        selectinload(LabOrder.items).joinedload(LabOrderItem.test)
        .selectinload(LabTest.members).joinedload(LabPanelMember.member),
        selectinload(LabOrder.items).joinedload(LabOrderItem.sample),
        selectinload(LabOrder.items).selectinload(LabOrderItem.results)
        .joinedload(LabResult.released_by))).unique().scalar_one_or_none()


NEW_FOR = timedelta(hours=24)


def recent_for_patient(facility_id: int, patient, limit: int = 5,
                       now: datetime | None = None) -> list[dict]:
    """The patient's latest lab orders with their results, for the doctor's consultation
    and the admission's page: results released in the last day are marked new."""
    since = (now or utcnow()) - NEW_FOR
    orders = db.session.execute(select(LabOrder).where(
        LabOrder.facility_id == facility_id, LabOrder.status == "ordered",
        LabOrder.patient_id.in_(registration.record_ids(patient)))
        .order_by(LabOrder.id.desc()).limit(limit).options(
            selectinload(LabOrder.items).joinedload(LabOrderItem.test)
            .selectinload(LabTest.members).joinedload(LabPanelMember.member),
            selectinload(LabOrder.items).selectinload(LabOrderItem.results))
    ).scalars().all()
    rejected = {}  # a sample refused by the lab: the ward must collect it again
    for sample in db.session.execute(select(LabSample).where(
            LabSample.order_id.in_([o.id for o in orders]), LabSample.status == "rejected")
            .order_by(LabSample.id)).scalars():
        if any(i.status == "ordered" for i in sample.order.items):
            rejected.setdefault(sample.order_id, []).append(sample)
    shown = []
    for order in orders:
        report = order_results(order)
        new = {row["result"].id for block in report for row in block["rows"]
               if row["result"] is not None and aware(row["result"].released_at) >= since}
        shown.append({"order": order, "report": report, "new": new,
                      "rejected": rejected.get(order.id, [])})
    return shown


def released_for_admission(admission_id: int) -> list[dict]:
    """Every released result of the lab orders of a stay, oldest first, for the
    discharge summary's investigations: {"analyte", "result", "ordered_at"}."""
    orders = db.session.execute(select(LabOrder).where(
        LabOrder.admission_id == admission_id, LabOrder.status == "ordered")
        .order_by(LabOrder.id).options(
            selectinload(LabOrder.items).joinedload(LabOrderItem.test)
            .selectinload(LabTest.members).joinedload(LabPanelMember.member),
            selectinload(LabOrder.items).selectinload(LabOrderItem.results))
    ).scalars().all()
    return [{"analyte": row["analyte"], "result": row["result"], "ordered_at": order.ordered_at}
            for order in orders for block in order_results(order) for row in block["rows"]
            if row["result"] is not None]


def pending_for_admissions(admission_ids) -> dict[int, list[tuple[str, str]]]:
    """{admission id: [(test code, item status)]} of the tests ordered for these stays
    and not yet released (the ward's handover sheet)."""
    if not admission_ids:
        return {}
    rows = db.session.execute(
        select(LabOrder.admission_id, LabTest.code, LabOrderItem.status)
        .join(LabOrderItem, LabOrderItem.order_id == LabOrder.id)
        .join(LabTest, LabTest.id == LabOrderItem.test_id)
        .where(LabOrder.admission_id.in_(admission_ids), LabOrder.status == "ordered",
               LabOrderItem.status.notin_(("released", "cancelled")))
        .order_by(LabOrderItem.id)).all()
    pending = {}
    for admission_id, code, status in rows:
        pending.setdefault(admission_id, []).append((code, status))
    return pending


def to_collect_again(facility_id: int) -> dict[int, list[LabSample]]:
    """{admission id: its rejected samples whose tests still wait for a new sample}: what
    the ward board tells the nurses to collect again."""
    waiting = select(LabOrderItem.id).where(LabOrderItem.order_id == LabOrder.id,
                                            LabOrderItem.status == "ordered").exists()
    rows = db.session.execute(
        select(LabSample, LabOrder.admission_id).join(LabOrder, LabOrder.id == LabSample.order_id)
        .join(Admission, Admission.id == LabOrder.admission_id)
        .where(LabSample.facility_id == facility_id, LabSample.status == "rejected",
               LabOrder.status == "ordered", Admission.status == "admitted", waiting)
        .order_by(LabSample.id)).all()
    found: dict[int, list[LabSample]] = {}
    for sample, admission_id in rows:
        found.setdefault(admission_id, []).append(sample)
    return found


PENDING = ("ordered", "collected", "received", "entered")


def minutes_between(start: datetime, end: datetime) -> int:
    return int((aware(end) - aware(start)).total_seconds() // 60)


def overdue(facility_id: int, now: datetime | None = None, limit: int = 2000) -> list[dict]:
    """Tests still pending past their turnaround target (order → release), most overdue
    first: the lab in charge's list."""
    now = now or utcnow()
    items = db.session.execute(
        select(LabOrderItem).join(LabOrder, LabOrder.id == LabOrderItem.order_id)
        .join(LabTest, LabTest.id == LabOrderItem.test_id)
        .where(LabOrderItem.facility_id == facility_id, LabOrderItem.status.in_(PENDING),
               LabOrder.status == "ordered", LabTest.tat_minutes.is_not(None))
        .options(joinedload(LabOrderItem.order).joinedload(LabOrder.patient),
                 joinedload(LabOrderItem.test), joinedload(LabOrderItem.sample))
        .order_by(LabOrder.ordered_at).limit(limit)).unique().scalars().all()
    late = []
    for item in items:
        waited = minutes_between(item.order.ordered_at, now)
        if waited > item.test.tat_minutes:
            late.append({"item": item, "waited": waited,
                         "over": waited - item.test.tat_minutes})
    return sorted(late, key=lambda row: -row["over"])


def turnaround(facility_id: int, start: datetime, end: datetime) -> list[dict]:
    """Per section and test, the tests released between start and end: how many, the
    median and 90th percentile minutes from order to release, and the share within the
    test's target."""
    rows = db.session.execute(
        select(LabTest.section, LabTest.code, LabTest.name_en, LabTest.name_hi,
               LabTest.tat_minutes, LabOrder.ordered_at, LabOrderItem.released_at)
        .join(LabOrder, LabOrder.id == LabOrderItem.order_id)
        .join(LabTest, LabTest.id == LabOrderItem.test_id)
        .where(LabOrderItem.facility_id == facility_id,
               LabOrderItem.released_at >= start, LabOrderItem.released_at < end)).all()
    groups: dict = {}
    for section, code, name_en, name_hi, target, ordered_at, released_at in rows:
        key = (section, code)
        group = groups.setdefault(key, {"section": section, "code": code, "name_en": name_en,
                                        "name_hi": name_hi, "target": target, "minutes": []})
        group["minutes"].append(minutes_between(ordered_at, released_at))
    report = []
    for key in sorted(groups):
        group = groups.pop(key)
        minutes = sorted(group.pop("minutes"))
        within = sum(1 for m in minutes if group["target"] and m <= group["target"])
        report.append({**group, "count": len(minutes), "median": minutes[len(minutes) // 2],
                       "p90": minutes[min(len(minutes) - 1, int(len(minutes) * 0.9))],
                       "within": round(100 * within / len(minutes)) if group["target"]
                       else None})
    return report


def cumulative(facility_id: int, patient, analyte_code: str | None):
    """The patient's released results by test: (the tests they have results of, the
    chosen test, its results oldest first with the time each sample was taken)."""
    patient_ids = registration.record_ids(patient)
    tests = db.session.execute(
        select(LabTest).join(LabResult, LabResult.analyte_id == LabTest.id)
        .where(LabResult.patient_id.in_(patient_ids), LabResult.facility_id == facility_id,
               LabResult.status == "released").distinct().order_by(LabTest.code)
    ).scalars().all()
    chosen = next((t for t in tests if t.code == analyte_code), tests[0] if tests else None)
    if chosen is None:
        return tests, None, []
    rows = db.session.execute(
        select(LabResult).where(LabResult.patient_id.in_(patient_ids),
                                LabResult.facility_id == facility_id,
                                LabResult.analyte_id == chosen.id,
                                LabResult.status == "released")
        .options(joinedload(LabResult.item).joinedload(LabOrderItem.sample),
                 joinedload(LabResult.order))).unique().scalars().all()
    taken = sorted(rows, key=lambda r: aware(r.item.sample.collected_at if r.item.sample
                                              else r.released_at))
    return tests, chosen, taken
