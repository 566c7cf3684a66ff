"""Schemathesis against our OpenAPI spec: every operation, with inputs generated from its
schema (valid ones and deliberately broken ones), as a facility supervisor: never a
server error. A forged, expired or missing token answers 401.

It runs on a database of its own (a copy of the demo on SQLite, a sibling database on
PostgreSQL): thousands of generated records must not disturb the other tests.
"""
import os
import tempfile
import uuid

import pytest
import schemathesis
from schemathesis.generation.modes import GenerationMode
from flask_migrate import upgrade
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from tests.conftest import DEMO_PASSWORD, api_token

EXAMPLES = int(os.environ.get("HMIS_FUZZ_EXAMPLES", "25"))  # per operation and mode
PUBLIC = {("POST", "/api/v1/security/login"), ("POST", "/api/v1/security/refresh")}


def _sibling_database(url: str):
    """(url of a new empty database next to `url`, drop()) — or a temporary SQLite file."""
    if not url.startswith("postgresql"):
        path = os.path.join(tempfile.mkdtemp(prefix="hmis-fuzz-"), "fuzz.sqlite3")
        return f"sqlite:///{path}", lambda: None
    base = make_url(url)
    name = f"{base.database}_fuzz_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="module")
def fuzz_app(db_url):
    url, drop = _sibling_database(db_url)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                      "DEMO_PASSWORD": DEMO_PASSWORD, "SERVER_NAME": "localhost",
                      "SECRET_KEY": "fuzz-secret-key-that-is-long-enough-for-hs256"})
    # A server error must be a 500 response here, as in production, not an exception.
    app.testing = False
    with app.app_context():
        upgrade()
        from app.core.cli import sync_roles
        from app.core.seed import seed_demo
        sync_roles()
        seed_demo(DEMO_PASSWORD)
    yield app
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()
    drop()


@pytest.fixture(scope="module")
def schema(fuzz_app):
    token = api_token(fuzz_app.test_client(), "supervisor.dhr")
    loaded = schemathesis.openapi.from_wsgi(
        "/api/v1/_openapi", fuzz_app, headers={"Authorization": f"Bearer {token}"})
    return loaded, token


def _operations(loaded):
    for result in loaded.get_all_operations():
        yield result.ok()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_a_server_error(schema, mode):
    """Positive: inputs the spec allows. Negative: inputs it forbids (wrong types, missing
    fields, out-of-range values), which must be refused with a 4xx."""
    loaded, token = schema
    failures, seen = [], 0
    for operation in _operations(loaded):
        seen += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.body!r:.200} "
                                f"{case.query!r:.100} → {response.status_code} "
                                f"{response.text[:200]}")
        try:
            call()
        except Unsatisfiable:  # nothing to break in this operation (no parameters)
            pass
    assert seen >= 30  # every resource's list, show, _info and create, the security API
    assert failures == [], "\n".join(failures[:20])


@pytest.mark.parametrize("token", ["", "Bearer not-a-token",
                                   "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged"])
def test_forged_or_missing_tokens_answer_401(schema, fuzz_app, token):
    loaded, _good = schema
    client = fuzz_app.test_client()
    wrong = []
    for operation in _operations(loaded):
        method = operation.method.upper()
        path = operation.path.replace("{pk}", "1")
        if (method, operation.path) in PUBLIC or "{" in path:
            continue
        headers = {"Authorization": token} if token else {}
        response = client.open(path, method=method, headers=headers, json={})
        if response.status_code != 401:
            wrong.append(f"{method} {path} → {response.status_code}")
    assert wrong == []
