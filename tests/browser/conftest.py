"""Browser tests: a real server on 127.0.0.1 (a free port) and Debian's headless Chromium."""
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("HMIS_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(os.environ.get("HMIS_TEST_OUTPUT", Path(__file__).resolve().parents[2] / "test-output"))


@pytest.fixture(scope="session")
def live_server(app, db_url):
    # The browser gets the same database as the other tests, through an app configured
    # as in production (CSRF on), served for real.
    from app import create_app
    served = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "RATELIMIT_ENABLED": False,
                         "SECRET_KEY": "browser-test-key"})
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = make_server("127.0.0.1", port, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-IN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def output_dir(request):
    path = OUTPUT / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path
