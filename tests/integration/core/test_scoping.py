"""Facility isolation through generated views and the REST API alike."""
import pytest

from app.core.models import Department, Facility
from app.extensions import db
from tests.conftest import denied


@pytest.fixture
def rnc_department_id(app):
    with app.app_context():
        rnc = db.session.query(Facility).filter_by(code="RNC").one()
        return db.session.query(Department).filter_by(facility_id=rnc.id, code="MED").one().id


def test_clerk_lists_only_own_facility(as_user):
    page = as_user("clerk.dhr").get("/departmentview/list/").get_data(as_text=True)
    assert "Zonal Hospital Dharamshala" in page
    assert "Sadar Hospital Ranchi" not in page


def test_other_facility_record_is_not_found_in_views(as_user, rnc_department_id):
    clerk = as_user("clerk.dhr")
    assert clerk.get(f"/departmentview/show/{rnc_department_id}").status_code == 404
    supervisor = as_user("supervisor.dhr")
    assert supervisor.get(f"/departmentview/edit/{rnc_department_id}").status_code == 404
    resp = supervisor.post(f"/departmentview/edit/{rnc_department_id}",
                           data={"code": "HACK", "name_en": "x", "name_hi": "x"})
    assert resp.status_code == 404


def test_api_lists_and_gets_only_own_facility(api, rnc_department_id):
    call = api("clerk.dhr")
    listing = call("GET", "/api/v1/department/?q=(page_size:100)").get_json()
    codes = {row["facility"]["code"] for row in listing["result"]}
    assert codes == {"DHR"}
    assert listing["count"] == len(listing["result"])
    assert call("GET", f"/api/v1/department/{rnc_department_id}").status_code == 404
    facilities = call("GET", "/api/v1/facility/").get_json()["result"]
    assert [f["code"] for f in facilities] == ["DHR"]


def test_api_write_into_other_facility_is_refused(api, app, rnc_department_id):
    call = api("supervisor.dhr", lang="hi")
    with app.app_context():
        rnc_id = db.session.query(Facility).filter_by(code="RNC").one().id
        before = db.session.query(Department).count()
    resp = call("POST", "/api/v1/department/", json={
        "facility": rnc_id, "code": "XYZ", "name_en": "Other", "name_hi": "अन्य"})
    assert resp.status_code == 422
    body = resp.get_json()
    assert "facility" in body["message"]
    assert "स्वास्थ्य संस्था" in body["message"]["facility"][0]  # field named, in Hindi
    resp = call("PUT", f"/api/v1/department/{rnc_department_id}", json={"name_en": "Hacked"})
    assert resp.status_code == 404
    with app.app_context():
        assert db.session.query(Department).count() == before
        assert db.session.get(Department, rnc_department_id).name_en == "Medicine"


def test_supervisor_adds_department_to_own_facility_by_default(api, app):
    call = api("supervisor.dhr")
    resp = call("POST", "/api/v1/department/", json={
        "code": "GER", "name_en": "Geriatrics", "name_hi": "वृद्धावस्था रोग"})
    assert resp.status_code == 201, resp.get_json()
    with app.app_context():
        dept = db.session.get(Department, resp.get_json()["id"])
        assert dept.facility.code == "DHR"


def test_auditor_and_admin_see_all_facilities(as_user, api):
    for user in ("auditor", "admin"):
        page = as_user(user).get("/facilityview/list/").get_data(as_text=True)
        assert "Zonal Hospital Dharamshala" in page and "Sadar Hospital Ranchi" in page
    listing = api("auditor")("GET", "/api/v1/department/?q=(page_size:100)").get_json()
    assert {row["facility"]["code"] for row in listing["result"]} >= {"DHR", "RNC"}


def test_auditor_is_read_only(as_user, api, app):
    auditor = as_user("auditor")
    resp = auditor.get("/departmentview/add")
    assert denied(resp)  # FAB redirects to login with "access denied"
    with app.app_context():
        dhr_id = db.session.query(Facility).filter_by(code="DHR").one().id
    resp = api("auditor")("POST", "/api/v1/department/", json={
        "facility": dhr_id, "code": "AUD", "name_en": "A", "name_hi": "अ"})
    assert resp.status_code == 403
