"""Audit trail: every insert, update and delete of our data lands in audit_log in the
same transaction, plus security events such as logins. A change is one row per changed
field (old → new); a new row is one row holding all its values as JSON (a 20-analyte lab
panel is 20 audit rows, not 400: the log was most of the database's bytes).

The listener runs in `after_flush`, where new rows already have their ids and the
attribute history still shows old → new values.
"""
import json
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .models import AuditLog, utcnow

# Tables whose changes are not audited: the log itself, FAB's permission catalogue,
# which sync-roles rebuilds (role assignments to users are audited through ab_user),
# and derived search indexes.
SKIP_TABLES = {
    "audit_log", "ab_permission", "ab_view_menu", "ab_permission_view",
    "ab_permission_view_role", "alembic_version",
    "patient_name_token",  # a search index derived from patient.name, which is audited
}
# Columns never copied into the log.
SECRET_COLUMNS = {"password"}
# Columns that change on every login; the login itself is its own audit event.
NOISE_COLUMNS = {("ab_user", "last_login"), ("ab_user", "login_count"),
                 ("ab_user", "fail_login_count"), ("ab_user", "changed_on"),
                 ("ab_user", "session_generation"),
                 ("ab_user", "changed_by_fk"),
                 ("patient", "mobile_rev")}  # derived from the mobile, which is audited


def _text(value):
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"({len(value)} bytes)"  # a photo or file: its size, not its content
    if hasattr(value, "__table__"):  # related object: record its key
        ident = inspect(value).identity
        return ",".join(map(str, ident)) if ident else None
    return str(value)


def actor() -> dict:
    """Who is acting: the logged-in user (web or JWT) and the client's address."""
    if not has_request_context():
        # Command-line work (migrations, seed, sync-roles, create-user) is recorded as such.
        return {"user_id": None, "username": "cli", "ip": None}
    from .scoping import acting_user
    user = acting_user()
    return {
        "user_id": getattr(user, "id", None),
        "username": getattr(user, "username", None),
        "ip": request.remote_addr,
    }


def _facility_of(obj):
    fid = getattr(obj, "facility_id", None)
    if fid is None and obj.__class__.__name__ == "Facility":
        fid = obj.id
    return fid


def _columns(mapper) -> tuple[str, list[str]]:
    """A mapper's table and the columns its audit entries record (cached: every flush
    asks)."""
    found = _COLUMNS.get(mapper)
    if found is None:
        table = mapper.persist_selectable.name
        found = _COLUMNS[mapper] = (table, [
            a.key for a in mapper.column_attrs
            if a.key not in SECRET_COLUMNS and (table, a.key) not in NOISE_COLUMNS])
    return found


_COLUMNS: dict = {}


def _rows_for(obj, action, who, now):
    state = inspect(obj)
    mapper = state.mapper
    table, columns = _columns(mapper)
    if table in SKIP_TABLES:
        return []
    pk = ",".join(str(v) for v in mapper.primary_key_from_instance(obj))
    base = dict(at=now, action=action, table_name=table, row_id=pk,
                facility_id=_facility_of(obj), **who)
    if action == "insert":
        # The values as the flush wrote them (read from the object: nothing is loaded).
        values = state.dict
        created = {key: _text(values[key]) for key in columns
                   if key != "id" and values.get(key) is not None}
        return [dict(base, field=None, old_value=None,
                     new_value=json.dumps(created, ensure_ascii=False, sort_keys=True))]
    rows = []
    for key in columns:
        hist = state.attrs[key].history
        if action == "delete":
            value = hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            rows.append(dict(base, field=key, old_value=_text(value), new_value=None))
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _text(old) != _text(new):
                rows.append(dict(base, field=key, old_value=_text(old), new_value=_text(new)))
    if action == "update":
        for key in SECRET_COLUMNS.intersection(mapper.column_attrs.keys()):
            if state.attrs[key].history.has_changes():
                rows.append(dict(base, field=key, old_value=None, new_value="(changed)"))
        # Many-to-many collections (roles of a user, departments of a staff member).
        for rel in mapper.relationships:
            if rel.secondary is None:
                continue
            hist = state.attrs[rel.key].history
            if hist.added or hist.deleted:
                rows.append(dict(base, field=rel.key,
                                 old_value=", ".join(sorted(str(o) for o in hist.deleted)) or None,
                                 new_value=", ".join(sorted(str(o) for o in hist.added)) or None))
    if action == "delete" and not rows:
        rows.append(dict(base, field=None, old_value=None, new_value=None))
    return rows


def _after_flush(session: Session, flush_context):
    who = actor()
    now = utcnow()
    rows = []
    for obj in session.new:
        rows += _rows_for(obj, "insert", who, now)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=True):
            rows += _rows_for(obj, "update", who, now)
    for obj in session.deleted:
        rows += _rows_for(obj, "delete", who, now)
    if rows:
        session.connection().execute(insert(AuditLog.__table__), rows)


def record_event(session: Session, action: str, table: str, row_id=None,
                 facility_id=None, detail=None, username=None, user_id=None) -> None:
    """Log a non-data event (login, failed login, lock-out, print, export) in the
    caller's transaction; the caller commits."""
    who = actor()
    if username is not None:
        who["username"] = username
    if user_id is not None:
        who["user_id"] = user_id
    session.connection().execute(insert(AuditLog.__table__), [dict(
        at=utcnow(), action=action, table_name=table,
        row_id=None if row_id is None else str(row_id), facility_id=facility_id,
        field=None, old_value=None, new_value=detail, **who)])


def init_audit(session_factory) -> None:
    if not event.contains(session_factory, "after_flush", _after_flush):
        event.listen(session_factory, "after_flush", _after_flush)


# Append-only at the database: refuses UPDATE and DELETE on audit_log.
POSTGRES_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (DELETE refused)'); END""",
]
