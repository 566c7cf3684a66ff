import pytest

from app.core.passwords import password_problems


@pytest.fixture(autouse=True)
def _ctx(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("password,username", [
    ("short1!", "ramesh"),                 # under 10 characters
    ("ramesh.kumar-2026", "ramesh.kumar"),  # contains the username
    ("RAMESH.KUMAR.x99", "ramesh.kumar"),   # ... case-insensitively
    ("password123", "anyone"),              # common
    ("Password@1234", "anyone"),            # common stem with suffix
    ("hospital123456", "anyone"),
    ("aaaaaaaaaaaa", "anyone"),             # one repeated character
])
def test_refused(password, username):
    assert password_problems(password, username)


@pytest.mark.parametrize("password", ["Kangra-Valley-Rain-7", "tea garden 1987 dhauladhar"])
def test_accepted(password):
    assert password_problems(password, "ramesh.kumar") == []


def test_message_is_in_users_language(app):
    with app.test_request_context("/?_l_=hi"):
        (message,) = password_problems("short", "x")
        assert "10" in message and "पासवर्ड" in message
