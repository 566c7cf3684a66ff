"""Supervisors merge duplicates: nothing deleted, audited, the old UHID keeps resolving."""
from app.core.models import AuditLog
from app.extensions import db
from app.registration.models import Patient
from tests.conftest import denied, person


def _register(call, **over):
    resp = call("POST", "/api/v1/patient/", json=person(confirm_new=True, **over))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["result"]


def test_merge_keeps_old_uhid_resolving(api, as_user, app, new_department):
    clerk = api("clerk.dhr")
    kept = _register(clerk, name="Hem Raj Guleria", mobile="9418555001")
    duplicate = _register(clerk, name="Hemraj Guleriya", abha_number="91234567890123")
    visit = clerk("POST", "/api/v1/opd_visit/", json={"patient": duplicate["id"],
                                                       "department": new_department()})
    assert visit.status_code == 201
    supervisor = as_user("supervisor.dhr")
    resp = supervisor.post("/patients/merge/", data={
        "survivor": kept["uhid"], "duplicate": duplicate["uhid"],
        "reason": "Same person registered twice at the counter"})
    assert resp.status_code == 302
    with app.app_context():
        old = db.session.get(Patient, duplicate["id"])
        assert old is not None and old.merged_into_id == kept["id"]      # not deleted
        survivor = db.session.get(Patient, kept["id"])
        assert survivor.abha_number == "91234567890123"   # details the survivor lacked
        merged = db.session.query(AuditLog).filter_by(table_name="patient",
                                                      row_id=str(duplicate["id"]),
                                                      field="merged_into_id").one()
        assert merged.username == "supervisor.dhr" and merged.new_value == str(kept["id"])
    # The old UHID opens the surviving record, in search and at the desk.
    found = clerk("GET", f"/api/v1/patient/search?q={duplicate['uhid']}").get_json()["result"]
    assert [p["id"] for p in found] == [kept["id"]]
    # The duplicate's visit today counts as the survivor's: no second token in that OPD.
    dept = visit.get_json()["result"]["department"]["id"]
    again = clerk("POST", "/api/v1/opd_visit/", json={"patient": kept["id"], "department": dept})
    assert again.status_code == 422


def test_merge_refusals(as_user, api, app):
    clerk = api("clerk.dhr")
    a, b = _register(clerk), _register(clerk)
    supervisor = as_user("supervisor.dhr", lang="hi")
    resp = supervisor.post("/patients/merge/", data={"survivor": a["uhid"], "duplicate": a["uhid"],
                                                     "reason": "x"})
    assert resp.status_code == 200 and "नहीं मिलाया जा सकता" in resp.get_data(as_text=True)
    resp = supervisor.post("/patients/merge/", data={"survivor": a["uhid"],
                                                     "duplicate": b["uhid"], "reason": " "})
    assert "कारण" in resp.get_data(as_text=True)
    rnc = _register(api("clerk.rnc"))
    resp = supervisor.post("/patients/merge/", data={"survivor": a["uhid"],
                                                     "duplicate": rnc["uhid"], "reason": "x"})
    assert "रिकॉर्ड" in resp.get_data(as_text=True)   # no such record (other facility)
    with app.app_context():
        assert db.session.get(Patient, b["id"]).merged_into_id is None
        assert db.session.get(Patient, rnc["id"]).merged_into_id is None
    assert denied(as_user("clerk.dhr").get("/patients/merge/"))
