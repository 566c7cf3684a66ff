"""Revocation: a password change, a lock-out, a deactivation and a logout end every
earlier session and token of the account, web and API alike; the supervisor's password
typed at the counter is counted, locked and throttled like a login."""
import uuid
from datetime import timedelta

import pytest
from flask_jwt_extended import decode_token

from app.billing import services as billing
from app.core.models import Facility
from app.extensions import db
from tests.conftest import DEMO_PASSWORD, login

NEW_PASSWORD = "Another-Password-2027y"


def _tokens(app, username, password=DEMO_PASSWORD):
    resp = app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db", "refresh": True})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def _get(app, token, path="/api/v1/department/"):
    return app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})


def _refresh(app, refresh_token):
    return app.test_client().post("/api/v1/security/refresh",
                                  headers={"Authorization": f"Bearer {refresh_token}"})


def _session(app, username):
    client = app.test_client()
    assert login(client, username).headers["Location"] == "/"
    assert client.get("/departmentview/list/").status_code == 200
    return client


def _ended(client) -> bool:
    resp = client.get("/departmentview/list/")
    return resp.status_code == 302 and "/login" in resp.headers["Location"]


def _everything_of(app, username):
    """A browser session, an access token and a refresh token of the account."""
    tokens = _tokens(app, username)
    return _session(app, username), tokens["access_token"], tokens["refresh_token"]


def _all_ended(app, browser, access, refresh):
    assert _ended(browser)
    assert _get(app, access).status_code == 401
    assert _refresh(app, refresh).status_code == 401


def test_a_password_reset_by_the_supervisor_ends_sessions_and_tokens(app, make_user, as_user):
    user = make_user("Nurse", "DHR")
    browser, access, refresh = _everything_of(app, user)
    assert _get(app, access).status_code == 200 and _refresh(app, refresh).status_code == 200
    with app.app_context():
        uid = app.appbuilder.sm.find_user(username=user).id
    resp = as_user("supervisor.dhr").post(f"/resetpassword/form?pk={uid}", data={
        "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert resp.status_code == 302
    _all_ended(app, browser, access, refresh)
    assert login(app.test_client(), user, NEW_PASSWORD).headers["Location"] == "/"


def test_changing_ones_own_password_ends_the_other_sessions_but_not_this_one(app, make_user):
    user = make_user("Doctor", "DHR")
    elsewhere, access, refresh = _everything_of(app, user)
    here = _session(app, user)
    resp = here.post("/resetmypassword/form", data={"password": NEW_PASSWORD,
                                                    "conf_password": NEW_PASSWORD})
    assert resp.status_code == 302
    _all_ended(app, elsewhere, access, refresh)
    assert here.get("/departmentview/list/").status_code == 200


def test_deactivation_ends_sessions_and_tokens(app, make_user):
    user = make_user("Cashier", "DHR")
    browser, access, refresh = _everything_of(app, user)
    with app.app_context():
        app.appbuilder.sm.find_user(username=user).active = False
        db.session.commit()
    _all_ended(app, browser, access, refresh)


def test_lock_out_ends_sessions_and_tokens(app, make_user):
    user = make_user("Registration Clerk", "DHR")
    browser, access, refresh = _everything_of(app, user)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        app.test_client().post("/login/", data={"username": user, "password": "wrong-one-x"})
    _all_ended(app, browser, access, refresh)


def test_logout_ends_the_old_cookie_and_the_tokens(app, make_user):
    user = make_user("Nurse", "RNC")
    browser, access, refresh = _everything_of(app, user)
    stolen = browser.get_cookie("session").value  # as copied off the shared computer
    browser.get("/logout/")
    replay = app.test_client()
    replay.set_cookie("session", stolen, domain="localhost")
    assert _ended(replay)
    assert _get(app, access).status_code == 401 and _refresh(app, refresh).status_code == 401


def test_api_logout_ends_the_token(app, make_user):
    user = make_user("Doctor", "RNC")
    token = _tokens(app, user)["access_token"]
    resp = app.test_client().post("/api/v1/security/logout",
                                  headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    assert _get(app, token).status_code == 401


def test_refresh_tokens_live_at_most_twelve_hours(app, make_user):
    refresh = _tokens(app, make_user("Registration Clerk", "RNC"))["refresh_token"]
    with app.app_context():
        claims = decode_token(refresh)
    assert timedelta(seconds=claims["exp"] - claims["iat"]) <= timedelta(hours=12)


def test_api_answers_are_never_cached(app, make_user):
    token = _tokens(app, make_user("Registration Clerk", "DHR"))["access_token"]
    for path in ("/api/v1/patient/", "/api/v1/patient/search?q=a", "/api/v1/opd_visit/"):
        assert _get(app, token, path).headers["Cache-Control"] == "no-store"


# --- the supervisor's authorisation at the counter -----------------------------------------

def _refund_with(app, cashier, bill_id, password):
    return cashier.post(f"/cash/bill/{bill_id}/refund", data={
        "amount": "1", "reason": "Test", "mode": "cash",
        "auth_username": SUPERVISOR[0], "auth_password": password})


SUPERVISOR = [None]


@pytest.fixture
def paid_bill(app, new_patient):
    pid = new_patient()
    with app.app_context():
        facility = db.session.query(Facility).filter_by(code="DHR").one()
        bill = billing.create_bill(facility, pid, [], [{"code": "OPD-NEW", "quantity": "5"}],
                                   None)
        billing.add_payment(bill, "cash", bill.net, None)
        db.session.commit()
        return bill.id


def test_wrong_authorisations_lock_the_supervisor(app, make_user, as_user, paid_bill):
    SUPERVISOR[0] = supervisor = make_user("Supervisor", "DHR")
    their_session = _session(app, supervisor)
    cashier = as_user("cashier.dhr")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert _refund_with(app, cashier, paid_bill, "guess-" + uuid.uuid4().hex).status_code == 422
    # Locked now: the right password no longer authorises, nor logs in, and the
    # supervisor's own session has ended.
    refused = _refund_with(app, cashier, paid_bill, DEMO_PASSWORD)
    assert refused.status_code == 422 and "supervisor" in refused.get_data(as_text=True)
    assert login(app.test_client(), supervisor).headers["Location"].startswith("/login")
    assert _ended(their_session)
    with app.app_context():
        from app.core.models import AuditLog
        user = app.appbuilder.sm.find_user(username=supervisor)
        assert user.fail_login_count >= app.config["LOGIN_MAX_FAILURES"]
        actions = [e.action for e in db.session.query(AuditLog).filter_by(
            table_name="ab_user", row_id=str(user.id))]
        assert actions.count("auth_refused") == app.config["LOGIN_MAX_FAILURES"]
        assert "locked" in actions and "login_locked" in actions


def test_a_right_authorisation_clears_the_failures(app, make_user, as_user, paid_bill):
    SUPERVISOR[0] = supervisor = make_user("Supervisor", "DHR")
    cashier = as_user("cashier.dhr")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        _refund_with(app, cashier, paid_bill, "guess-" + uuid.uuid4().hex)
    assert _refund_with(app, cashier, paid_bill, DEMO_PASSWORD).status_code == 302
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=supervisor).fail_login_count == 0


def test_authorisations_share_the_login_throttle(throttled_app, make_user, paid_bill):
    """Guessing at the counter uses up the same budget as guessing at the login page."""
    SUPERVISOR[0] = make_user("Supervisor", "DHR")
    cashier = throttled_app.test_client()
    login(cashier, "cashier.dhr")  # one try of the address's three
    codes = [_refund_with(throttled_app, cashier, paid_bill, "guess-x").status_code
             for _ in range(2)]
    assert codes == [422, 422]
    resp = cashier.post("/api/v1/security/login", json={
        "username": "cashier.dhr", "password": DEMO_PASSWORD, "provider": "db"})
    assert resp.status_code == 429
