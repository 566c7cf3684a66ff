"""Concurrency is tested on PostgreSQL only (SQLite serialises every writer)."""
import threading
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import case, func, select

from app.core.base_views import DomainError
from app.extensions import db
from tests.conftest import api_token, login

CLIENTS = 16


@pytest.fixture(autouse=True)
def _postgres_only(app, request):
    """Row locks are PostgreSQL's; the races over HTTP run on SQLite too, where every
    request that may write holds the database's write lock (marked "both")."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") and \
            request.node.get_closest_marker("both") is None:
        pytest.skip("concurrency is tested on PostgreSQL (HMIS_TEST_DATABASE_URL)")


def race(calls) -> list:
    """Run the zero-argument callables in threads released at the same instant; → what
    each returned (a response) or the exception it raised."""
    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(i):
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # the test must see every failure
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def run_parallel(app, work) -> list:
    """work(n) in CLIENTS threads released at once, each with its own session; → their
    results, a refusal's errors (dict) or an unexpected exception."""
    def client(n):
        with app.app_context():
            try:
                return work(n)
            except DomainError as err:
                return err.errors
            finally:
                db.session.remove()
    return race([lambda n=n: client(n) for n in range(CLIENTS)])


def assert_gapless(numbers) -> None:
    """Numbers like DHR-IPD-2026-000012: per year, 1..n with no gap."""
    by_year = {}
    for number in numbers:
        _code, _series, year, seq = number.split("-")
        by_year.setdefault(year, []).append(int(seq))
    for seqs in by_year.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


# --- over HTTP: what the counters and other systems really send -----------------------

def logged_in(app, username, n=CLIENTS) -> list:
    """n test clients sharing one web login of `username`, as n browser tabs would."""
    first = app.test_client()
    login(first, username)
    cookie = first.get_cookie("session")
    clients = [first]
    for _ in range(n - 1):
        other = app.test_client()
        other.set_cookie("session", cookie.value, domain=cookie.domain)
        clients.append(other)
    return clients


def api_callers(app, username, n=CLIENTS) -> list:
    """n REST callers sharing one JWT of `username`: call(method, path, **kw)."""
    token = api_token(app.test_client(), username)

    def caller():
        client = app.test_client()
        return lambda method, path, **kw: client.open(
            path, method=method, headers={"Authorization": f"Bearer {token}"}, **kw)
    return [caller() for _ in range(n)]


def statuses(responses) -> Counter:
    """How many of each status code (or exception) came back; a 500 never may."""
    seen = Counter(getattr(r, "status_code", repr(r)) for r in responses)
    assert 500 not in seen and all(isinstance(k, int) for k in seen), seen
    return seen


def assert_money_balances(facility_id: int) -> None:
    """Every bill's paid amount is exactly its payments less its refunds, within what it
    is owed, and no charge is on two live bills (in the current app context)."""
    from app.billing.models import Bill, BillLine, Charge, Payment
    signed = func.sum(case((Payment.kind == "payment", Payment.amount), else_=-Payment.amount))
    moved = dict(db.session.execute(select(Payment.bill_id, signed).where(
        Payment.facility_id == facility_id).group_by(Payment.bill_id)).all())
    for bill in db.session.execute(select(Bill).where(Bill.facility_id == facility_id)).scalars():
        assert bill.paid == Decimal(moved.get(bill.id) or 0), (bill.number, bill.paid,
                                                              moved.get(bill.id))
        assert 0 <= bill.applied <= bill.paid <= bill.net, bill.number
    twice = db.session.execute(select(BillLine.charge_id).where(
        BillLine.charge_id.is_not(None), BillLine.cancelled.is_(False))
        .group_by(BillLine.charge_id).having(func.count() > 1)).scalars().all()
    assert twice == []
    orphan = db.session.execute(select(Charge.id).where(
        Charge.facility_id == facility_id, Charge.bill_id.is_not(None),
        ~select(BillLine.id).where(BillLine.charge_id == Charge.id,
                                   BillLine.bill_id == Charge.bill_id,
                                   BillLine.cancelled.is_(False)).exists())).scalars().all()
    assert orphan == []
