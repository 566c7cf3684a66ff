"""Concurrency is tested on PostgreSQL only (SQLite serialises every writer)."""
import threading

import pytest

from app.core.base_views import DomainError
from app.extensions import db

CLIENTS = 8


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("concurrency is tested on PostgreSQL (HMIS_TEST_DATABASE_URL)")


def run_parallel(app, work) -> list:
    """work(n) in CLIENTS threads released at once, each with its own session; → their
    results, a refusal's errors (dict) or an unexpected exception's repr."""
    outcomes, barrier, lock = [], threading.Barrier(CLIENTS), threading.Lock()

    def client(n):
        with app.app_context():
            barrier.wait()
            try:
                result = work(n)
            except DomainError as err:
                result = err.errors
            except Exception as exc:  # reported to the test: it must see every failure
                result = repr(exc)
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return outcomes


def assert_gapless(numbers) -> None:
    """Numbers like DHR-IPD-2026-000012: per year, 1..n with no gap."""
    by_year = {}
    for number in numbers:
        _code, _series, year, seq = number.split("-")
        by_year.setdefault(year, []).append(int(seq))
    for seqs in by_year.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
