"""Fixtures: one database per test session, migrated with the real migrations and loaded
with the demo data; tests create their own rows with unique codes so they never
depend on one another (the audit log is append-only, so nothing is ever wiped).

SQLite by default (a temporary file); PostgreSQL when HMIS_TEST_DATABASE_URL is set.
"""
import itertools
import os
import shutil
import subprocess
import tempfile
import uuid

import pytest
from flask_migrate import upgrade

from app import create_app
from app.core.models import Department, Facility
from app.extensions import db
from app.ipd.models import Bed, Ward
from app.registration import services as registration

DEMO_PASSWORD = "Test-Password-2026x"
_seq = itertools.count(1)


needs_scanner = pytest.mark.skipif(
    shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
    reason="zbarimg (zbar-tools) or pdftoppm is not installed")


def scan_codes(pdf: bytes) -> str:
    """What a scanner reads off the PDF's first page printed at 203 dpi (a common
    thermal print head): zbarimg's lines, e.g. "CODE-128:DHR-26-0000123"."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "slip.pdf")
        with open(path, "wb") as fh:
            fh.write(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "203", "-f", "1", "-l", "1", path,
                        os.path.join(tmp, "p")], check=True, timeout=60)
        png = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".png"))
        return subprocess.run(["zbarimg", "-q", png], capture_output=True, text=True,
                              timeout=60).stdout


def wait_for_focus(page, name: str) -> None:
    """Wait until the field named `name` (or with that id) has the focus. Chromium applies
    autofocus at its next rendering step, which may come after the load event: keys typed
    before then are lost, as a clerk's would be on a slow machine."""
    page.wait_for_function(
        "n => document.activeElement && (document.activeElement.name === n"
        " || document.activeElement.id === n)", arg=name, timeout=10000)


def browser_login(page, base, username, lang="en"):
    """Log in as `username` in a browser page, then switch to `lang`. Whatever the previous
    page still had in flight must not land after the switch, so it settles first."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/lang/{lang}")


def unique_code(prefix="", length=6):
    """Capital letters only, unique for this test session (facility codes must be letters)."""
    n = next(_seq) + int(uuid.uuid4().int % 10**6) * 1000
    letters = ""
    while n:
        n, r = divmod(n, 26)
        letters += chr(65 + r)
    return (prefix + letters)[:length]


@pytest.fixture(scope="session")
def db_url():
    url = os.environ.get("HMIS_TEST_DATABASE_URL")
    if url:
        yield url
        return
    tmp = tempfile.mkdtemp(prefix="hmis-test-")
    yield f"sqlite:///{tmp}/test.sqlite3"


@pytest.fixture(scope="session")
def app(db_url):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": db_url,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
        "SERVER_NAME": "localhost",
    })
    with app.app_context():
        upgrade()
        from app.core.cli import sync_roles
        from app.core.seed import seed_demo
        sync_roles()
        seed_demo(DEMO_PASSWORD)
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username, password=DEMO_PASSWORD, lang=None):
    resp = client.post("/login/", data={"username": username, "password": password})
    if lang:
        client.get(f"/lang/{lang}")
    return resp


@pytest.fixture
def as_user(app):
    """as_user("clerk.dhr", lang="hi") → a logged-in test client in that language
    (always set, since the choice is saved on the shared demo account)."""
    def make(username, lang="en"):
        c = app.test_client()
        login(c, username, lang=lang)
        return c
    return make


def api_token(client, username, password=DEMO_PASSWORD):
    resp = client.post("/api/v1/security/login",
                       json={"username": username, "password": password, "provider": "db"})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["access_token"]


@pytest.fixture
def api(app):
    """api("clerk.dhr", lang="hi") → callable(method, path, **kw) with JWT + language."""
    def make(username, lang="en"):
        c = app.test_client()
        token = api_token(c, username)
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": lang}

        def call(method, path, **kw):
            return c.open(path, method=method, headers=headers, **kw)
        return call
    return make


@pytest.fixture
def make_user(app):
    """Create a throw-away user (unique name) with a role and facility; returns username."""
    from app.core.seed import ensure_user

    def make(role, facility_code="DHR", password=DEMO_PASSWORD):
        username = f"u{uuid.uuid4().hex[:10]}"
        with app.app_context():
            facility = db.session.query(Facility).filter_by(code=facility_code).one_or_none() \
                if facility_code else None
            ensure_user(username, role, password, "Test", "User", facility=facility)
        return username
    return make


# --- registration and OPD helpers ---------------------------------------------------


@pytest.fixture
def facility(app):
    def get(code="DHR"):
        with app.app_context():
            return db.session.query(Facility).filter_by(code=code).one().id
    return get


@pytest.fixture
def new_department(app, facility):
    """A fresh clinical department, so its token sequence starts at 1 in this test."""
    def make(code="DHR"):
        fid = facility(code)
        with app.app_context():
            dept = Department(facility_id=fid, code="T" + uuid.uuid4().hex[:6].upper(),
                              name_en="Test OPD", name_hi="परीक्षण ओपीडी", is_clinical=True,
                              active=True)
            db.session.add(dept)
            db.session.commit()
            return dept.id
    return make


def person(**over):
    """A unique, valid patient (names unique so duplicate checks don't fire)."""
    tag = uuid.uuid4().hex[:6]
    data = {"name": f"Test Patient {tag}", "gender": "F", "age_years": "34",
            "guardian_relation": "WO", "guardian_name": f"Guardian {tag}"}
    data.update(over)
    return data


def denied(resp) -> bool:
    """FAB refuses with 403, or by sending a browser back to the login page."""
    return resp.status_code == 403 or (
        resp.status_code == 302 and "/login" in resp.headers.get("Location", ""))


# --- IPD helpers --------------------------------------------------------------------


@pytest.fixture
def new_ward(app):
    """A fresh ward of its own beds, so a test never finds them taken by another test;
    returns the bed ids."""
    def make(code="DHR", beds=3, gender="", tariff="BED-GEN"):
        with app.app_context():
            facility = db.session.query(Facility).filter_by(code=code).one()
            tag = uuid.uuid4().hex[:6].upper()
            ward = Ward(facility_id=facility.id, code=f"W{tag}", name_en=f"Test ward {tag}",
                        name_hi=f"परीक्षण वार्ड {tag}", gender=gender, active=True)
            db.session.add(ward)
            rows = [Bed(facility_id=facility.id, ward=ward, number=f"{n}", tariff_code=tariff,
                        active=True) for n in range(1, beds + 1)]
            db.session.add_all(rows)
            db.session.commit()
            return [b.id for b in rows]
    return make


@pytest.fixture
def new_patient(app):
    """A registered patient of the facility (general category): their id."""
    def make(code="DHR", **over):
        with app.app_context():
            facility = db.session.query(Facility).filter_by(code=code).one()
            return registration.register_patient(person(**over), facility, None).id
    return make


@pytest.fixture
def medicine(app):
    def get(code="DHR"):
        with app.app_context():
            return db.session.query(Department).join(Facility).filter(
                Facility.code == code, Department.code == "MED").one().id
    return get
