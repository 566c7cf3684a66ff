"""What both benchmarks do first: an app on the throw-away database, migrated, with roles
and demo data, filled by `hmis bench-data` and vacuumed as autovacuum would."""
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

PASSWORD = "Bench-Password-2026"


def bench_app():
    url = os.environ.get("HMIS_DATABASE_URL")
    if not url:
        sys.exit("set HMIS_DATABASE_URL to a throw-away database")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "DEMO_PASSWORD": PASSWORD})
    with app.app_context():
        upgrade()
        from app.core.cli import sync_roles
        from app.core.seed import seed_demo
        sync_roles()
        seed_demo(PASSWORD)
    gc.freeze()  # as run.py does for a served app
    return app, url.split(":")[0].split("+")[0]


def fill_patients(target: int) -> None:
    """Synthetic patients (with visits, bills and payments) up to `target`."""
    from sqlalchemy import func, select

    from app.opd.bench_data import generate
    from app.registration.models import Patient
    have = db.session.execute(select(func.count()).select_from(Patient)).scalar()
    if have < target:
        started = time.perf_counter()
        generate(target - have, seed=have + 1)
        print(f"bench-data: {target - have} patients in {time.perf_counter() - started:.0f} s")


def vacuum():
    """After a bulk load, what autovacuum would do in production: statistics, and on
    PostgreSQL the visibility map that lets counts use index-only scans."""
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"))


def percentiles(samples):
    ms = sorted(s * 1000 for s in samples)
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 2), "max_ms": round(ms[-1], 2)}


def timed(fn, rounds, warmup=5):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def ok(response):
    """Only successful responses count: a redirect to the login page is not a page."""
    if response.status_code != 200:
        sys.exit(f"{response.request.path}: HTTP {response.status_code} (is the demo "
                 f"password of this database {PASSWORD!r}?)")
    return response
