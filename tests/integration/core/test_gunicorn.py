"""Served as in production: gunicorn with config.py, several workers, over HTTP."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(app, db_url):
    """The test database served by `gunicorn -c config.py run:app` (2 workers)."""
    port = _free_port()
    env = dict(os.environ, HMIS_DATABASE_URL=db_url, HMIS_BIND=f"127.0.0.1:{port}",
               HMIS_WORKERS="2", HMIS_SECRET_KEY="gunicorn-test-secret-key-of-some-length",
               HMIS_ACCESS_LOG="/dev/null", HMIS_RATELIMIT_ENABLED="0")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config.py", "run:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # still starting
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode()[-2000:])
                time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_no_server_banner_and_api_answers_are_not_cached(gunicorn):
    page = urllib.request.urlopen(f"{gunicorn}/login/", timeout=10)
    assert page.status == 200 and page.headers.get("Server") is None
    request = urllib.request.Request(
        f"{gunicorn}/api/v1/security/login", method="POST",
        data=json.dumps({"username": "nobody", "password": "x" * 12,
                         "provider": "db"}).encode(),
        headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401 and refused.value.headers.get("Server") is None
    assert refused.value.headers["Cache-Control"] == "no-store"
