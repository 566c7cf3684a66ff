"""Security baseline: lock-out and unlock, throttling, idle timeout, CSRF, headers."""
import time

from app.extensions import db
from tests.conftest import DEMO_PASSWORD, login


def _fail(client, username, n):
    for _ in range(n):
        client.post("/login/", data={"username": username, "password": "not-the-password"})


def _refusal(resp) -> str:
    return resp.get_data(as_text=True)


def test_lockout_after_repeated_failures_then_supervisor_unlocks(app, make_user, as_user):
    user = make_user("Cashier", "DHR")
    client = app.test_client()
    _fail(client, user, app.config["LOGIN_MAX_FAILURES"])
    # Now even the right password is refused, exactly as a wrong one is: nobody learns
    # that the account exists or is locked.
    client = app.test_client()  # (the failed tries' messages are still in the first one)
    right = client.post("/login/", data={"username": user, "password": DEMO_PASSWORD},
                        follow_redirects=True)
    wrong = app.test_client().post("/login/", data={"username": "no-such-user-x",
                                                    "password": DEMO_PASSWORD},
                                   follow_redirects=True)
    assert "Wrong user name or password" in _refusal(right)
    assert _refusal(right).count("Wrong user name") == _refusal(wrong).count("Wrong user name")
    assert client.get("/departmentview/list/").status_code != 200
    # The API answers the same 401 for a locked account and for a wrong password.
    api = [client.post("/api/v1/security/login", headers={"Accept-Language": "hi"},
                       json={"username": name, "password": DEMO_PASSWORD, "provider": "db"})
           for name in (user, "no-such-user-x")]
    assert [r.status_code for r in api] == [401, 401]
    assert api[0].get_json() == api[1].get_json()
    assert "पर्यवेक्षक" in api[0].get_json()["message"]

    with app.app_context():
        uid = app.appbuilder.sm.find_user(username=user).id
    # A supervisor of another facility cannot see (so cannot unlock) this account.
    other = as_user("supervisor.rnc")
    assert other.get(f"/users/show/{uid}").status_code == 404
    assert other.post("/users/action_post", data={"action": "unlock",
                                                  "rowid": [uid]}).status_code == 404
    supervisor = as_user("supervisor.dhr")
    resp = supervisor.post("/users/action_post", data={"action": "unlock", "rowid": [uid]})
    assert resp.status_code == 302
    assert login(app.test_client(), user).headers["Location"].endswith("/")
    with app.app_context():
        from app.core.models import AuditLog
        actions = {e.action for e in db.session.query(AuditLog).filter_by(row_id=str(uid),
                                                                         table_name="ab_user")}
    assert {"login_failed", "locked", "login_locked", "unlock", "login"} <= actions


def test_api_login_failures_lock_the_account_too(app, make_user):
    user = make_user("Doctor", "RNC")
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        resp = client.post("/api/v1/security/login",
                           json={"username": user, "password": "bad-password-x", "provider": "db"})
        assert resp.status_code == 401
    resp = client.post("/api/v1/security/login",
                       json={"username": user, "password": DEMO_PASSWORD, "provider": "db"})
    assert resp.status_code == 401
    assert login(app.test_client(), user).headers["Location"].startswith("/login")


def _api_login(client, username, address):
    return client.post("/api/v1/security/login", environ_base={"REMOTE_ADDR": address},
                       json={"username": username, "password": "x" * 12, "provider": "db"})


def _web_login(client, username, address):
    return client.post("/login/", data={"username": username, "password": "x" * 12},
                       environ_base={"REMOTE_ADDR": address}, follow_redirects=True)


def test_one_throttle_budget_per_address_for_web_and_api(throttled_app):
    """Three tries a minute per address, whether typed on the login page or sent to the
    API: the web's tries use up the API's budget and the other way round."""
    client = throttled_app.test_client()
    address = "10.9.9.1"
    assert "Wrong user name" in _web_login(client, "nobody1", address).get_data(as_text=True)
    assert _api_login(client, "nobody2", address).status_code == 401
    assert "Wrong user name" in _web_login(client, "nobody3", address).get_data(as_text=True)
    assert _api_login(client, "nobody4", address).status_code == 429
    page = _web_login(client, "nobody5", address).get_data(as_text=True)
    assert "Too many attempts" in page
    # Another address is not affected.
    assert _api_login(client, "nobody6", "10.9.9.3").status_code == 401


def test_one_throttle_budget_per_account_from_any_address(throttled_app):
    """Guessing one account's password from many addresses is throttled too."""
    client = throttled_app.test_client()
    name = "target-account-x"
    codes = [_api_login(client, name, f"10.8.0.{n}").status_code for n in range(4)]
    assert codes == [401, 401, 401, 429]


def test_idle_session_times_out(app, make_user):
    client = app.test_client()
    login(client, make_user("Nurse", "DHR"))
    assert client.get("/departmentview/list/").status_code == 200
    with client.session_transaction() as session:
        session["_last_seen"] = time.time() - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    resp = client.get("/departmentview/list/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/departmentview/list/").status_code != 200


def test_security_headers(client):
    resp = client.get("/login/")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "HttpOnly" in resp.headers.get("Set-Cookie", "HttpOnly")


def test_static_files_are_cached_and_never_restore_a_session(app, make_user):
    """A page is never cached and refreshes the session; a stylesheet is cached for an
    hour and does not touch the session, so one that was still loading when the user
    logged out cannot log them back in."""
    client = app.test_client()
    login(client, make_user("Clerk", "DHR"))
    page = client.get("/desk/")
    assert page.headers["Cache-Control"] == "no-store" and "Set-Cookie" in page.headers
    stale = client.get_cookie("session").value
    static = client.get("/static/hmis.css")
    assert static.status_code == 200 and "Set-Cookie" not in static.headers
    assert static.headers["Cache-Control"] == "public, max-age=3600"

    client.get("/logout/")
    client.get("/static/hmis.css", headers={"Cookie": f"session={stale}"})
    resp = client.get("/desk/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_secure_cookie_flag_when_configured(db_url):
    from app import create_app
    secure = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SESSION_COOKIE_SECURE": True,
                         "SECRET_KEY": "secure-cookie-test"})
    resp = secure.test_client().get("/login/", base_url="https://localhost")
    cookie = resp.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Strict-Transport-Security" in resp.headers


def test_forms_need_csrf_token(db_url, make_user):
    from app import create_app
    strict = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "csrf-test",
                         "RATELIMIT_ENABLED": False})
    resp = strict.test_client().post("/login/", data={"username": make_user("Nurse"),
                                                      "password": DEMO_PASSWORD})
    assert resp.status_code == 400


def test_pages_need_login(client):
    for path in ("/", "/departmentview/list/", "/facilityview/list/", "/auditlogview/list/"):
        resp = client.get(path)
        if path == "/":
            assert "Please log in" in resp.get_data(as_text=True)
        else:
            assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/api/v1/department/").status_code == 401
