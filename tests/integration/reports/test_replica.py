"""Reports read from the replica when HMIS_REPORTS_DATABASE_URL names one: the report's
SELECTs go to the "reports" bind, its audit write and the desk's work to the primary.
The replica here is the same database under a second engine, so both can be counted."""
from contextlib import contextmanager

from sqlalchemy import event

from app import create_app
from app.core.numbering import ist_today
from app.extensions import db
from tests.conftest import DEMO_PASSWORD, login


@contextmanager
def statements(engine):
    seen = []

    def count(_conn, _cursor, statement, _params, _context, _many):
        if not statement.startswith("BEGIN"):
            seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_reports_read_the_replica_and_write_the_primary(app, db_url):
    replicated = create_app({**{k: app.config[k] for k in (
        "TESTING", "RATELIMIT_ENABLED", "WTF_CSRF_ENABLED", "SECRET_KEY", "SERVER_NAME")},
        "SQLALCHEMY_DATABASE_URI": db_url, "SQLALCHEMY_BINDS": {"reports": db_url},
        "DEMO_PASSWORD": DEMO_PASSWORD})
    with replicated.app_context():
        primary, replica = db.engines[None], db.engines["reports"]
    client = replicated.test_client()
    login(client, "supervisor.dhr")
    month = f"{ist_today():%Y-%m}"
    with statements(primary) as on_primary, statements(replica) as on_replica:
        assert client.get(f"/hmis/file.csv?month={month}").status_code == 200
    counting = [s for s in on_replica if "opd_visit" in s or "admission" in s]
    assert counting and not [s for s in on_primary if "FROM opd_visit" in s]
    assert any(s.startswith("INSERT INTO audit_log") for s in on_primary)   # the export
    assert not any(s.startswith(("INSERT", "UPDATE")) for s in on_replica)
    # a screen that is not a report reads the primary only
    with statements(replica) as on_replica:
        assert client.get("/registration/desk").status_code in (200, 302, 404)
        assert client.get("/opdvisitview/list/").status_code == 200
    assert on_replica == []
