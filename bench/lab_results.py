"""Lab results benchmark, at N patients.

    HMIS_DATABASE_URL=... .venv/bin/python bench/lab_results.py 1000000

Fills a throw-away database up to N patients with `hmis bench-data`, puts 2,000 tests in
the lab's worklist (CBC, KFT and LFT slips, paid, their samples collected and received),
then measures server-side: the worklist page; saving a 20-analyte panel (the CBC's and
the KFT's analytes, for patients with a previous result of each, so every delta check
finds one) with its flags; verifying and releasing it; the report PDF of a CBC, an LFT
and a KFT; and one test (HIV, free) from order to released result through the REST API
(order, collect, receive, enter, release: five calls), as GNU Health's 324 ms was
measured. Results go to bench/results/labresults-<db>-<N>.json.
"""
import gc
import json
import os
import platform
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from app.extensions import db  # noqa: E402
from bench.common import PASSWORD, bench_app, fill_patients, ok, timed, vacuum  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
WORKLIST = 2000
PANEL = "BENCH20"


def _bench_panel(facility_id):
    """A free 20-analyte panel: the CBC's analytes and the KFT's."""
    from app.billing.models import Tariff
    from app.lab.models import LabPanelMember, LabTest
    panel = db.session.execute(select(LabTest).where(
        LabTest.facility_id == facility_id, LabTest.code == PANEL)).scalar_one_or_none()
    if panel is not None:
        return panel.id
    tests = {t.code: t for t in db.session.execute(select(LabTest).where(
        LabTest.facility_id == facility_id)).scalars()}
    members = [m.member for code in ("CBC", "KFT") for m in tests[code].members]
    panel = LabTest(facility_id=facility_id, code=PANEL, name_en="Bench panel",
                    name_hi="बेंच पैनल", section="biochemistry", sample="blood",
                    result_type="panel", active=True)
    db.session.add_all([panel, Tariff(facility_id=facility_id, code=PANEL, kind="lab",
                                      name_en="Bench panel", name_hi="बेंच पैनल",
                                      price=Decimal("0"), valid_from=date(2026, 4, 1))])
    for position, member in enumerate(members, 1):
        db.session.add(LabPanelMember(facility_id=facility_id, panel=panel, member=member,
                                      position=position))
    db.session.commit()
    return panel.id


def main(target):
    app, dialect = bench_app()
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User

        from app.billing import services as billing
        from app.core.models import Facility
        from app.lab import results, samples
        from app.lab import services as lab
        from app.lab.models import LabOrderItem, LabResult, LabTest
        from app.registration.models import Patient
        from tests.integration.lab.conftest import normal_value
        fill_patients(target)
        vacuum()
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        fid = facility.id
        users = dict(db.session.execute(select(User.username, User.id).where(
            User.username.in_(["labtech.dhr", "pathologist.dhr"]))).all())
        tech, pathologist = users["labtech.dhr"], users["pathologist.dhr"]
        codes = dict(db.session.execute(select(LabTest.code, LabTest.id).where(
            LabTest.facility_id == fid)).all())
        panel_id = _bench_panel(fid)
        patients = iter(db.session.execute(
            select(Patient.id).where(Patient.facility_id == fid).order_by(Patient.id.desc())
            .limit(WORKLIST + 4 * ROUNDS)).scalars().all())

        def received(test_ids, patient=None, pay=True):
            facility = db.session.get(Facility, fid)
            patient = patient or next(patients)
            order = lab.place_order(facility, patient, {"tests": test_ids}, None)
            if pay:
                bill = billing.create_bill(facility, patient, [i.charge_id for i in order.items],
                                           [], None)
                if bill.net > 0:  # exempt patients' bills are settled as made
                    billing.add_payment(bill, "cash", str(bill.net), None)
                db.session.commit()
            for sample in samples.collect(order, [], tech):
                samples.receive(fid, sample.sample_number, tech)
            return order, patient

        def enter_all(item_id):
            item = results.item_for_entry(item_id)
            results.enter(item, {a.code: {"value": normal_value(a)}
                                 for a in results.analytes(item.test)}, tech)

        pending = db.session.execute(select(func.count()).select_from(LabOrderItem).where(
            LabOrderItem.facility_id == fid,
            LabOrderItem.status.in_(results.WORK_STATUSES))).scalar()
        while pending < WORKLIST:
            received([codes["CBC"], codes["KFT"], codes["LFT"]])
            pending += 3
        # Panels to enter: each patient has a released one already (the delta check).
        to_enter = []
        for _ in range(ROUNDS + 5):
            first, patient = received([panel_id], pay=False)
            enter_all(first.items[0].id)
            results.release(results.item_for_entry(first.items[0].id), pathologist)
            order, _patient = received([panel_id], patient, pay=False)
            to_enter.append(order.items[0].id)
        # What the set-up left behind is no worker's: a fresh session, and its survivors
        # out of the collector's way, as gunicorn's workers have theirs (config.py).
        db.session.remove()
        gc.collect()
        gc.freeze()
        items = iter(to_enter)
        entered = []
        # What the technician typed arrives with the request: not part of the time.
        typed = {a.code: {"value": normal_value(a)} for a in results.analytes(
            results.item_for_entry(to_enter[0]).test)}
        db.session.remove()

        def enter_panel():  # as the entry screen and the API save
            item = results.item_for_entry(next(items), for_update=True)
            results.enter(item, typed, tech)
            entered.append(item.id)
        measured = {"enter_panel_20": timed(enter_panel, ROUNDS)}
        released = iter(entered)
        measured["release_panel_20"] = timed(lambda: results.release(
            results.item_for_entry(next(released), for_update=True), pathologist), ROUNDS)
        report_order, _p = received([codes["CBC"], codes["LFT"], codes["KFT"]])
        for item in report_order.items:
            enter_all(item.id)
            results.release(results.item_for_entry(item.id), pathologist)
        report_id = report_order.id
        counts = {"patients": db.session.execute(select(func.count()).select_from(Patient)).scalar(),
                  "pending_tests": db.session.execute(select(func.count()).select_from(
                      LabOrderItem).where(LabOrderItem.facility_id == fid,
                                          LabOrderItem.status.in_(results.WORK_STATUSES))).scalar(),
                  "lab_results": db.session.execute(select(func.count()).select_from(
                      LabResult)).scalar()}
        api_patients = [next(patients) for _ in range(60)]
        hiv = codes["HIV"]

    technician = app.test_client()
    technician.post("/login/", data={"username": "labtech.dhr", "password": PASSWORD})
    measured["worklist_http"] = timed(lambda: ok(technician.get("/lab/results/")), 50)
    doctor = app.test_client()
    doctor.post("/login/", data={"username": "doctor.dhr", "password": PASSWORD})
    measured["report_pdf_cbc_lft_kft"] = timed(
        lambda: ok(doctor.get(f"/print/lab-report/{report_id}")), 50)

    def token(username):
        client = app.test_client()
        resp = client.post("/api/v1/security/login", json={
            "username": username, "password": PASSWORD, "provider": "db"})
        return client, {"Authorization": f"Bearer {resp.get_json()['access_token']}"}
    api_doctor, api_tech, api_pathologist = (token(u) for u in (
        "doctor.dhr", "labtech.dhr", "pathologist.dhr"))
    api_queue = iter(api_patients)

    def call(who, path, body, status):
        client, headers = who
        resp = client.post(path, json=body, headers=headers)
        assert resp.status_code == status, (path, resp.get_json())
        return resp.get_json()

    def through_the_api():
        order = call(api_doctor, "/api/v1/lab_order/",
                     {"patient": next(api_queue), "tests": [hiv]}, 201)
        sample = call(api_tech, "/api/v1/lab_sample/", {"order": order["id"]}, 201)
        call(api_tech, "/api/v1/lab_sample/receive",
             {"sample_number": sample["result"][0]["sample_number"]}, 200)
        item = order["result"]["tests"][0]["item_id"]
        call(api_tech, "/api/v1/lab_result/enter",
             {"item": item, "results": {"HIV": {"value": "Non-reactive"}}}, 200)
        call(api_pathologist, "/api/v1/lab_result/release", {"item": item}, 200)
    measured["order_to_released_api"] = timed(through_the_api, 50)
    report = {"database": dialect, **counts, "rounds": ROUNDS,
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "results": measured}
    out = Path(__file__).parent / "results" / f"labresults-{dialect}-{target}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
