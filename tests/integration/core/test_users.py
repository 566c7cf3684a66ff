"""Supervisors manage the users of their own facility and hand out only facility roles."""
import uuid

from app.core.models import StaffProfile
from app.extensions import db
from tests.conftest import denied


def _role_id(app, name):
    with app.app_context():
        return app.appbuilder.sm.find_role(name).id


def _user_form(app, username, password, role="Registration Clerk"):
    return {"first_name": "Sunita", "last_name": "Devi", "username": username,
            "active": "y", "email": f"{username}@example.org",
            "roles": [_role_id(app, role)], "password": password, "conf_password": password}


def test_supervisor_creates_clerk_in_own_facility(as_user, app):
    username = f"sunita{uuid.uuid4().hex[:6]}"
    resp = as_user("supervisor.dhr").post("/users/add", data=_user_form(
        app, username, "Dhauladhar-Snow-88"))
    assert resp.status_code == 302
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        profile = db.session.query(StaffProfile).filter_by(user_id=user.id).one()
        assert profile.facility.code == "DHR"
        assert [r.name for r in user.roles] == ["Registration Clerk"]


def test_weak_password_refused_in_form_with_hindi_message(as_user, app):
    username = f"weak{uuid.uuid4().hex[:6]}"
    supervisor = as_user("supervisor.dhr", lang="hi")
    resp = supervisor.post("/users/add", data=_user_form(app, username, "password@123"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "पासवर्ड" in body and "आम" in body   # "too common", in Hindi
    resp = supervisor.post("/users/add", data=_user_form(app, username, username + "-2026x"))
    assert "उपयोगकर्ता नाम" in resp.get_data(as_text=True)
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=username) is None


def test_supervisor_cannot_grant_admin_or_auditor(as_user, app):
    supervisor = as_user("supervisor.dhr")
    form = supervisor.get("/users/add").get_data(as_text=True)
    assert ">Doctor<" in form and ">Admin<" not in form and ">Auditor<" not in form
    for role in ("Admin", "Auditor"):
        username = f"esc{uuid.uuid4().hex[:6]}"
        resp = supervisor.post("/users/add", data=_user_form(app, username,
                                                             "Dhauladhar-Snow-88", role))
        assert resp.status_code == 200  # form redisplayed with the error
        with app.app_context():
            assert app.appbuilder.sm.find_user(username=username) is None


def test_supervisor_sees_only_own_facility_users(as_user):
    body = as_user("supervisor.rnc").get("/users/list/?psize_HmisUserView=100").get_data(as_text=True)
    assert "clerk.rnc" in body and "clerk.dhr" not in body and ">admin<" not in body


def test_clerk_cannot_manage_users(as_user):
    clerk = as_user("clerk.dhr")
    assert denied(clerk.get("/users/list/"))
    assert clerk.get("/users/userinfo/").status_code == 200  # own account only


def test_the_user_form_speaks_the_supervisors_language_and_needs_no_email(as_user, app):
    supervisor = as_user("supervisor.dhr", lang="hi")
    form = supervisor.get("/users/add").get_data(as_text=True)
    assert "पंजीकरण लिपिक" in form and ">Registration Clerk<" not in form   # role names
    assert "OID" not in form and "LDAP" not in form
    username = f"ramu{uuid.uuid4().hex[:6]}"
    data = _user_form(app, username, "Dhauladhar-Snow-88")
    data["email"] = ""
    assert supervisor.post("/users/add", data=data).status_code == 302
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=username) is not None
    listed = supervisor.get(f"/users/list/?_flt_0_username={username}").get_data(as_text=True)
    assert "staff.invalid" not in listed
