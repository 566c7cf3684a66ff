"""Sixteen wrong passwords at once for one account: every one is counted (none lost to
another's write), so parallel guessing cannot slip past the lock-out."""
import pytest

from tests.integration.concurrency.conftest import CLIENTS, race, statuses

pytestmark = pytest.mark.both


def test_parallel_wrong_passwords_are_all_counted(app, make_user):
    user = make_user("Cashier", "DHR")
    clients = [app.test_client() for _ in range(CLIENTS)]
    responses = race([lambda c=c: c.post("/api/v1/security/login", json={
        "username": user, "password": "wrong-password-x", "provider": "db"})
        for c in clients])
    assert statuses(responses)[401] == CLIENTS
    with app.app_context():
        account = app.appbuilder.sm.find_user(username=user)
        # All counted on PostgreSQL (16); on SQLite one at a time, so the tries after
        # the lock-out are refused as locked and no longer counted (5). Either way the
        # account is locked, which lost counts would have prevented.
        assert account.fail_login_count in (CLIENTS, app.config["LOGIN_MAX_FAILURES"])
        assert app.appbuilder.sm.is_locked(account)
