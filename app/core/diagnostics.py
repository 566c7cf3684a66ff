"""HMIS_SQL_COUNT=1: every response tells how many SQL statements it cost, in an
X-SQL-Statements header, for the load harness (bench/http_load.py) and anyone profiling a
deployment. Off by default: it costs a little on every statement."""
from flask import g, has_request_context
from sqlalchemy import event


def init_app(app, engine) -> None:
    if not app.config.get("SQL_COUNT"):
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, _params, _context, _many):
        if has_request_context() and not statement.startswith("BEGIN"):
            g.hmis_sql = g.get("hmis_sql", 0) + 1

    @app.after_request
    def _header(response):
        response.headers["X-SQL-Statements"] = str(g.get("hmis_sql", 0))
        return response
