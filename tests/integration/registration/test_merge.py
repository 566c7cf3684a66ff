"""Supervisors merge duplicates: nothing deleted, audited, the old UHID keeps resolving."""
import re

from app.billing.models import Charge
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
    with app.app_context():
        fee = db.session.query(Charge).filter_by(patient_id=duplicate["id"]).one()
        fee_id, fee_amount = fee.id, fee.amount
    supervisor = as_user("supervisor.dhr")
    # First the two side by side, and what the duplicate brings: its visit and its fee.
    resp = supervisor.post("/patients/merge/", data={
        "survivor": kept["uhid"], "duplicate": duplicate["uhid"], "action": "preview"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Hemraj Guleriya" in page and "Hem Raj Guleria" in page
    moves = page.split("hmis-merge-moves")[1].split("</table>")[0]
    assert re.search(r"OPD visits</td><td[^>]*>1<", moves)
    assert re.search(rf"Charges not yet billed</td><td[^>]*>1</td><td[^>]*>₹{fee_amount}<", moves)
    resp = supervisor.post("/patients/merge/", data={
        "survivor": kept["uhid"], "duplicate": duplicate["uhid"], "action": "merge",
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
    # The duplicate's unpaid fee waits at the counter under either UHID, and is billed
    # on the kept record.
    cashier = as_user("cashier.dhr")
    for pid in (kept["id"], duplicate["id"]):
        page = cashier.get(f"/cash/patient/{pid}").get_data(as_text=True)
        assert f'name="charge" value="{fee_id}"' in page
    resp = cashier.post(f"/cash/patient/{kept['id']}/bill", data={
        "charge": fee_id, "mode": "cash", "amount": str(fee_amount)})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Charge, fee_id).bill_id is not None


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


def test_the_merge_screen_lists_suspected_duplicates(api, as_user):
    import uuid
    clerk = api("clerk.dhr")
    mobile = f"97{uuid.uuid4().int % 10**8:08d}"
    first = _register(clerk, name="Bimla Thakur", mobile=mobile)
    second = _register(clerk, name="Bimla Devi Thakur", mobile=mobile)
    page = as_user("supervisor.dhr").get("/patients/merge/").get_data(as_text=True)
    suspects = page.split("hmis-suspects")[1].split("</table>")[0]
    row = [r for r in suspects.split("<tr>") if first["uhid"] in r]
    assert row and second["uhid"] in row[0]                 # paired, the older one first
    assert row[0].index(first["uhid"]) < row[0].index(second["uhid"])
