"""Billing benchmark: the cash counter's operations on a database holding N bills.

    HMIS_DATABASE_URL=... .venv/bin/python bench/billing.py 1000000

Fills a throw-away database (HMIS_DATABASE_URL) up to N bills with `hmis bench-data`
(one bill per synthetic OPD visit, over the past year) and measures, server-side:
a 50-item bill made and paid; a receipt PDF; the day-end report of one day and of a
whole year. Results go to bench/results/billing-<db>-<N>.json.
"""
import json
import os
import platform
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from app.extensions import db  # noqa: E402
from bench.common import PASSWORD, bench_app, ok, timed, vacuum  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))


def main(target):
    app, dialect = bench_app()
    with app.app_context():
        from app.billing import dayend, services
        from app.billing.models import Bill
        from app.core.models import Facility
        from app.core.numbering import ist_today
        from app.opd.bench_data import generate
        from app.registration import services as registration
        have = db.session.execute(select(func.count()).select_from(Bill)).scalar()
        if have < target:
            started = time.perf_counter()
            generate(int((target - have) * 1.01), seed=have + 1)
            print(f"bench-data: {time.perf_counter() - started:.0f} s")
        vacuum()
        bills = db.session.execute(select(func.count()).select_from(Bill)).scalar()
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        fid = facility.id
        patient = registration.register_patient(
            {"name": "Benchmark Billing", "gender": "M", "age_years": "50"}, facility, None)
        pid = patient.id
        results = {}
        items = [{"code": "OPD-FU" if n % 2 else "OPD-NEW", "quantity": "1"} for n in range(50)]

        def fifty_items():
            bill = services.create_bill(db.session.get(Facility, fid), pid, [], items, None)
            services.add_payment(bill, "cash", bill.net, None, tendered=bill.net + 100)
            db.session.commit()
        results["bill_50_items_and_payment"] = timed(fifty_items, ROUNDS)
        # A typical counter bill (one OPD fee), from the generated history.
        small = db.session.execute(select(Bill.id).where(Bill.facility_id == fid,
                                                         Bill.kind == "bill")
                                   .order_by(Bill.id).offset(1000).limit(1)).scalar()
        today = ist_today()
        results["day_end_one_day"] = timed(lambda: dayend.day_end(fid, today - timedelta(days=7)),
                                           20, warmup=2)
        year = dayend.day_end(fid, today - timedelta(days=365), today)
        results["day_end_one_year"] = timed(
            lambda: dayend.day_end(fid, today - timedelta(days=365), today), 5, warmup=1)
        year_bills = year.bills
        big = db.session.execute(select(Bill.id).where(Bill.patient_id == pid)
                                 .order_by(Bill.id.desc()).limit(1)).scalar()

    cashier = app.test_client()
    cashier.post("/login/", data={"username": "cashier.dhr", "password": PASSWORD})
    results["receipt_pdf"] = timed(lambda: ok(cashier.get(f"/print/receipt/{small}?size=a5")),
                                   ROUNDS)
    results["receipt_pdf_50_items"] = timed(
        lambda: ok(cashier.get(f"/print/receipt/{big}?size=a5")), 30)
    report = {"database": dialect, "bills": bills, "bills_in_year_report": year_bills,
              "rounds": ROUNDS,
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "results": results}
    out = Path(__file__).parent / "results" / f"billing-{dialect}-{target}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
