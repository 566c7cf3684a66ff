"""Bad input: a clear message in the user's language naming the field; nothing saved."""
import pytest

from app.core.models import Department, District, Facility, State
from app.extensions import db
from tests.conftest import unique_code


@pytest.fixture
def hp(app):
    with app.app_context():
        state = db.session.query(State).filter_by(lgd_code=2).one()
        district = db.session.query(District).filter_by(lgd_code=18).one()
        other = db.session.query(District).filter_by(lgd_code=339).one()  # Ranchi
        return state.id, district.id, other.id


def _facility(hp, **over):
    state, district, _ = hp
    data = {"code": unique_code(), "name_en": "Civil Hospital Palampur",
            "name_hi": "सिविल अस्पताल पालमपुर", "facility_type": "DH", "state": state,
            "district": district, "active": "y"}
    data.update(over)
    return data


def _count(app, model):
    with app.app_context():
        return db.session.query(model).count()


@pytest.mark.parametrize("override,field_text", [
    ({"code": "dh1"}, "2 से 6"),                         # malformed code
    ({"code": "DHR"}, "पहले से"),                        # duplicate code
    ({"name_en": ""}, "आवश्यक"),                          # empty required
    ({"name_en": "x" * 151}, "150"),                     # over-long
    ({"name_hi": "12345"}, "अक्षर"),                     # digits-only name
    ({"hfr_id": "IN12"}, "IN"),                          # malformed HFR ID
    ({"pin_code": "076215"}, "PIN"),
    ({"phone": "12ab"}, "10"),
])
def test_facility_form_rejects_bad_input_in_hindi(as_user, app, hp, override, field_text):
    admin = as_user("admin", lang="hi")
    before = _count(app, Facility)
    resp = admin.post("/facilityview/add", data=_facility(hp, **override))
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert field_text in body, body[body.find("help-block") - 200: body.find("help-block") + 400]
    assert _count(app, Facility) == before


def test_facility_district_must_be_in_state(as_user, app, hp):
    before = _count(app, Facility)
    resp = as_user("admin").post("/facilityview/add", data=_facility(hp, district=hp[2]))
    assert "not in the chosen state" in resp.get_data(as_text=True)
    assert _count(app, Facility) == before


def test_facility_form_accepts_good_input(as_user, app, hp):
    code = unique_code()
    resp = as_user("admin").post("/facilityview/add", data=_facility(hp, code=code,
                                                                    hfr_id=None))
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.query(Facility).filter_by(code=code).one().name_hi == \
            "सिविल अस्पताल पालमपुर"


@pytest.mark.parametrize("payload,field,fragment", [
    ({"code": "DHR"}, "code", "पहले से"),
    ({"code": "d-1"}, "code", "2 से 6"),
    ({"name_en": None}, "name_en", "आवश्यक"),
    ({"name_en": "x" * 151}, "name_en", "150"),
    ({"code": "ABCDEFGHIJ"}, "code", "6"),
    ({"state": 999999}, "state", "रिकॉर्ड"),
    ({"facility_type": "HOSP"}, "facility_type", "विकल्प"),
])
def test_facility_api_rejects_bad_input_in_callers_language(api, app, hp, payload, field,
                                                             fragment):
    state, district, _ = hp
    body = {"code": unique_code(), "name_en": "CHC Shahpur", "name_hi": "सीएचसी शाहपुर",
            "facility_type": "CHC", "state": state, "district": district}
    body.update(payload)
    before = _count(app, Facility)
    resp = api("admin", lang="hi")("POST", "/api/v1/facility/", json=body)
    assert resp.status_code == 422, resp.get_json()
    messages = resp.get_json()["message"]
    assert field in messages, messages
    assert fragment in messages[field][0], messages
    assert _count(app, Facility) == before


def test_api_messages_in_english_by_default(api, hp):
    state, district, _ = hp
    resp = api("admin")("POST", "/api/v1/facility/", json={
        "code": "DHR", "name_en": "Dup", "name_hi": "डुप", "facility_type": "CHC",
        "state": state, "district": district})
    assert resp.status_code == 422
    assert resp.get_json()["message"]["code"] == [
        "Code: A facility with this code already exists."]


def test_department_code_duplicate_within_facility(api, app):
    before = _count(app, Department)
    resp = api("supervisor.dhr")("POST", "/api/v1/department/", json={
        "code": "MED", "name_en": "Medicine 2", "name_hi": "मेडिसिन 2"})
    assert resp.status_code == 422
    assert "already has a department" in resp.get_json()["message"]["code"][0]
    assert _count(app, Department) == before


def test_script_in_text_is_stored_as_text_and_shown_escaped(api, as_user, app):
    payload = "<script>alert(1)</script>"
    resp = api("supervisor.dhr")("POST", "/api/v1/department/", json={
        "code": unique_code("X", 8), "name_en": f"Ward {payload}", "name_hi": "वार्ड"})
    assert resp.status_code == 201
    page = as_user("supervisor.dhr").get("/departmentview/list/?psize_DepartmentView=100")
    body = page.get_data(as_text=True)
    assert payload not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_wtforms_messages_are_in_hindi(as_user, hp):
    resp = as_user("admin", lang="hi").post("/facilityview/add", data=_facility(
        hp, name_hi="क" * 151))
    body = resp.get_data(as_text=True)
    assert "150 अक्षरों से लंबा नहीं हो सकता" in body
    assert "Field cannot be longer" not in body
