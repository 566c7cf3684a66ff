"""The audit trail: who/when/facility/table/row/field old → new/IP, in the same
transaction as the change; logins too; the log itself cannot be changed."""
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app.core.models import AuditLog, Department
from app.extensions import db


def _entries(app, table, row_id):
    with app.app_context():
        return db.session.query(AuditLog).filter_by(table_name=table, row_id=str(row_id)) \
            .order_by(AuditLog.id).all()


def test_create_is_audited_whole_and_an_update_field_by_field(api, app):
    call = api("supervisor.dhr")
    resp = call("POST", "/api/v1/department/", json={
        "code": "TBC", "name_en": "Chest and TB", "name_hi": "छाती एवं क्षय रोग"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert resp.status_code == 201
    dept_id = resp.get_json()["id"]
    created = _entries(app, "department", dept_id)
    inserted, = [e for e in created if e.action == "insert"]  # one row: all its values
    fields = json.loads(inserted.new_value)
    assert fields["code"] == "TBC" and fields["name_hi"] == "छाती एवं क्षय रोग"
    assert inserted.field is None and fields["is_clinical"] == "true"
    entry = created[0]
    assert entry.username == "supervisor.dhr" and entry.ip == "10.1.2.3"
    with app.app_context():
        from app.core.models import Facility
        assert entry.facility_id == db.session.query(Facility).filter_by(code="DHR").one().id
    assert entry.at is not None

    resp = call("PUT", f"/api/v1/department/{dept_id}", json={"name_en": "Pulmonary medicine"})
    assert resp.status_code == 200
    updates = [e for e in _entries(app, "department", dept_id) if e.action == "update"]
    assert [(e.field, e.old_value, e.new_value) for e in updates] == \
        [("name_en", "Chest and TB", "Pulmonary medicine")]


def test_audit_rows_roll_back_with_the_change(app):
    with app.app_context():
        before = db.session.query(AuditLog).count()
        dept = db.session.query(Department).first()
        dept.name_en = "Rolled back"
        db.session.flush()
        assert db.session.query(AuditLog).count() > before  # written in the same transaction
        db.session.rollback()
        assert db.session.query(AuditLog).count() == before


def test_web_form_change_is_audited(as_user, app):
    supervisor = as_user("supervisor.dhr")
    with app.app_context():
        dept = db.session.query(Department).filter_by(code="DEN").first()
        dept_id, facility_id = dept.id, dept.facility_id
    resp = supervisor.post(f"/departmentview/edit/{dept_id}", data={
        "facility": facility_id, "code": "DEN", "name_en": "Dental surgery",
        "name_hi": "दंत रोग", "is_clinical": "y", "active": "y"})
    assert resp.status_code == 302
    changes = [(e.field, e.old_value, e.new_value) for e in _entries(app, "department", dept_id)
               if e.action == "update"]
    assert ("name_en", "Dental", "Dental surgery") in changes


def test_logins_and_failed_logins_are_audited(client, app, make_user):
    user = make_user("Nurse", "RNC")
    client.post("/login/", data={"username": user, "password": "wrong-password-1"})
    from tests.conftest import login
    login(client, user)
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditLog).filter_by(username=user)
                   .order_by(AuditLog.id)]
        facility_ids = {e.facility_id for e in db.session.query(AuditLog).filter_by(username=user)}
    assert actions[-2:] == ["login_failed", "login"]
    assert None not in facility_ids


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET new_value = 'tampered'",
    "DELETE FROM audit_log",
])
def test_database_refuses_to_change_the_log(app, statement):
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.query(AuditLog).count() > 0


def test_auditor_searches_the_log(as_user, app):
    auditor = as_user("auditor")
    page = auditor.get("/auditlogview/list/?_flt_0_table_name=department&_flt_0_username=supervisor.dhr")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "supervisor.dhr" in body and "department" in body
    # No way to change an entry: no add/edit/delete endpoints for anyone.
    assert auditor.get("/auditlogview/add").status_code == 404
    admin = as_user("admin")
    assert admin.get("/auditlogview/edit/1").status_code == 404
    assert admin.get("/auditlogview/delete/1").status_code in (404, 405)


def test_supervisor_sees_only_own_facility_audit(as_user, app):
    body = as_user("supervisor.rnc").get("/auditlogview/list/?psize_AuditLogView=100") \
        .get_data(as_text=True)
    assert "supervisor.dhr" not in body


def test_unticking_active_deactivates_and_is_audited(as_user, app):
    """Masters are deactivated, never deleted; an unticked checkbox is a valid 'no'."""
    with app.app_context():
        dept = db.session.query(Department).filter_by(code="PSY").first()
        dept_id, facility_id = dept.id, dept.facility_id
    resp = as_user("supervisor.dhr").post(f"/departmentview/edit/{dept_id}", data={
        "facility": facility_id, "code": "PSY", "name_en": "Psychiatry", "name_hi": "मनोरोग",
        "is_clinical": "y"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Department, dept_id).active is False
    changes = [(e.field, e.old_value, e.new_value) for e in _entries(app, "department", dept_id)
               if e.action == "update"]
    assert ("active", "true", "false") in changes


def test_the_audit_log_reads_as_events_about_a_patient(api, as_user):
    from tests.conftest import person
    clerk = api("clerk.dhr")
    created = clerk("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()
    pk, uhid = created["id"], created["result"]["uhid"]
    resp = clerk("PUT", f"/api/v1/patient/{pk}", json={"mobile": "9816099999"})
    assert resp.status_code == 200, resp.get_json()
    page = as_user("auditor", lang="hi").get(f"/audit/events/?patient={uhid}").get_data(as_text=True)
    events = page.split("hmis-audit-events")[1]
    # One line for the registration, one for the change of mobile with before and after.
    assert "बनाया गया" in events and "बदला गया" in events and "9816099999" in events
    assert "मोबाइल" in events                       # the field named in words
    other = api("clerk.rnc")("POST", "/api/v1/patient/", json=person(confirm_new=True))
    theirs = other.get_json()["result"]["uhid"]
    refused = as_user("supervisor.dhr").get(f"/audit/events/?patient={theirs}")
    assert "No such record" in refused.get_data(as_text=True)


def test_the_access_log_says_who_opened_or_printed_a_record(api, as_user, new_department):
    from tests.conftest import person
    clerk = api("clerk.dhr")
    created = clerk("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()
    pk, uhid = created["id"], created["result"]["uhid"]
    visit = clerk("POST", "/api/v1/opd_visit/", json={
        "patient": pk, "department": new_department()}).get_json()["id"]
    as_user("supervisor.dhr").get(f"/patientview/show/{pk}")           # opened
    printed = as_user("clerk.dhr").get(f"/print/opd-slip/{visit}?size=a5")   # printed
    assert printed.status_code == 200, printed.status_code
    as_user("cashier.dhr").get(f"/cash/patient/{pk}")                     # opened
    page = as_user("auditor").get(f"/audit/access/?patient={uhid}").get_data(as_text=True)
    rows = page.split("hmis-audit-events")[1]
    assert "supervisor.dhr" in rows and "cashier.dhr" in rows and "clerk.dhr" in rows
    assert "Opened the record" in rows and "Printed" in rows
    assert "Created" not in rows                 # only who opened or printed
    by_user = as_user("auditor").get("/audit/access/?user=cashier.dhr").get_data(as_text=True)
    assert "cashier.dhr" in by_user.split("hmis-audit-events")[1]
