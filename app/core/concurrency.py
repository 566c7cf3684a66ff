"""Check-then-write made safe by the database, once for every department.

- `lock(row)` re-reads a row `SELECT ... FOR UPDATE` before a money, bed or visit act
  checks it: a second cashier paying the same bill waits for the first to commit and
  then sees the new balance, instead of both reading the old one.
- `lock_keys(...)` serialises acts that would create a row another transaction may be
  creating at the same moment (two clerks registering the same person): a
  transaction-scoped advisory lock per key on PostgreSQL.
- SQLite has no row locks: every transaction of a web request begins IMMEDIATE (it takes
  the database's write lock at once), so requests that write are serialised whole and a
  read can never be overtaken between check and write.
- Whatever still collides (a unique or check constraint, a deadlock, a lock wait that
  timed out) answers 409 with a message in the user's language and saves nothing.
"""
import hashlib
import logging
import re

from flask import has_request_context
from flask_babel import gettext as _
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.exc import DBAPIError, DataError, IntegrityError, OperationalError

from app.extensions import db

log = logging.getLogger(__name__)


def lock(row):
    """Re-read `row` locked for update until the transaction ends, so that what is
    checked next is the latest state and stays so (PostgreSQL; SQLite holds the whole
    database's write lock already). A row written in this transaction is ours alone."""
    state = inspect(row)
    locked = db.session.info.setdefault("hmis_locked", set())
    if not state.persistent or state.key in locked or \
            db.session.get_bind().dialect.name != "postgresql":
        return row
    db.session.flush()  # our own pending changes are not to be lost by the re-read
    # OF the row's own table: its eagerly joined relations are not locked (PostgreSQL
    # refuses FOR UPDATE on the nullable side of an outer join).
    db.session.refresh(row, with_for_update={"of": type(row)})
    # Collections loaded before the lock (an admission's bed stays) may miss what the
    # transaction we waited for added: load them again when next used.
    loaded = [r.key for r in state.mapper.relationships if r.key in state.dict]
    if loaded:
        db.session.expire(row, loaded)
    locked.add(state.key)
    return row


def locked_rows(stmt, model) -> list:
    """The `model` rows `stmt` reads, locked for update as they are read (PostgreSQL):
    what `lock()` gives after a plain read, without reading the rows and all they load a
    second time. `lock()` on them is then free."""
    if db.session.get_bind().dialect.name != "postgresql":
        return db.session.execute(stmt).unique().scalars().all()
    db.session.flush()
    rows = db.session.execute(stmt.with_for_update(of=model).execution_options(
        populate_existing=True)).unique().scalars().all()
    db.session.info.setdefault("hmis_locked", set()).update(inspect(r).key for r in rows)
    return rows


@event.listens_for(Session, "after_transaction_end")
def _locks_released(session, transaction):
    if transaction.parent is None:
        session.info.pop("hmis_locked", None)


def lock_all(rows):
    """Lock several rows in id order, so that two acts locking the same rows cannot
    deadlock."""
    for row in sorted(rows, key=lambda r: r.id):
        lock(row)
    return rows


def _key(name: str) -> int:
    """A stable signed 64-bit key (Python's hash() differs between processes)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big",
                          signed=True)


def lock_keys(*names: str) -> None:
    """Hold a lock on each non-empty name until this transaction ends (PostgreSQL
    advisory locks, taken in a fixed order; SQLite is serialised already)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted({_key(n) for n in names if n}):
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


# --- SQLite: writers take the lock before they read ----------------------------------

def serialise_sqlite_requests(engine) -> None:
    """Begin every transaction of a web request with BEGIN IMMEDIATE. pysqlite's own
    deferred BEGIN would let two requests read the same balance and then queue to write
    it; a deferred transaction that read before another committed cannot write at all
    ("database is locked"). Work outside requests (CLI, tests' own sessions) keeps
    pysqlite's usual behaviour (reads see the latest data; BEGIN before the first
    write), so a long report or a test never blocks the server."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _no_driver_begin(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we say BEGIN ourselves

    @event.listens_for(engine, "begin")
    def _begin(connection):
        if has_request_context():
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_write(connection, cursor, statement, _params, _context, _many):
        if not connection.connection.dbapi_connection.in_transaction and \
                statement.lstrip()[:7].upper() in _WRITES:
            cursor.execute("BEGIN")


_WRITES = {"INSERT ", "UPDATE ", "DELETE ", "REPLACE"}


# --- what a race loser is told ----------------------------------------------------------

def conflict_message() -> str:
    return _("Someone else changed this record at the same moment, so nothing was saved. "
             "Look at it again and repeat if still needed.")


def _is_conflict(err: DBAPIError) -> bool:
    if isinstance(err, IntegrityError):
        return True
    code = getattr(getattr(err, "orig", None), "sqlstate", None)
    # serialization_failure, deadlock_detected, lock_not_available, query_canceled
    # (lock_timeout / statement_timeout)
    if code in ("40001", "40P01", "55P03", "57014"):
        return True
    return isinstance(err, OperationalError) and "database is locked" in str(err.orig)


def unique_columns(err) -> list[str]:
    """The columns of the unique key a write collided with (facility_id left out), from
    PostgreSQL's "Key (facility_id, code)=..." or SQLite's "UNIQUE constraint failed:
    department.facility_id, department.code"; [] for other errors."""
    if not isinstance(err, IntegrityError):
        return []
    detail = getattr(getattr(err.orig, "diag", None), "message_detail", None) or ""
    match = re.match(r"Key \(([^)]*)\)=", detail)
    if match:
        columns = [c.strip() for c in match.group(1).split(",")]
    else:
        match = re.search(r"UNIQUE constraint failed: (.*)$", str(err.orig))
        columns = [c.strip().rpartition(".")[2] for c in match.group(1).split(",")] \
            if match else []
    return [c for c in columns if c != "facility_id"]


def api_error(err) -> tuple[int, str] | None:
    """(status, message) for a database error an API call ran into, else None: a
    collision is 409; a value the database refused (out of range, a NUL character, a
    number SQLite cannot bind) 422."""
    if isinstance(err, DBAPIError) and _is_conflict(err):
        return 409, conflict_message()
    if isinstance(err, (DataError, OverflowError)):
        return 422, _("A value is out of range or contains characters that are not "
                      "allowed; nothing was saved.")
    return None


def _database_error(err):
    answer = api_error(err)
    if answer is None:
        raise err
    db.session.rollback()
    log.info("database refused a value, answered %s: %s", answer[0],
             getattr(err, "orig", err))
    from .errors import error_page
    return error_page(*answer)


def init_app(app) -> None:
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(OverflowError, _database_error)
