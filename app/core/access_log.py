"""Who opened which patient's record (India's DPDP Act asks who saw health data): a
department names the pages that show a patient's record and how to find the patient from
the page's URL; every such page served (200) to a user writes a "view" event to the audit
log. Prints are audited where they are made. Auditors read both at /audit/access."""
from typing import Callable

from flask import request

WATCHED: dict[str, Callable[[dict], tuple[int, int] | None]] = {}


def watch(endpoint: str, patient_of: Callable[[dict], tuple[int, int] | None]) -> None:
    """patient_of(view_args) → (patient id, facility id) of the record the page shows."""
    WATCHED[endpoint] = patient_of


def _log_access(response):
    if request.method != "GET" or response.status_code != 200 or \
            request.endpoint not in WATCHED:
        return response
    from app.extensions import db

    from .audit import record_event
    found = WATCHED[request.endpoint](request.view_args or {})
    if found is not None:
        patient_id, facility_id = found
        record_event(db.session, "view", "patient", patient_id, facility_id=facility_id,
                     detail=request.endpoint)
        db.session.commit()
    return response


def init_app(app) -> None:
    app.after_request(_log_access)
