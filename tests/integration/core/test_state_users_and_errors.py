"""State users (Admin, Auditor) on the facility screens, and the app's own error pages."""
import pytest
from sqlalchemy import select

from app.core.models import Facility
from app.extensions import db

FACILITY_SCREENS = ["/desk/", "/cash/", "/opd/queue", "/ipd/", "/lab/", "/day-end/",
                    "/day-end/close-shift", "/day-end/csv", "/print/day-end"]


def _facility_id(app, code):
    with app.app_context():
        return db.session.execute(select(Facility.id).where(Facility.code == code)).scalar()


@pytest.mark.parametrize("user", ["admin", "auditor"])
def test_state_users_are_asked_for_a_facility_instead_of_an_error(as_user, user):
    client = as_user(user)
    for path in FACILITY_SCREENS:
        resp = client.get(path)
        assert resp.status_code in (302, 403), (path, resp.status_code)
        if resp.status_code == 302:
            assert "/facility/choose" in resp.headers["Location"], path


def test_admin_chooses_a_facility_and_works_there(as_user, app):
    admin = as_user("admin", lang="hi")
    page = admin.get("/facility/choose?next=/desk/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "देखी जाने वाली स्वास्थ्य संस्था" in text
    assert "RNC" in text and "DHR" in text
    resp = admin.post("/facility/choose", data={"facility": _facility_id(app, "RNC"),
                                                "next": "/desk/"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/desk/"
    desk = admin.get("/desk/")
    assert desk.status_code == 200 and "RNC" in desk.get_data(as_text=True)
    home = admin.get("/").get_data(as_text=True)
    assert "अभी देख रहे हैं" in home and "RNC" in home
    # Never sent to another site after choosing.
    resp = admin.post("/facility/choose", data={"facility": _facility_id(app, "DHR"),
                                                "next": "//evil.example/"})
    assert resp.headers["Location"] == "/"
    assert admin.post("/facility/choose", data={"facility": "999999"}).status_code == 422


def test_auditor_reads_a_facilitys_day_end_but_cannot_act(as_user, app):
    auditor = as_user("auditor")
    auditor.post("/facility/choose", data={"facility": _facility_id(app, "DHR")})
    assert auditor.get("/day-end/").status_code == 200
    assert auditor.get("/day-end/csv").status_code == 200
    assert auditor.get("/print/day-end").mimetype == "application/pdf"
    for path in ("/desk/", "/cash/", "/day-end/close-shift"):
        assert auditor.get(path).status_code == 403, path
    assert auditor.post("/desk/register", data={"name": "X"}).status_code == 403


def test_facility_users_cannot_choose_another_facility(as_user, app):
    clerk = as_user("clerk.dhr")
    clerk.post("/facility/choose", data={"facility": _facility_id(app, "RNC")})
    assert "DHR" in clerk.get("/desk/").get_data(as_text=True)
    assert "RNC-" not in clerk.get("/desk/").get_data(as_text=True)


@pytest.mark.parametrize("lang, words", [("en", ["No such page", "Home"]),
                                         ("hi", ["ऐसा कोई पृष्ठ", "मुख्य पृष्ठ"])])
def test_404_is_our_page_in_the_users_language(as_user, lang, words):
    resp = as_user("clerk.dhr", lang=lang).get("/no/such/page",
                                               headers={"Referer": "http://localhost/desk/"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 404 and all(w in text for w in words)
    assert 'href="http://localhost/desk/"' in text  # the way back
    assert "hmis.css" in text  # styled as the app


def test_403_405_and_api_errors_are_ours(as_user, api):
    nurse = as_user("nurse.dhr", lang="hi")
    forbidden = nurse.get("/cash/")
    assert forbidden.status_code == 403 and "आपकी भूमिका" in forbidden.get_data(as_text=True)
    wrong_method = nurse.get("/desk/register")
    assert wrong_method.status_code in (403, 405)
    clerk = as_user("clerk.dhr")
    not_allowed = clerk.get("/desk/register")
    assert not_allowed.status_code == 405 and \
        "cannot be used that way" in not_allowed.get_data(as_text=True)
    resp = api("clerk.dhr", lang="hi")("GET", "/api/v1/no-such-resource/")
    assert resp.status_code == 404 and "ऐसा कोई पृष्ठ" in resp.get_json()["message"]


def test_500_is_a_plain_page_of_ours_in_the_users_language(app):
    from app.core.errors import _server_error
    with app.test_request_context("/desk/", headers={"Accept-Language": "hi"}):
        from flask import session
        session["locale"] = "hi"
        body, status = _server_error(RuntimeError("boom"))
    assert status == 500 and "सर्वर पर कोई गड़बड़ी" in body and "boom" not in body
