"""Registration and OPD benchmark: the counter's and the doctor's daily operations on a
database holding N synthetic patients.

    HMIS_DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/registration.py 1000000
    HMIS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/hmis_bench .venv/bin/python bench/registration.py 1000000

The database is migrated, seeded and filled up to N patients (`hmis bench-data`) if it
has fewer. Times are server-side: service calls, and requests through the WSGI app
(Flask test client, no network). Results go to bench/results/registration-<db>-<N>.json.
Use a throw-away database: the benchmark adds patients and visits.
"""
import json
import os
import platform
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from app.extensions import db  # noqa: E402
from bench.common import PASSWORD, bench_app, fill_patients, ok, timed, vacuum  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))


def found(patients):
    if not patients:
        sys.exit("a sampled patient was not found: the search is wrong, not fast")
    return patients


def main(target):
    app, dialect = bench_app()
    rng = random.Random(7)
    with app.app_context():
        from app.core.models import Department, Facility
        from app.opd import services as opd
        from app.opd.bench_data import MEN, SURNAMES, WOMEN
        from app.opd.models import OpdVisit
        from app.registration import services as registration
        from app.registration.models import Patient
        fill_patients(target)
        vacuum()
        patients = db.session.execute(select(func.count()).select_from(Patient)).scalar()
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        fid = facility.id
        departments = db.session.execute(select(Department.id).where(
            Department.facility_id == fid, Department.is_clinical.is_(True))).scalars().all()
        sample = db.session.execute(select(Patient.uhid, Patient.mobile, Patient.name).where(
            Patient.facility_id == fid).order_by(func.random()).limit(ROUNDS)).all()
        results = {}

        def register():
            female = rng.random() < 0.5
            first = rng.choice(WOMEN if female else MEN)[rng.randrange(2)]
            data = {"name": f"{first} {rng.choice(SURNAMES['DHR'])[0]} {rng.randrange(10**6)}",
                    "gender": "F" if female else "M", "age_years": str(rng.randrange(1, 90)),
                    "guardian_relation": "SO", "guardian_name": rng.choice(MEN)[0],
                    "mobile": f"9{rng.randrange(10**9):09d}"}
            opd.register_with_visit(data, db.session.get(Facility, fid),
                                    rng.choice(departments), None)
        results["register_patient_and_visit"] = timed(register, ROUNDS)

        prefixes = []
        for _uhid, _mobile, name in sample:
            word = name.split()[0]
            prefixes.append(word[:rng.randrange(3, max(4, len(word) + 1))])
        it = iter(prefixes * 2)
        results["name_prefix_search"] = timed(
            lambda: found(registration.search_patients(fid, next(it))), ROUNDS)
        words = [name.split()[-1][:4] for _u, _m, name in sample]
        it2 = iter(words * 2)
        results["name_word_search"] = timed(
            lambda: found(registration.search_patients(fid, next(it2))), ROUNDS)
        uhids = iter([u for u, _m, _n in sample] * 2)
        results["exact_uhid"] = timed(
            lambda: found(registration.search_patients(fid, next(uhids))), ROUNDS)
        mobiles = iter([m for _u, m, _n in sample if m] * 3)
        results["exact_mobile"] = timed(
            lambda: found(registration.search_patients(fid, next(mobiles))), ROUNDS)
        # As people say their names: surname first, the middle one left out; and the
        # last six digits of the mobile.
        reordered = iter([f"{name.split()[-1]} {name.split()[0]}" for _u, _m, name in sample] * 2)
        results["name_words_any_order"] = timed(
            lambda: found(registration.search_patients(fid, next(reordered))), ROUNDS)
        tails = iter([m[-6:] for _u, m, _n in sample if m] * 3)
        results["mobile_last_digits"] = timed(
            lambda: found(registration.search_patients(fid, next(tails))), ROUNDS)
        visit_ids = db.session.execute(select(OpdVisit.id).where(
            OpdVisit.facility_id == fid).order_by(OpdVisit.id.desc()).limit(100)).scalars().all()

    client = app.test_client()
    client.post("/login/", data={"username": "supervisor.dhr", "password": PASSWORD})
    results["first_list_page_with_total"] = timed(
        lambda: ok(client.get("/patientview/list/")), min(ROUNDS, 100))
    clerk = app.test_client()
    clerk.post("/login/", data={"username": "clerk.dhr", "password": PASSWORD})
    search_q = iter(prefixes * 2)
    results["search_api_http"] = timed(
        lambda: ok(clerk.get(f"/api/v1/patient/search?q={next(search_q)}")), min(ROUNDS, 200))
    slips = iter(visit_ids * 3)
    results["opd_slip_pdf"] = timed(
        lambda: ok(clerk.get(f"/print/opd-slip/{next(slips)}?size=a5")), 100)

    report = {"database": dialect, "patients": patients, "rounds": ROUNDS,
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "results": results}
    out = Path(__file__).parent / "results" / f"registration-{dialect}-{target}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
