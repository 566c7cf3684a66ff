"""IPD benchmark: the ward's and the cash counter's inpatient operations at N patients.

    HMIS_DATABASE_URL=... .venv/bin/python bench/ipd.py 1000000

Fills a throw-away database up to N patients with `hmis bench-data` and a year of
admissions (one for every 40 patients, each with its stay, charges and bills), gives the
DHR facility a 600-bed medical college's wards, and measures server-side: admitting a
patient; the bed board with 600 beds, half of them occupied; a transfer; discharge with
the final bill netting a deposit; the ward census of the last 30 days (every ward, from
the year's bed stays); the admission slip and final bill PDFs. Results go to
bench/results/ipd-<db>-<N>.json.
"""
import json
import os
import platform
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, update  # noqa: E402

from app.core.formatting import IST  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.common import PASSWORD, bench_app, fill_patients, ok, timed, vacuum  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
WARDS, BEDS_PER_WARD = 20, 30


def main(target):
    app, dialect = bench_app()
    with app.app_context():
        from app.billing import services as billing
        from app.core.base_views import DomainError
        from app.core.models import Department, Facility
        from app.ipd import services as ipd
        from app.ipd.bench_data import generate_admissions
        from app.ipd.models import Admission, Bed, Ward
        from app.registration.models import Patient
        fill_patients(target)
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        fid = facility.id
        if not db.session.execute(select(Ward.id).where(Ward.code == "B01")).first():
            for w in range(1, WARDS + 1):
                ward = Ward(facility_id=fid, code=f"B{w:02d}", name_en=f"Ward {w}",
                            name_hi=f"वार्ड {w}", gender="", active=True)
                db.session.add(ward)
                db.session.add_all(Bed(facility_id=fid, ward=ward, number=f"{n:02d}",
                                       tariff_code="BED-GEN", active=True)
                                   for n in range(1, BEDS_PER_WARD + 1))
            db.session.commit()
        admissions = db.session.execute(select(func.count()).select_from(Admission)).scalar()
        if admissions < target // 40:
            for f in db.session.execute(select(Facility)).scalars().all():
                generate_admissions(f, target // 80, seed=admissions + f.id)
        vacuum()
        medicine = db.session.execute(select(Department.id).where(
            Department.facility_id == fid, Department.code == "MED")).scalar()
        patients = iter(db.session.execute(
            select(Patient.id).where(Patient.facility_id == fid).order_by(Patient.id.desc())
            .limit(2000)).scalars().all())
        admitted = []

        def admit():  # the next free bed of the benchmark's own wards (any sex)
            bed = next(free)
            while True:
                pid = next(patients)
                try:
                    admission = ipd.admit(db.session.get(Facility, fid), pid,
                                          {"department": medicine, "bed": bed}, None)
                    break
                except DomainError:  # already admitted in an earlier run
                    db.session.rollback()
            admitted.append(admission.id)

        # An earlier run's patients go home first, so every run starts from empty wards
        # and fills half the beds, for the board and lookups to see a busy hospital.
        for admission in db.session.execute(select(Admission).where(
                Admission.facility_id == fid, Admission.status == "admitted")).scalars().all():
            ipd.discharge(admission, {"discharge_type": "recovered"}, None)
        db.session.execute(update(Bed).where(Bed.facility_id == fid, Bed.state == "cleaning")
                           .values(state="free"))  # and the ward cleans their beds
        db.session.commit()
        free = iter([b.id for b in ipd.free_beds(fid) if b.ward.code.startswith("B")])
        for _ in range(WARDS * BEDS_PER_WARD // 2 - ROUNDS):
            admit()
        results = {"admit_patient": timed(admit, ROUNDS)}
        moving = iter(list(admitted))

        def transfer():
            admission = db.session.get(Admission, next(moving))
            ipd.transfer(admission, next(free), "bench", None)
        results["transfer"] = timed(transfer, ROUNDS // 2, warmup=2)
        leaving = iter(admitted[ROUNDS // 2 + 2:])
        for admission_id in admitted[ROUNDS // 2 + 2:]:
            billing.take_advance(db.session.get(Facility, fid),
                                 db.session.get(Admission, admission_id).patient_id, "2000",
                                 "cash", None, account=db.session.get(Admission,
                                                                      admission_id).account)
        db.session.commit()
        finals = []

        def discharge_and_final_bill():
            admission = ipd.discharge(db.session.get(Admission, next(leaving)),
                                      {"discharge_type": "recovered"}, None)
            bill = billing.bill_account(db.session.get(Facility, fid), admission.account,
                                        "final", [], None)
            db.session.commit()
            finals.append(bill.id)
        results["discharge_and_final_bill"] = timed(discharge_and_final_bill, ROUNDS // 2,
                                                    warmup=2)
        slip_of, final_bill = admitted[0], finals[-1]
        counts = {"patients": db.session.execute(select(func.count()).select_from(Patient)).scalar(),
                  "admissions": db.session.execute(select(func.count()).select_from(Admission)).scalar(),
                  "beds_at_facility": sum(len(beds) for _ward, beds in ipd.board(fid))}

    nurse = app.test_client()
    nurse.post("/login/", data={"username": "nurse.dhr", "password": PASSWORD})
    results["bed_board_http"] = timed(lambda: ok(nurse.get("/ipd/")), 50)
    results["admission_page_http"] = timed(lambda: ok(nurse.get(f"/ipd/admission/{slip_of}")),
                                           50)
    last = datetime.now(IST).date() - timedelta(days=1)
    month = f"from={last - timedelta(days=29):%d-%m-%Y}&to={last:%d-%m-%Y}"
    results["census_month_http"] = timed(lambda: ok(nurse.get(f"/ipd/census/?{month}")), 20)
    results["admission_slip_pdf"] = timed(
        lambda: ok(nurse.get(f"/print/admission/{slip_of}")), 50)
    cashier = app.test_client()
    cashier.post("/login/", data={"username": "cashier.dhr", "password": PASSWORD})
    results["final_bill_pdf"] = timed(
        lambda: ok(cashier.get(f"/print/receipt/{final_bill}?size=a5")), 50)
    report = {"database": dialect, **counts, "rounds": ROUNDS,
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "results": results}
    out = Path(__file__).parent / "results" / f"ipd-{dialect}-{target}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
