"""/api/v1/patient: registration, duplicates, search, scoping."""
import json
import uuid

from app.extensions import db
from app.registration.models import Patient

from tests.conftest import person


def _register(call, **over):
    resp = call("POST", "/api/v1/patient/", json=person(**over))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["result"]


def test_register_allocates_uhid_and_scopes_to_caller(api, app):
    result = _register(api("clerk.dhr"), mobile="9418012345")
    assert result["uhid"].startswith("DHR-26-") and len(result["uhid"]) == len("DHR-26-0000001")
    with app.app_context():
        patient = db.session.get(Patient, result["id"])
        assert patient.facility.code == "DHR" and patient.mobile == "9418012345"
    assert api("clerk.rnc")("GET", f"/api/v1/patient/{result['id']}").status_code == 404


def test_duplicate_by_mobile_is_flagged_then_confirmable(api):
    call = api("clerk.dhr")
    first = _register(call, mobile="9418099999" if False else "9418077001")
    resp = call("POST", "/api/v1/patient/", json=person(mobile="9418077001"))
    assert resp.status_code == 409
    (candidate,) = [c for c in resp.get_json()["candidates"] if c["id"] == first["id"]]
    assert "same mobile number" in candidate["reasons"]
    resp = call("POST", "/api/v1/patient/", json=person(mobile="9418077001", confirm_new=True))
    assert resp.status_code == 201


def test_duplicate_across_scripts(api):
    call = api("clerk.dhr")
    first = _register(call, name="Rameshwar Prasad Thakur", guardian_relation="SO",
                      guardian_name="Shivnath Thakur", gender="M", age_years="52")
    resp = call("POST", "/api/v1/patient/", json={
        "name": "रामेश्वर प्रसाद ठाकुर", "guardian_relation": "SO",
        "guardian_name": "शिवनाथ ठाकुर", "gender": "M", "age_years": "53"})
    assert resp.status_code == 409
    assert first["id"] in [c["id"] for c in resp.get_json()["candidates"]]


def test_bad_input_refused_in_callers_language(api, app):
    with app.app_context():
        before = db.session.query(Patient).count()
    resp = api("clerk.dhr", lang="hi")("POST", "/api/v1/patient/", json=person(
        mobile="12345", aadhaar_last4="123456789012", name="<b>7</b>"))
    assert resp.status_code == 422
    message = resp.get_json()["message"]
    assert set(message) >= {"mobile", "aadhaar_last4"}
    with app.app_context():
        assert db.session.query(Patient).count() == before
        # a refused Aadhaar number is nowhere in the database, not even trimmed
        assert db.session.query(Patient).filter(Patient.aadhaar_last4 == "9012").count() == 0


def test_search_by_uhid_mobile_abha_and_name_in_either_script(api):
    call = api("clerk.dhr")
    abha = "91876543210982"
    created = _register(call, name="Kamla Devi Negi", mobile="9816055501", abha_number=abha,
                        guardian_name="Bhagat Ram Negi", village="")
    for q in (created["uhid"], "9816055501", "91-8765-4321-0982", "Kamla Devi",
              "कमला देवी", "Kamla", "Negi", "कमला", "Devi Negi",
              "९८१६०५५५०१"):  # the mobile in Devanagari digits
        result = call("GET", f"/api/v1/patient/search?q={q}").get_json()["result"]
        assert created["id"] in [r["id"] for r in result], q
    # Digit-like characters that are not digits are no mobile nor UHID, and no server
    # error ("12³45" is then words of a name: other tests' patients may be named "Ward 12
    # 45c1" on a shared database, so only this one is known not to match).
    for q in ("³", "12³45", "½"):
        resp = call("GET", f"/api/v1/patient/search?q={q}")
        assert resp.status_code == 200, q
        assert created["id"] not in [r["id"] for r in resp.get_json()["result"]], q


def test_a_village_brings_its_block_district_and_state(api, app):
    from app.core.models import Block, District, Village
    with app.app_context():
        village = db.session.query(Village).join(Block).join(District).filter(
            District.name_en == "Kangra").first()
        expected = (village.block_id, village.block.district_id,
                    village.block.district.state_id)
        district_hi = village.block.district.name_hi
        village_id = village.id
    created = _register(api("clerk.dhr"), village=village_id, confirm_new=True)
    with app.app_context():
        patient = db.session.get(Patient, created["id"])
        assert (patient.block_id, patient.district_id, patient.state_id) == expected
    assert district_hi == "कांगड़ा"


def test_search_finds_people_as_they_are_named(api):
    call = api("clerk.dhr")
    mobile = f"98{uuid.uuid4().int % 10**8:08d}"
    created = _register(call, name="राजेश कुमार शर्मा", gender="M", mobile=mobile,
                        confirm_new=True)
    for q in ("Rajesh Sharma",      # the middle name left out
              "sharma rajesh",      # the surname first
              "rajesh sarma",       # sh written s
              "rajeshkumar",        # two names written as one
              "Raajesh Kumaar Sharmaa",  # long vowels, a trailing a
              "rajesh kumar",
              mobile[-5:], mobile[-8:]):  # the last digits of the mobile
        result = call("GET", f"/api/v1/patient/search?q={q}").get_json()["result"]
        assert created["id"] in [r["id"] for r in result], q
    # A word the name does not have finds nothing of it.
    for q in ("rajesh verma", mobile[-4:]):
        result = call("GET", f"/api/v1/patient/search?q={q}").get_json()["result"]
        assert created["id"] not in [r["id"] for r in result], q


def test_search_ranks_prefix_before_fragment(api):
    call = api("clerk.rnc")
    inner = _register(call, name="Sita Ram Oraon")
    prefix = _register(call, name="Ramdeo Oraon")
    result = [r["id"] for r in call("GET", "/api/v1/patient/search?q=Ramdeo").get_json()["result"]]
    assert result.index(prefix["id"]) == 0
    result = [r["id"] for r in call("GET", "/api/v1/patient/search?q=Ram").get_json()["result"]]
    assert prefix["id"] in result
    assert result.index(prefix["id"]) < result.index(inner["id"]) if inner["id"] in result else True


def test_wildcards_typed_by_users_match_nothing_special(api):
    call = api("clerk.dhr")
    _register(call, name="Percy Underscore")
    for q in ("%", "_", "%%", "*"):  # not "everything"
        assert call("GET", f"/api/v1/patient/search?q={q}").get_json()["result"] == []
    search = lambda q: [r["id"] for r in call("GET", f"/api/v1/patient/search?q={q}")
                        .get_json()["result"]]
    assert search("Per%") == search("Per")           # % is not a wildcard
    assert "Percy Underscore" not in [r["name"] for r in call(
        "GET", "/api/v1/patient/search?q=P_rcy").get_json()["result"]]  # _ is not one either


def test_search_is_scoped_to_own_facility(api):
    created = _register(api("clerk.dhr"), mobile="9418066602")
    result = api("clerk.rnc")("GET", "/api/v1/patient/search?q=9418066602").get_json()["result"]
    assert created["id"] not in [r["id"] for r in result]


def test_html_is_stored_as_text(api, app):
    created = _register(api("clerk.dhr"), name="Rani <script>alert(1)</script>",
                        confirm_new=True)
    with app.app_context():
        assert db.session.get(Patient, created["id"]).name == "Rani <script>alert(1)</script>"


def test_photo_upload_reencoded_scoped_and_refuses_non_images(api, as_user, app):
    from io import BytesIO

    from PIL import Image
    created = _register(api("clerk.dhr"))
    clerk = as_user("clerk.dhr")
    image = BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 40)).save(image, "PNG")
    resp = clerk.post(f"/patients/photo/{created['id']}/upload",
                      data={"photo": (BytesIO(image.getvalue()), "face.png")},
                      content_type="multipart/form-data")
    assert resp.status_code == 302
    shown = clerk.get(f"/patients/photo/{created['id']}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert max(Image.open(BytesIO(shown.data)).size) == 600
    record = as_user("supervisor.dhr").get(f"/patientview/show/{created['id']}")
    assert f'src="/patients/photo/{created["id"]}"' in record.get_data(as_text=True)
    resp = clerk.post(f"/patients/photo/{created['id']}/upload",
                      data={"photo": (BytesIO(b"%PDF-1.4 not an image"), "x.jpg")},
                      content_type="multipart/form-data")
    assert resp.status_code == 422 and "JPEG or PNG" in resp.get_data(as_text=True)
    assert as_user("clerk.rnc").get(f"/patients/photo/{created['id']}").status_code == 404
    with app.app_context():
        from app.core.models import AuditLog
        entry = db.session.query(AuditLog).filter_by(table_name="patient_photo",
                                                     action="insert").first()
        # The size, never the image itself.
        assert json.loads(entry.new_value)["data"].endswith("bytes)")


def test_the_village_picker_types_either_script_by_block_without_census_codes(as_user, app):
    from app.core.models import Block, Village
    with app.app_context():
        village = db.session.query(Village).filter(Village.name_en == "Sidhbari").one()
        block = village.block_id
        other_block = db.session.query(Block).filter(Block.id != block).first().id
    clerk = as_user("clerk.dhr")
    for q in ("sidh", "सिद्ध"):
        found = clerk.get(f"/picker/village/?q={q}").get_json()["results"]
        assert village.id in [r["id"] for r in found], q
        assert all(not any(c.isdigit() for c in r["text"]) for r in found)
        assert "Dharamshala" in found[0]["text"] or "धर्मशाला" in found[0]["text"] \
            or "Kangra" in found[0]["text"]
    assert clerk.get(f"/picker/village/?q=sidh&block={block}").get_json()["results"]
    assert clerk.get(f"/picker/village/?q=sidh&block={other_block}").get_json()["results"] == []
    # The desk carries no list of every village: the chosen one only, typed for.
    page = clerk.get("/desk/").get_data(as_text=True)
    assert 'data-picker="/picker/village/"' in page and "Sidhbari" not in page


def test_the_patient_page_shows_their_history_with_links(api, as_user, app, new_department):
    call = api("clerk.dhr")
    created = _register(call, confirm_new=True)
    visit = call("POST", "/api/v1/opd_visit/", json={
        "patient": created["id"], "department": new_department()}).get_json()["id"]
    bill = api("cashier.dhr")("POST", "/api/v1/bill/", json={
        "patient": created["id"], "items": [{"code": "ECG", "quantity": "1"}]}).get_json()
    page = as_user("supervisor.dhr", lang="hi").get(f"/patientview/show/{created['id']}")
    history = page.get_data(as_text=True).split("hmis-history")[1]
    assert f"/opdvisitview/show/{visit}" in history and "प्रतीक्षा" in history
    assert f"/cash/bill/{bill['id']}" in history and bill["result"]["number"] in history
    # A role that may not open the counter sees the bill's number, not a link to it.
    auditor = as_user("auditor").get(f"/patientview/show/{created['id']}").get_data(as_text=True)
    assert f"/cash/bill/{bill['id']}" not in auditor and bill["result"]["number"] in auditor
