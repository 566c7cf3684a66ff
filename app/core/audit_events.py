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
# Search indexes and stored files derived from the record, which is itself audited.
NOT_RECORDS = {"patient_name_token", "patient_photo"}
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
    """(table, row ids) of everything recorded about these patients: their own rows, the
    rows of every table with a patient_id (visits, bills, charges, admissions, lab orders,
    samples, results...), and the rows that hang from those (a bill's payments, a visit's
    consultation, an admission's bed stays, vitals, notes, medicines, consents...), read
    from the foreign keys, so a table added later is covered."""
    from flask_appbuilder import Model
    from sqlalchemy import Table
    tables = [t for t in Model.metadata.sorted_tables if t.name not in NOT_RECORDS
              and "id" in t.c]
    found = {"patient": [str(i) for i in patient_ids]}
    owned = {}
    # A patient's rows are their facility's: saying so lets the lookups use the indexes
    # that begin with the facility (charges, lab orders...).
    facilities = list(db.session.execute(select(Model.metadata.tables["patient"].c.facility_id)
                                         .where(Model.metadata.tables["patient"].c.id.in_(
                                             patient_ids)).distinct()).scalars())
    for table in tables:
        if "patient_id" in table.c and table.name != "patient":
            where = [table.c.patient_id.in_(patient_ids)]
            if "facility_id" in table.c:
                where.append(table.c.facility_id.in_(facilities))
            ids = list(db.session.execute(select(table.c.id).where(*where)).scalars())
            if ids:
                owned[table.name] = ids
    for table in tables:  # one level down: rows whose foreign key names an owned row
        for fk in table.foreign_keys:
            parent = fk.column.table
            if isinstance(parent, Table) and parent.name in owned and \
                    table.name not in owned and fk.parent.name != "patient_id":
                ids = list(db.session.execute(select(table.c.id).where(
                    fk.parent.in_(owned[parent.name]))).scalars())
                if ids:
                    found.setdefault(table.name, []).extend(str(i) for i in ids)
    for name, ids in owned.items():
        found[name] = [str(i) for i in ids]
    return [(name, sorted(set(ids))) for name, ids in found.items() if ids]


ACCESS = ("view", "print", "reprint")


def events(facility_id: int | None, patient_ids: list[int] | None = None,
           username: str | None = None, shown: int = SHOWN,
           actions: tuple | None = None) -> list[Event]:
    """The newest `shown` events of a facility (all, for None), about these patients
    and/or by this user (of these actions only: ACCESS, who opened or printed)."""
    query = select(AuditLog)
    if actions:
        query = query.where(AuditLog.action.in_(actions))
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
