"""Fixtures of the core tests."""
import pytest


@pytest.fixture
def throttled_app(db_url):
    """The app with throttling on, three password tries a minute (its own counts)."""
    from app import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": db_url, "RATELIMIT_ENABLED": True,
                       "AUTH_RATE_LIMIT": "3 per minute", "WTF_CSRF_ENABLED": False,
                       "SECRET_KEY": "throttle-test-key"})
