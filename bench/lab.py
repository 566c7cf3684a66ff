"""Lab benchmark: writing a test slip and what follows it, at N patients.

    HMIS_DATABASE_URL=... .venv/bin/python bench/lab.py 1000000

Fills a throw-away database up to N patients with `hmis bench-data`, then measures
server-side: a doctor ordering three tests for an OPD patient (order number and three
charges, in one transaction); the order's page; the test slip PDF; and the cash counter
finding the patient from the slip's scanned number. Past lab orders are not generated:
every lookup is by primary key or a unique index. Results go to
bench/results/lab-<db>-<N>.json.
"""
import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from app.extensions import db  # noqa: E402
from bench.common import PASSWORD, bench_app, fill_patients, ok, timed, vacuum  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
TESTS = ("CBC", "RBS", "URINE-R")


def main(target):
    app, dialect = bench_app()
    with app.app_context():
        from app.core.models import Facility
        from app.lab import services as lab
        from app.lab.models import LabOrder, LabTest
        from app.registration.models import Patient
        fill_patients(target)
        vacuum()
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        fid = facility.id
        tests = db.session.execute(select(LabTest.id).where(
            LabTest.facility_id == fid, LabTest.code.in_(TESTS))).scalars().all()
        patients = iter(db.session.execute(
            select(Patient.id).where(Patient.facility_id == fid).order_by(Patient.id.desc())
            .limit(ROUNDS + 10)).scalars().all())
        orders = []

        def order():
            placed = lab.place_order(db.session.get(Facility, fid), next(patients),
                                     {"tests": tests}, None)
            orders.append((placed.id, placed.order_number))
        results = {"order_three_tests": timed(order, ROUNDS)}
        counts = {"patients": db.session.execute(select(func.count()).select_from(Patient)).scalar(),
                  "lab_orders": db.session.execute(select(func.count()).select_from(LabOrder)).scalar()}

    order_id, number = orders[-1]
    doctor = app.test_client()
    doctor.post("/login/", data={"username": "doctor.dhr", "password": PASSWORD})
    results["order_page_http"] = timed(lambda: ok(doctor.get(f"/lab/order/{order_id}")), 50)
    results["lab_slip_pdf"] = timed(lambda: ok(doctor.get(f"/print/lab-slip/{order_id}")), 50)
    cashier = app.test_client()
    cashier.post("/login/", data={"username": "cashier.dhr", "password": PASSWORD})

    def scan():
        resp = cashier.get(f"/cash/?q={number}")
        assert resp.status_code == 302 and "/cash/patient/" in resp.headers["Location"]
    results["counter_scan_http"] = timed(scan, 50)
    report = {"database": dialect, **counts, "rounds": ROUNDS,
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "results": results}
    out = Path(__file__).parent / "results" / f"lab-{dialect}-{target}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
