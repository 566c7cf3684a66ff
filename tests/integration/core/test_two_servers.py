"""Two app servers (two gunicorns on different ports) on one database, used round-robin,
as a state deployment behind a load balancer: a login on one holds on the other, the
throttle's counts are shared through Redis, lock-outs and numbers live in the database,
and a change to a role's permissions made through one is obeyed by the other at its next
request."""
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD, person

ROOT = Path(__file__).resolve().parents[3]
REDIS = "redis://127.0.0.1:6379/7"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"SELECT 7\r\nFLUSHDB\r\n")
            return b"+OK" in sock.recv(100)
    except OSError:
        return False


@pytest.fixture
def two_servers(app, db_url):
    if not _redis_up():
        pytest.skip("Redis (127.0.0.1:6379) is not running: the shared throttle lives there")
    procs, bases = [], []
    for _ in range(2):
        port = _free_port()
        env = dict(os.environ, HMIS_DATABASE_URL=db_url, HMIS_BIND=f"127.0.0.1:{port}",
                   HMIS_WORKERS="1", HMIS_ACCESS_LOG="/dev/null",
                   HMIS_SECRET_KEY="two-servers-share-this-secret-key-for-hs256",
                   HMIS_RATELIMIT_STORAGE_URI=REDIS, HMIS_LOGIN_RATE_LIMIT="6 per minute")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config.py", "run:app"], cwd=ROOT,
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, proc in zip(bases, procs):
            for _ in range(160):
                try:
                    urllib.request.urlopen(f"{base}/login/", timeout=2)
                    break
                except OSError:
                    assert proc.poll() is None, "gunicorn did not start"
                    time.sleep(0.25)
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)


def _browser():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         _NoRedirect())
    return opener, jar


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


def _open(opener, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _csrf(page: bytes) -> str:
    import re
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()


def _web_login(opener, base, username):
    _s, page = _open(opener, f"{base}/login/")
    data = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD,
                                   "csrf_token": _csrf(page)}).encode()
    return _open(opener, f"{base}/login/", data)[0]


def _api(base, path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    status, payload = _open(urllib.request.build_opener(), f"{base}{path}",
                            json.dumps(body).encode(), headers)
    return status, json.loads(payload or b"{}")


def test_two_servers_behave_as_one(two_servers, app, make_user, new_department):
    a, b = two_servers
    # A login on one server holds on the other (the session is a signed cookie).
    browser, _jar = _browser()
    assert _web_login(browser, a, "supervisor.dhr") == 302
    assert _open(browser, f"{b}/cash/")[0] == 200

    # The throttle's budget is shared: six tries a minute from this address, wherever.
    codes = [_api((a, b)[n % 2], "/api/v1/security/login", {
        "username": f"nobody{n}", "password": "x" * 12, "provider": "db"})[0]
        for n in range(7)]
    assert codes[:5].count(401) == 5 and 429 in codes[5:], codes

    # Lock-out counts live in the database: wrong passwords on either server add up.
    import redis
    redis.Redis.from_url(REDIS).flushdb()  # a fresh throttle budget
    user = make_user("Cashier", "DHR")
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        _api((a, b)[n % 2], "/api/v1/security/login", {
            "username": user, "password": "wrong-password-x", "provider": "db"})
    assert _api(b, "/api/v1/security/login", {
        "username": user, "password": DEMO_PASSWORD, "provider": "db"})[0] == 401

    # Numbers stay gapless with clerks on both servers at once.
    redis.Redis.from_url(REDIS).flushdb()
    tokens = [_api(server, "/api/v1/security/login", {
        "username": "clerk.dhr", "password": DEMO_PASSWORD, "provider": "db"})[1]
        ["access_token"] for server in (a, b)]
    department = new_department()
    visits, lock = [], threading.Lock()

    def register(n):
        status, body = _api((a, b)[n % 2], "/api/v1/opd_visit/", {
            "new_patient": person(confirm_new=True), "department": department},
            tokens[n % 2])
        with lock:
            visits.append((status, body))

    threads = [threading.Thread(target=register, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [s for s, _b in visits] == [201] * 12, visits[:2]
    assert sorted(body["result"]["token"] for _s, body in visits) == list(range(1, 13))

    # A role's permission taken away through one server's database is obeyed by the
    # other at its very next request (each keeps its cache until the version moves).
    assert _open(browser, f"{a}/cash/")[0] == 200 and _open(browser, f"{b}/cash/")[0] == 200
    with app.app_context():
        from app.core.cli import sync_roles
        from app.extensions import db
        sm = app.appbuilder.sm
        supervisor = sm.find_role("Supervisor")
        write_bill = sm.find_permission_view_menu("can_write", "Bill")
        sm.del_permission_role(supervisor, write_bill)
        db.session.commit()
        try:
            assert _open(browser, f"{b}/cash/")[0] == 403
            assert _open(browser, f"{a}/cash/")[0] == 403
        finally:
            sync_roles()
    assert _open(browser, f"{b}/cash/")[0] == 200
