from tests.conftest import login


def test_login_page_and_home(client, make_user):
    user = make_user("Registration Clerk", "DHR")
    assert client.get("/login/").status_code == 200
    resp = login(client, user)
    assert resp.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Zonal Hospital Dharamshala" in home.get_data(as_text=True)


def test_openapi_spec_documents_the_resources(api):
    spec = api("clerk.dhr")("GET", "/api/v1/_openapi").get_json()
    paths = spec["paths"]
    assert "/security/login" in paths or "/api/v1/security/login" in str(paths)
    for resource in ("department", "facility", "patient", "opd_visit"):
        assert any(f"/{resource}/" in p for p in paths), resource
    assert any(p.endswith("/patient/search") for p in paths)


def test_swagger_ui_for_logged_in_users(as_user):
    assert as_user("doctor.rnc").get("/swagger/v1").status_code == 200
