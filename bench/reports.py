"""Reports benchmark, at N patients.

    HMIS_DATABASE_URL=... .venv/bin/python bench/reports.py 1000000

Fills a throw-away database up to N patients with `hmis bench-data` (each with the past
year's OPD visits, bills and payments) and a year of admissions (one for every 40
patients, with their stays, charges and bills), then measures server-side: the national
HMIS monthly report of one facility for last month (counted in SQL, plus the ward
census), the state's roll-up across every facility, the report page and a drill-down
page (OPD attendance: the first 500 of a month's visits), the facility dashboard and the
state's comparison of facilities; and the OPD register exported as CSV for a month and for
a year: time, and the peak of memory Python allocated meanwhile (tracemalloc), which a
streamed export keeps flat. Results go to bench/results/reports-<db>-<N>.json.
"""
import json
import os
import platform
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from app.extensions import db  # noqa: E402
from bench.common import PASSWORD, bench_app, fill_patients, ok, timed, vacuum  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))


def main(target):
    app, dialect = bench_app()
    with app.app_context():
        from app.core.models import Facility
        from app.core.numbering import ist_today
        from app.ipd.bench_data import generate_admissions
        from app.ipd.models import Admission
        from app.opd.models import OpdVisit
        from app.registration.models import Patient
        from app.reports import hmis
        fill_patients(target)
        admissions = db.session.execute(select(func.count()).select_from(Admission)).scalar()
        if admissions < target // 40:
            for f in db.session.execute(select(Facility)).scalars().all():
                generate_admissions(f, target // 80, seed=admissions + f.id)
        vacuum()
        dhr = db.session.execute(select(Facility.id).where(Facility.code == "DHR")).scalar()
        month = (ist_today().replace(day=1) - timedelta(days=1)).replace(day=1)
        report = hmis.report(month, dhr)
        counts = {"patients": db.session.execute(
                      select(func.count()).select_from(Patient)).scalar(),
                  "opd_visits": db.session.execute(
                      select(func.count()).select_from(OpdVisit)).scalar(),
                  "admissions": db.session.execute(
                      select(func.count()).select_from(Admission)).scalar(),
                  "month": f"{month:%Y-%m}",
                  "dhr_month_opd_attendance": report.value("14.2.1"),
                  "dhr_month_admissions": sum(report.value(f"14.3.1.{g}") for g in "abcde"),
                  "dhr_month_head_count": report.value("14.10")}
        measured = {"hmis_facility_month": timed(lambda: hmis.report(month, dhr), ROUNDS),
                    "hmis_state_month": timed(lambda: hmis.report(month), ROUNDS)}
    supervisor = app.test_client()
    supervisor.post("/login/", data={"username": "supervisor.dhr", "password": PASSWORD})
    measured["hmis_page_http"] = timed(
        lambda: ok(supervisor.get(f"/hmis/?month={month:%Y-%m}")), ROUNDS)
    measured["hmis_drill_opd_http"] = timed(
        lambda: ok(supervisor.get(f"/hmis/item/14.2.1?month={month:%Y-%m}")), ROUNDS)
    measured["dashboard_http"] = timed(lambda: ok(supervisor.get("/dashboard/")), ROUNDS)
    auditor = app.test_client()
    auditor.post("/login/", data={"username": "auditor", "password": PASSWORD})
    measured["dashboard_state_http"] = timed(lambda: ok(auditor.get("/dashboard/state")),
                                             ROUNDS)
    today = datetime.now(timezone.utc).date()
    for label, days in (("month", 30), ("year", 365)):
        first = (today - timedelta(days=days)).strftime("%d-%m-%Y")
        tracemalloc.start()
        started = time.perf_counter()
        resp = ok(supervisor.get(f"/registers/opd/csv?from={first}", buffered=False))
        size = lines = 0
        for chunk in resp.response:   # read as a browser would, without keeping it
            size += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        measured[f"register_csv_{label}"] = {
            "rows": lines - 1, "megabytes": round(size / 2**20, 1),
            "seconds": round(seconds, 1), "peak_python_mb": round(peak / 2**20, 1)}
    out = {"database": dialect, **counts, "rounds": ROUNDS,
           "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "results": measured}
    path = Path(__file__).parent / "results" / f"reports-{dialect}-{target}.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
