"""The audit log read as events: the rows one change wrote (one per field, in the same
instant, by the same person, on the same record) gathered into one line that says who did
what to which record, field by field from → to, in the user's language; searchable by
patient (everything recorded about them: their record, visits, bills and charges,
admissions, lab orders) and by user."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select

from app.extensions import db

from . import audit_words
from .models import AuditLog

SHOWN = 200  # events, newest first
# Tables whose rows belong to a patient (table, model path): what "about this patient" reads.
PATIENT_TABLES = (("opd_visit", "app.opd.models", "OpdVisit"),
                  ("consultation", None, None),
                  ("bill", "app.billing.models", "Bill"),
                  ("charge", "app.billing.models", "Charge"),
                  ("admission", "app.ipd.models", "Admission"),
                  ("lab_order", "app.lab.models", "LabOrder"))


@dataclass
class Event:
    at: datetime
    username: str | None
    action: str
    table: str
    row_id: str | None
    changes: list = field(default_factory=list)   # (field, before, after) in words
    detail: str = ""

    @property
    def what(self) -> str:
        return str(audit_words.ACTIONS.get(self.action, self.action))

    @property
    def record(self) -> str:
        return str(audit_words.TABLES.get(self.table, self.table))


def _patient_rows(patient_ids: list[int]) -> list:
    """(table, row ids) of what belongs to these patients."""
    import importlib
    found = [("patient", [str(i) for i in patient_ids])]
    visits = []
    for table, module, name in PATIENT_TABLES:
        if module is None:
            continue
        model = getattr(importlib.import_module(module), name)
        ids = [str(i) for i in db.session.execute(
            select(model.id).where(model.patient_id.in_(patient_ids))).scalars()]
        if table == "opd_visit":
            visits = ids
        found.append((table, ids))
    if visits:  # a consultation belongs to its visit
        from app.opd.models import Consultation
        found.append(("consultation", [str(i) for i in db.session.execute(
            select(Consultation.id).where(Consultation.visit_id.in_(
                [int(v) for v in visits]))).scalars()]))
    return [(table, ids) for table, ids in found if ids]


def events(facility_id: int | None, patient_ids: list[int] | None = None,
           username: str | None = None, shown: int = SHOWN) -> list[Event]:
    """The newest `shown` events of a facility (all, for None), about these patients
    and/or by this user."""
    query = select(AuditLog)
    if facility_id is not None:
        query = query.where(AuditLog.facility_id == facility_id)
    if username:
        query = query.where(AuditLog.username == username)
    if patient_ids is not None:
        rows = _patient_rows(patient_ids)
        if not rows:
            return []
        query = query.where(or_(*[and_(AuditLog.table_name == table, AuditLog.row_id.in_(ids))
                                  for table, ids in rows]))
    # One event's rows are written together: read enough rows for `shown` events.
    rows = db.session.execute(query.order_by(AuditLog.id.desc()).limit(shown * 8)).scalars()
    out: list[Event] = []
    for row in rows:
        key = (row.at, row.username, row.action, row.table_name, row.row_id)
        last = out[-1] if out else None
        if last is None or (last.at, last.username, last.action, last.table,
                            last.row_id) != key:
            if len(out) == shown:
                break
            last = Event(row.at, row.username, row.action, row.table_name, row.row_id,
                         detail=row.new_value if row.action not in ("insert", "update",
                                                                    "delete") else "")
            out.append(last)
        if row.action == "update" and row.field:
            last.changes.append((row.field_text, row.old_text, row.new_text))
    return out
