"""The auditor's patient timeline: one patient's life in the hospital in the order it
happened (registration, OPD visits and consultations, admissions, transfers and
discharges, lab orders, samples and results, bills, payments and refunds, merges, prints,
who opened the record), each with who did it, in the user's language.

The happenings are read from the records themselves, so rows older than the audit log
(or written around it) still appear; the audit log adds what only it knows: prints,
openings, merges, changes to the patient's details, and who acted when the record does
not name them. Each happening is one line, from one place. Every read goes through an
index, by the patient's ids (theirs and their merged duplicates') or by the ids of their
records, never over the whole audit log, and each read is capped, so a patient of a
million-patient database answers as fast as one of a hundred."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

from flask_appbuilder.security.sqla.models import User
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from app.billing.models import ADVANCE, PAYMENT_MODE_LABELS, Bill
from app.core import audit_words
from app.core.formatting import aware
from app.core.models import AuditLog, in_user_language
from app.extensions import db
from app.ipd.models import (
    DISCHARGE_TYPES, Admission, Bed, BedStay, Consent, DeathRecord, DepartureRecord,
    DischargeSummary,
)
from app.lab.models import REJECT_REASONS, LabOrder, LabOrderItem, LabResult, LabSample
from app.opd.models import VISIT_TYPES, Consultation, Diagnosis, OpdVisit
from app.registration.models import Patient
from app.registration.services import record_ids

SHOWN = 500           # the latest lines; each source reads at most this many rows
RESULT_VALUES = 8     # analytes named on a result's line; a panel's rest is "…"
PRINTS = ("print", "reprint")
EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
# Patient fields that change without anyone changing the person's details: derived
# search keys, the visit date the desk keeps, and the merge (a line of its own).
NOT_DETAILS = {"name_key", "guardian_key", "mobile_rev", "last_visit_on", "merged_into_id",
               "merge_reason"}
# The pages that log an opening of the record (core.access_log), in words.
PAGES = {"PatientView.show": _l("patient's details"),
         "CashCounterView.patient": _l("cash counter"),
         "LabResultScreen.patient": _l("lab results"),
         "WardBoardView.admission": _l("admission"),
         "DoctorView.consult": _l("consultation"),
         "PatientTimelineView.timeline": _l("timeline")}
# What a print of a row of this table was, by the start of its audit detail.
PAPERS = {"opd_visit": [("", _l("OPD slip"))],
          "consultation": [("", _l("prescription"))],
          "bill": [("", _l("receipt"))],
          "admission": [("vitals", _l("vitals and fluids chart")), ("", _l("admission slip"))],
          "lab_order": [("lab report", _l("lab report")), ("", _l("lab test slip"))],
          "lab_sample": [("", _l("sample label"))],
          "patient": [("", _l("cumulative lab report"))],
          "discharge_summary": [("", _l("discharge summary"))],
          "death_record": [("", _l("death certificate (MCCD Form 4)"))],
          "consent": [("", _l("consent form"))],
          "departure_record": [("", _l("referral, LAMA or absconding form"))]}
# Papers printed from a stay's own records: their ids are read to find their prints.
STAY_PAPERS = (DischargeSummary, DeathRecord, Consent, DepartureRecord)


@dataclass
class Line:
    at: datetime | None
    what: str
    user_id: int | None = None
    who: str | None = None
    link: tuple | None = None     # (endpoint, resource read, url arguments)
    under: str | None = None      # the merged duplicate's UHID the record was made under
    source: tuple | None = None   # (table, row id, field or None for the insert)
    seq: int = 0                  # same instant: the order the lines were read in
    url: str | None = None        # the link, for a user who may open it (the view's)


def _money(value) -> str:
    return f"₹{value}"


def _link(endpoint, resource, **args) -> tuple:
    return endpoint, resource, args


class _Reader:
    def __init__(self, patient: Patient, shown: int):
        self.patient, self.shown, self.capped = patient, shown, False
        self.ids = record_ids(patient)
        self.patients = {patient.id: patient}
        if len(self.ids) > 1:  # merged duplicates
            self.patients.update((p.id, p) for p in db.session.execute(
                select(Patient).where(Patient.id.in_(self.ids[1:]))).scalars())
        self.lines: list[Line] = []
        # table → {row id: (link, patient id)}: the rows whose prints are looked up
        self.printable: dict[str, dict] = defaultdict(dict)

    def add(self, at, what, user_id=None, link=None, patient_id=None, source=None,
            who=None) -> None:
        under = self.patients[patient_id].uhid if patient_id not in (None, self.patient.id) \
            and patient_id in self.patients else None
        self.lines.append(Line(aware(at) if at else None, what, user_id, who, link, under,
                               source, len(self.lines)))

    def newest(self, query, when) -> list:
        rows = db.session.execute(query.order_by(when.desc()).limit(self.shown)) \
            .unique().scalars().all()
        self.capped = self.capped or len(rows) == self.shown
        return rows


def _registrations(r: _Reader) -> None:
    for p in r.patients.values():
        link = _link("PatientView.show", "Patient", pk=p.id)
        r.printable["patient"][p.id] = (link, p.id)
        r.add(p.registered_at, _("Registered, UHID %(uhid)s", uhid=p.uhid),
              p.registered_by_id, link, source=("patient", p.id, None))


def _diagnosis(d: Diagnosis) -> str:
    return f"{d.icd10.code} {in_user_language(d.icd10.title, d.icd10.title_hi)}"


def _visits(r: _Reader) -> None:
    visits = r.newest(select(OpdVisit).where(OpdVisit.patient_id.in_(r.ids)).options(
        joinedload(OpdVisit.department),
        selectinload(OpdVisit.consultation).selectinload(Consultation.diagnoses)
        .joinedload(Diagnosis.icd10)), OpdVisit.created_at)
    for v in visits:
        link = _link("OpdVisitView.show", "OpdVisit", pk=v.id)
        r.printable["opd_visit"][v.id] = (link, v.patient_id)
        what = _("OPD visit to %(department)s, token %(token)s",
                 department=v.department.name, token=v.token)
        if v.visit_type == "FU":
            what += f" ({VISIT_TYPES['FU']})"
        r.add(v.created_at, what, v.created_by_id, link, v.patient_id,
              ("opd_visit", v.id, None))
        c = v.consultation
        if c is None:
            continue
        r.printable["consultation"][c.id] = (link, v.patient_id)
        if c.diagnoses:
            what = _("Consultation: diagnosis %(diagnoses)s",
                     diagnoses="; ".join(_diagnosis(d) for d in c.diagnoses))
        else:
            what = _("Consultation") if c.completed_at else _("Consultation started")
        r.add(c.completed_at or c.started_at, what, c.doctor_id, link, v.patient_id,
              ("consultation", c.id, None))


def _bed(stay: BedStay) -> dict:
    return {"ward": stay.bed.ward.name, "bed": stay.bed.number}


def _admissions(r: _Reader) -> None:
    admissions = r.newest(select(Admission).where(Admission.patient_id.in_(r.ids)).options(
        selectinload(Admission.stays).joinedload(BedStay.bed).joinedload(Bed.ward)),
        Admission.admitted_at)
    for a in admissions:
        link = _link("WardBoardView.admission", "Admission", admission_id=a.id)
        r.printable["admission"][a.id] = (link, a.patient_id)
        first, *moves = a.stays or [None]
        what = _("Admitted (%(number)s) to %(ward)s, bed %(bed)s", number=a.ipd_number,
                 **_bed(first)) if first else _("Admitted (%(number)s)", number=a.ipd_number)
        r.add(a.admitted_at, what, a.admitted_by_id, link, a.patient_id,
              ("admission", a.id, None))
        for stay in moves:
            what = _("Transferred to %(ward)s, bed %(bed)s", **_bed(stay))
            r.add(stay.from_at, f"{what}: {stay.reason}" if stay.reason else what,
                  stay.moved_by_id, link, a.patient_id, ("bed_stay", stay.id, None))
        if a.status == "discharged":
            what = _("Died in hospital") if a.discharge_type == "death" else \
                str(DISCHARGE_TYPES.get(a.discharge_type, a.discharge_type))
            r.add(a.discharged_at, f"{what} · {a.ipd_number}", a.discharged_by_id, link,
                  a.patient_id, ("admission", a.id, "discharged_at"))
        elif a.status == "cancelled":
            r.add(a.discharged_at, _("Admission %(number)s cancelled (entered in error): "
                                     "%(reason)s", number=a.ipd_number,
                                     reason=a.discharge_note or ""),
                  a.discharged_by_id, link, a.patient_id, ("admission", a.id, "discharged_at"))
    if admissions:  # the stay's papers (summary, death certificate, consents, forms)
        stays = {a.id: a for a in admissions}
        papers = union_all(*[select(literal(m.__tablename__).label("t"), m.id, m.admission_id)
                             .where(m.admission_id.in_(stays)) for m in STAY_PAPERS])
        for table, row_id, admission_id in db.session.execute(papers):
            a = stays[admission_id]
            r.printable[table][row_id] = (r.printable["admission"][a.id][0], a.patient_id)


def _result_text(result: LabResult, before: LabResult | None = None) -> str:
    value = f"{before.value} → {result.value}" if before is not None else result.value
    return " ".join(p for p in (result.analyte.code, value, result.unit) if p)


def _values(results: list, previous: dict | None = None) -> str:
    results = sorted(results, key=lambda x: x.position)
    shown = [_result_text(x, (previous or {}).get((x.item_id, x.analyte_id, x.version - 1)))
             for x in results[:RESULT_VALUES]]
    return ", ".join(shown) + (", …" if len(results) > RESULT_VALUES else "")


def _lab(r: _Reader) -> None:
    orders = r.newest(select(LabOrder).where(
        LabOrder.facility_id == r.patient.facility_id,  # the index is (facility, patient)
        LabOrder.patient_id.in_(r.ids)).options(
        selectinload(LabOrder.items).joinedload(LabOrderItem.test)), LabOrder.ordered_at)
    for o in orders:
        link = _link("LabOrderScreen.order_page", "LabOrder", order_id=o.id)
        r.printable["lab_order"][o.id] = (link, o.patient_id)
        r.add(o.ordered_at, _("Lab order %(number)s: %(tests)s", number=o.order_number,
                              tests=", ".join(i.test.code for i in o.items)),
              o.ordered_by_id, link, o.patient_id, ("lab_order", o.id, None))
        if o.cancelled_at:
            r.add(o.cancelled_at, _("Lab order %(number)s cancelled: %(reason)s",
                                    number=o.order_number, reason=o.cancel_reason or ""),
                  o.cancelled_by_id, link, o.patient_id, ("lab_order", o.id, "cancelled_at"))
    for s in r.newest(select(LabSample).where(LabSample.patient_id.in_(r.ids)),
                      LabSample.collected_at):
        link = _link("LabOrderScreen.order_page", "LabOrder", order_id=s.order_id)
        r.printable["lab_sample"][s.id] = (link, s.patient_id)
        r.add(s.collected_at, _("Sample %(number)s collected (%(tests)s)",
                                number=s.sample_number, tests=s.test_codes),
              s.collected_by_id, link, s.patient_id, ("lab_sample", s.id, None))
        if s.rejected_at:
            r.add(s.rejected_at, _("Sample %(number)s rejected: %(reason)s",
                                   number=s.sample_number,
                                   reason=REJECT_REASONS.get(s.reject_reason, s.reject_reason)),
                  s.rejected_by_id, link, s.patient_id, ("lab_sample", s.id, "rejected_at"))
    results = r.newest(select(LabResult).where(LabResult.patient_id.in_(r.ids)).options(
        joinedload(LabResult.analyte), joinedload(LabResult.order)), LabResult.entered_at)
    previous = {(x.item_id, x.analyte_id, x.version): x for x in results}
    released, amended = defaultdict(list), defaultdict(list)
    for x in results:
        if x.released_at is not None:
            released[(x.item_id, x.released_at, x.released_by_id)].append(x)
        if x.version > 1:
            amended[(x.item_id, x.entered_at, x.entered_by_id)].append(x)
    for (_item, at, user_id), group in released.items():
        first = group[0]
        r.add(at, _("Result of %(number)s released: %(values)s",
                    number=first.order.order_number, values=_values(group)), user_id,
              _link("LabOrderScreen.order_page", "LabOrder", order_id=first.order_id),
              first.patient_id, ("lab_result", first.id, "released_at"))
    for (_item, at, user_id), group in amended.items():
        first = group[0]
        r.add(at, _("Result of %(number)s amended: %(values)s; reason: %(reason)s",
                    number=first.order.order_number, values=_values(group, previous),
                    reason=first.amend_reason or ""), user_id,
              _link("LabOrderScreen.order_page", "LabOrder", order_id=first.order_id),
              first.patient_id, ("lab_result", first.id, None))


def _billing(r: _Reader) -> None:
    bills = r.newest(select(Bill).where(Bill.patient_id.in_(r.ids)).options(
        selectinload(Bill.payments)), Bill.created_at)
    modes = {**PAYMENT_MODE_LABELS, ADVANCE: _l("From advance deposit")}
    for b in bills:
        link = _link("BillView.show", "Bill", pk=b.id)
        r.printable["bill"][b.id] = (link, b.patient_id)
        words = _("Advance deposit %(number)s: %(amount)s") if b.kind == "advance" else \
            _("Bill %(number)s: %(amount)s")
        r.add(b.created_at, words % {"number": b.number, "amount": _money(b.net)},
              b.created_by_id, link, b.patient_id, ("bill", b.id, None))
        for p in b.payments:
            mode = str(modes.get(p.mode, p.mode))
            if p.kind == "refund":
                what = _("Refund %(amount)s (%(mode)s), bill %(number)s: %(reason)s",
                         amount=_money(p.amount), mode=mode, number=b.number,
                         reason=p.reason or "")
            else:
                what = _("Payment %(amount)s (%(mode)s), bill %(number)s",
                         amount=_money(p.amount), mode=mode, number=b.number)
            r.add(p.received_at, what, p.received_by_id, link, b.patient_id,
                  ("payment", p.id, None))
        if b.cancelled_at:
            r.add(b.cancelled_at, _("Bill %(number)s cancelled: %(reason)s", number=b.number,
                                    reason=b.cancel_reason or ""),
                  b.cancelled_by_id, link, b.patient_id, ("bill", b.id, "cancelled_at"))


def _paper(table: str, detail: str | None) -> str:
    for start, label in PAPERS.get(table, []):
        if (detail or "").startswith(start):
            return str(label)
    return detail or str(audit_words.TABLES.get(table, table))


def _from_audit_log(r: _Reader) -> None:
    """Prints of the records read, and what the log alone keeps of the patient's own
    rows: openings, merges, changed details (each event is the rows one act wrote)."""
    ids = [str(i) for i in r.ids]
    where = [and_(AuditLog.table_name == "patient", AuditLog.row_id.in_(ids),
                  AuditLog.action != "insert")]
    where += [and_(AuditLog.table_name == table, AuditLog.row_id.in_([str(i) for i in rows]),
                   AuditLog.action.in_(PRINTS))
              for table, rows in r.printable.items() if table != "patient" and rows]
    limit = r.shown * 4  # rows, not events: a change of details is a row per field
    rows = db.session.execute(select(AuditLog).where(or_(*where))
                              .order_by(AuditLog.id.desc()).limit(limit)).scalars().all()
    r.capped = r.capped or len(rows) == limit
    events = []
    for row in rows:  # newest first; one act's rows are together
        key = (row.at, row.username, row.action, row.table_name, row.row_id)
        if not events or events[-1][0] != key:
            events.append((key, []))
        events[-1][1].append(row)
    merged = set()
    for (at, username, action, table, row_id), group in reversed(events):
        printed = r.printable.get(table, {}).get(int(row_id)) if row_id and row_id.isdigit() \
            else None
        link, patient_id = printed or (None, None)
        if action in PRINTS:
            words = _("Printed again: %(paper)s") if action == "reprint" else \
                _("Printed: %(paper)s")
            r.add(at, words % {"paper": _paper(table, group[0].new_value)}, link=link,
                  patient_id=patient_id, who=username)
        elif action == "view":
            page = PAGES.get(group[0].new_value)
            r.add(at, _("Record opened: %(page)s", page=page) if page else
                  _("Record opened"), link=link, patient_id=patient_id, who=username)
        elif action == "update":
            fields = {row.field: row for row in group}
            if "merged_into_id" in fields and fields["merged_into_id"].new_value:
                merged.add(int(row_id))
                r.add(at, _merge_words(r, int(row_id)), link=link, who=username)
            changes = [f"{row.field_text}: {row.old_text or '—'} → {row.new_text or '—'}"
                       for row in group if row.field not in NOT_DETAILS]
            if changes:
                r.add(at, _("Details changed: %(changes)s", changes="; ".join(changes)),
                      link=link, patient_id=patient_id, who=username)
    if not r.capped:  # a merge from before the audit log: its time is not known
        for p in r.patients.values():
            if p.merged_into_id and p.id not in merged:
                r.add(None, _merge_words(r, p.id), link=r.printable["patient"][p.id][0])


def _merge_words(r: _Reader, duplicate_id: int) -> str:
    duplicate = r.patients[duplicate_id]
    kept = r.patients.get(duplicate.merged_into_id)
    return _("Duplicate record %(duplicate)s merged into %(kept)s: %(reason)s",
             duplicate=duplicate.uhid, kept=kept.uhid if kept else "",
             reason=duplicate.merge_reason or "")


def _who(r: _Reader, lines: list[Line]) -> None:
    """Usernames: the record's own user column, else the audit log's row of the insert
    (or of the field) that made the line, for rows written without a user."""
    users = {line.user_id for line in lines if line.user_id}
    names = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_(users))).all()) if users else {}
    wanted = defaultdict(set)  # (table, field) → row ids
    for line in lines:
        line.who = line.who or names.get(line.user_id)
        if line.who is None and line.source:
            table, row_id, field = line.source
            wanted[(table, field)].add(str(row_id))
    if not wanted:
        return
    where = [and_(AuditLog.table_name == table, AuditLog.row_id.in_(ids),
                  AuditLog.action == "insert" if field is None else AuditLog.field == field)
             for (table, field), ids in wanted.items()]
    found = {}
    for table, row_id, field, username in db.session.execute(select(
            AuditLog.table_name, AuditLog.row_id, AuditLog.field, AuditLog.username)
            .where(or_(*where)).order_by(AuditLog.id)):
        found[(table, row_id, field)] = username  # the latest, for a field set twice
    for line in lines:
        if line.who is None and line.source:
            table, row_id, field = line.source
            line.who = found.get((table, str(row_id), field))


def read(patient: Patient, shown: int = SHOWN) -> tuple[list[Line], bool]:
    """The patient's lines, oldest first (a time not known last), the latest `shown` of
    them; and whether older ones were left out."""
    r = _Reader(patient, shown)
    for source in (_registrations, _visits, _admissions, _lab, _billing, _from_audit_log):
        source(r)
    lines = sorted(r.lines, key=lambda x: (x.at is None, x.at or EARLIEST, x.seq))
    if len(lines) > shown:
        lines, r.capped = lines[-shown:], True
    _who(r, lines)
    return lines, r.capped
