from sqlalchemy import event
from app.extensions import db
from tests.conftest import person
def test_dbg(app, as_user, api):
    with app.app_context():
        engine = db.engine
    seen = []
    def count(conn, cursor, statement, params, context, executemany):
        if not statement.startswith("BEGIN"): seen.append(statement[:150].replace("\n", " "))
    event.listen(engine, "before_cursor_execute", count)
    clerk = as_user("clerk.dhr")
    call = api("clerk.dhr")
    pid = call("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    visit = call("POST", "/api/v1/opd_visit/", json={"patient": pid, "department": 1}).get_json()
    vid = visit.get("id")
    for name, fn in [("desk", lambda: clerk.get("/desk/")), ("patient list", lambda: clerk.get("/patientview/list/")),
                     ("search api", lambda: call("GET", "/api/v1/patient/search?q=test")),
                     ("slip", lambda: clerk.get(f"/print/opd-slip/{vid}")),
                     ("register api", lambda: call("POST", "/api/v1/patient/", json=person(confirm_new=True))),
                     ]:
        fn()
        seen.clear(); r = fn(); print("DBG", name, r.status_code, len(seen))
        for s in seen: print("   ", s[:140])
    event.remove(engine, "before_cursor_execute", count)
