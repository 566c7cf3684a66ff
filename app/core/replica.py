"""Reports read from a streaming read replica when HMIS_REPORTS_DATABASE_URL is set (the
"reports" bind), else from the primary: a report view marked `on_replica` sends its plain
SELECTs there, so a month's counting never competes with the registration desk for the
primary. Writes in the same request (an export's audit row, the access log) and locking
reads still go to the primary, which alone accepts them."""
from functools import wraps

from flask import g, has_request_context
from flask_sqlalchemy.session import Session
from sqlalchemy import Select

BIND = "reports"


def on_replica(view):
    @wraps(view)
    def reading_reports(*args, **kwargs):
        g.read_replica = True
        return view(*args, **kwargs)
    return reading_reports


class ReplicaSession(Session):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and isinstance(clause, Select) and clause._for_update_arg is None \
                and has_request_context() and g.get("read_replica"):
            engines = self._db.engines
            if BIND in engines:
                return engines[BIND]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
