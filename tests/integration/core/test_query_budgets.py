"""SQL statements per warm request, counted on the engine: every generated list page and
list API, the desk, the counter, the queue, the ward board, the lab and every printed
paper have a fixed budget, so an N+1 (a query per row shown) or a permission query per
check fails here. Budgets are for a request after the first, what a worker serves all day.
"""
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from app.extensions import db
from tests.conftest import person

LIST_PAGE = 8   # the user; count and page; a filter's choices; a relation the rows show
LIST_API = 5    # the user; count and page; a relation the rows show
SCREENS = [("/desk/", "clerk.dhr", 8), ("/cash/", "cashier.dhr", 3),
           ("/opd/queue", "doctor.dhr", 6), ("/ipd/", "nurse.dhr", 7),
           ("/lab/", "doctor.dhr", 3), ("/day-end/", "supervisor.dhr", 10),
           ("/", "clerk.dhr", 3)]
PRINTS = {"opd-slip": 5, "prescription": 11, "receipt": 7, "lab-slip": 9, "admission": 9}
SEARCH_API = 4
# One POST: the patient, their UHID, the token, the fee. SQLite has no ordered RETURNING
# for a batch, so there the ORM writes a name's search tokens one INSERT each (five here:
# three words and two pairs written as one); PostgreSQL writes them in one.
REGISTER_WITH_VISIT = {"postgresql": 12, "sqlite": 16}


@pytest.fixture
def count_sql(app):
    """with count_sql() as seen: ... → the statements run meanwhile (BEGIN aside)."""
    with app.app_context():
        engine = db.engine

    @contextmanager
    def counting():
        seen = []

        def count(_conn, _cursor, statement, _params, _context, _many):
            if not statement.startswith("BEGIN"):
                seen.append(" ".join(statement.split())[:100])
        event.listen(engine, "before_cursor_execute", count)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return counting


def _warm_count(call, count_sql):
    """Statements of the second of two identical requests, and its response."""
    first = call()
    assert first.status_code in (200, 201), first.status_code
    with count_sql() as seen:
        resp = call()
    assert resp.status_code == first.status_code
    return seen, resp


def _report(over):
    return "\n".join(f"{what}: {len(seen)} > {budget}\n  " + "\n  ".join(seen)
                     for what, budget, seen in over)


@pytest.fixture
def busy_day(app, api, new_department, new_ward, medicine):
    """Today at DHR: patients with visits, paid bills, an admission, a consultation and
    a lab order, so that a statement per row shown would show."""
    from app.core.models import Facility
    from app.ipd import services as ipd
    from app.lab import services as lab
    from app.lab.models import LabTest
    from app.opd.consultation import open_consultation
    from app.opd.models import OpdVisit
    call = api("supervisor.dhr")
    from app.core.models import Village
    made = {"visits": [], "bills": []}
    with app.app_context():  # an address on the papers: the village comes with the patient
        village = db.session.execute(select(Village.id).limit(1)).scalar_one()
    for _ in range(6):
        pid = call("POST", "/api/v1/patient/", json=person(
            confirm_new=True, village=village)).get_json()["id"]
        made["visits"].append(call("POST", "/api/v1/opd_visit/", json={
            "patient": pid, "department": new_department()}).get_json()["id"])
        made["bills"].append(call("POST", "/api/v1/bill/", json={
            "patient": pid, "items": [{"code": "OPD-FU", "quantity": "1"}],
            "payment": {"mode": "cash", "amount": "5"}}).get_json()["id"])
    bed, = new_ward(beds=1)
    with app.app_context():
        dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        visit = db.session.get(OpdVisit, made["visits"][0])
        open_consultation(visit, None)
        made["admission"] = ipd.admit(dhr, pid, {"department": medicine(), "bed": bed},
                                      None).id
        cbc = db.session.execute(select(LabTest.id).where(
            LabTest.facility_id == dhr.id, LabTest.code == "CBC")).scalar()
        made["order"] = lab.place_order(dhr, pid, {"tests": [cbc]}, None).id
    return made


def test_generated_list_pages_and_list_apis_keep_their_budgets(app, as_user, api, busy_day,
                                                               count_sql):
    supervisor, rest = as_user("supervisor.dhr"), api("supervisor.dhr")
    admin = as_user("admin")  # FAB's role and permission lists are the state admin's
    over, checked = [], 0
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods:
            continue
        if rule.endpoint.endswith(".list"):
            client = supervisor if supervisor.get(rule.rule).status_code == 200 else admin
            seen, _r = _warm_count(lambda: client.get(rule.rule), count_sql)
            budget = LIST_PAGE
        elif rule.endpoint.endswith(".get_list"):
            seen, _r = _warm_count(lambda: rest("GET", rule.rule), count_sql)
            budget = LIST_API
        else:
            continue
        checked += 1
        if len(seen) > budget:
            over.append((rule.rule, budget, seen))
    assert checked >= 30
    assert not over, _report(over)


def test_screens_keep_their_budgets(as_user, busy_day, count_sql):
    over = []
    for path, user, budget in SCREENS + REPORT_PAGES:
        client = as_user(user)
        seen, _r = _warm_count(lambda: client.get(path), count_sql)
        if len(seen) > budget:
            over.append((f"{path} as {user}", budget, seen))
    assert not over, _report(over)


def test_printed_papers_keep_their_budgets(as_user, busy_day, count_sql):
    papers = {"opd-slip": busy_day["visits"][1], "prescription": busy_day["visits"][0],
              "receipt": busy_day["bills"][0], "lab-slip": busy_day["order"],
              "admission": busy_day["admission"]}
    supervisor, over = as_user("supervisor.dhr"), []
    for paper, row in papers.items():
        seen, resp = _warm_count(lambda: supervisor.get(f"/print/{paper}/{row}"), count_sql)
        assert resp.mimetype == "application/pdf"
        if len(seen) > PRINTS[paper]:
            over.append((paper, PRINTS[paper], seen))
    assert not over, _report(over)


def test_search_and_registration_keep_their_budgets(app, api, new_department, count_sql):
    call = api("clerk.dhr")
    seen, _r = _warm_count(lambda: call("GET", "/api/v1/patient/search?q=test"), count_sql)
    assert len(seen) <= SEARCH_API, _report([("search", SEARCH_API, seen)])
    department = new_department()
    with app.app_context():
        budget = REGISTER_WITH_VISIT[db.engine.dialect.name]
    seen, resp = _warm_count(lambda: call("POST", "/api/v1/opd_visit/", json={
        "new_patient": person(confirm_new=True), "department": department}), count_sql)
    assert resp.get_json()["result"]["token"] == 2
    assert len(seen) <= budget, _report([("register", budget, seen)])


# The lab's own screens and papers: a URL's row is read twice, once by the facility guard.
# A page showing a patient's record also writes the access log's row (core.access_log).
LAB_PAGES = [("/lab/samples/", "labtech.dhr", 6), ("/lab/results/", "labtech.dhr", 6),
             ("/lab/results/item/{waiting}", "labtech.dhr", 8),
             ("/lab/results/patient/{patient}", "doctor.dhr", 9),
             ("/lab/turnaround/", "pathologist.dhr", 3),
             ("/lab/order/{order}", "doctor.dhr", 11),
             ("/print/sample-label/{sample}", "labtech.dhr", 5),
             ("/print/lab-report/{order}", "doctor.dhr", 9),
             ("/print/lab-cumulative/{patient}?test=HB", "doctor.dhr", 9),
             ("/audit/timeline/?patient_id={patient}", "supervisor.dhr", 15)]


@pytest.fixture
def lab_day(app, new_patient):
    """Two paid CBCs of one patient, collected and received; one released, one waiting."""
    from flask_appbuilder.security.sqla.models import User

    from app.billing import services as billing
    from app.core.models import Facility
    from app.lab import results, samples
    from app.lab import services as lab
    from app.lab.models import LabOrderItem, LabSample, LabTest
    from tests.integration.lab.conftest import normal_value
    pid = new_patient()
    with app.app_context():
        dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        users = dict(db.session.execute(select(User.username, User.id)).all())
        cbc = db.session.execute(select(LabTest.id).where(
            LabTest.facility_id == dhr.id, LabTest.code == "CBC")).scalar()
        made = {"patient": pid}
        for step in ("released", "waiting"):
            order = lab.place_order(dhr, pid, {"tests": [cbc]}, None)
            bill = billing.create_bill(dhr, pid, [i.charge_id for i in order.items], [], None)
            billing.add_payment(bill, "cash", str(bill.net), None)
            db.session.commit()
            sample, = samples.collect(order, [], users["labtech.dhr"])
            samples.receive(dhr.id, sample.sample_number, users["labtech.dhr"])
            item = db.session.get(LabOrderItem, order.items[0].id)
            made[step] = item.id
            if step == "released":
                made.update(order=order.id, sample=sample.id)
                results.enter(item, {a.code: {"value": normal_value(a)}
                                     for a in results.analytes(item.test)}, users["labtech.dhr"])
                results.release(item, users["pathologist.dhr"])
        assert db.session.get(LabSample, made["sample"]).status == "received"
    return made


def test_lab_screens_and_papers_keep_their_budgets(as_user, lab_day, count_sql):
    over = []
    for path, user, budget in LAB_PAGES:
        path, client = path.format(**lab_day), as_user(user)
        seen, resp = _warm_count(lambda: client.get(path), count_sql)
        if len(seen) > budget:
            over.append((path, budget, seen))
    assert not over, _report(over)


# The ward's record: the admission's page (notes, vitals, medicines, lab results) and the
# medicine round; a URL's row is read twice, once by the facility guard.
# (the admission shown died: its death and MLC are read too; a living one's doctor reads
# the drug list instead)
IPD_PAGES = [("/ipd/admission/{admission}", "nurse.dhr", 22),
             ("/ipd/admission/{admission}", "doctor.dhr", 22),
             ("/ipd/mar/?ward={ward}", "nurse.dhr", 5),
             ("/ipd/summary/{admission}", "doctor.dhr", 16),
             ("/print/discharge-summary/{admission}", "nurse.dhr", 10),
             ("/print/death-certificate/{died}", "nurse.dhr", 8),
             ("/mlcregisterview/list/", "supervisor.dhr", 3),
             ("/ipd/handover/?ward={ward}", "nurse.dhr", 11),
             ("/print/handover?ward={ward}", "nurse.dhr", 12),
             ("/print/ward-chart/{admission}", "nurse.dhr", 8),
             ("/print/consent/{consent}", "nurse.dhr", 6),
             ("/print/departure/{referred}", "nurse.dhr", 8),
             ("/ipd/census/?from=01-11-2026&to=30-11-2026", "nurse.dhr", 5),
             # the timeline of the patient who died: a query per kind of record, however many
             ("/audit/timeline/?patient_id={patient}", "supervisor.dhr", 15)]


@pytest.fixture
def ward_day(app, new_ward, new_patient, medicine):
    """Two patients a day into their stay on one ward: vitals, a round and a nursing
    note, three medicine orders each with doses marked, so a query per row would show."""
    from datetime import timedelta

    from flask_appbuilder.security.sqla.models import User

    from app.core.models import Facility, utcnow
    from app.ipd import consents, deaths, fluids, medication, notes, summary, vitals
    from app.ipd import services as ipd
    from app.ipd.models import Admission, Bed
    beds = new_ward(beds=3)
    made = {}
    with app.app_context():
        dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        now = utcnow()
        doctor = db.session.execute(select(User).where(User.username == "doctor.dhr")).scalar()
        for bed in beds[:2]:
            admission = ipd.admit(dhr, new_patient(), {"department": medicine(), "bed": bed},
                                  None, now=now - timedelta(days=1))
            made["admission"], made["ward"] = admission.id, db.session.get(Bed, bed).ward_id
            made["patient"] = admission.patient_id
            for hours in (20, 10):
                vitals.record(admission, {"pulse": "88", "consciousness": "A"}, None,
                              now=now - timedelta(hours=hours))
            notes.write(admission, {"kind": "round", "assessment": "Improving", "diet": "soft",
                                    "discharge_on": now.date() + timedelta(days=2)}, doctor)
            notes.write(admission, {"kind": "nursing", "shift": "night", "text": "Comfortable"},
                        doctor)
            for route, ml in (("iv", "500"), ("oral", "200"), ("urine", "350")):
                fluids.record(db.session.get(Admission, admission.id),
                              {"route": route, "volume_ml": ml}, None)
            for drug, frequency in (("Ceftriaxone 1 g", "Q6H"), ("Paracetamol 500 mg", "QID"),
                                    ("Ondansetron 4 mg", "SOS")):
                order = medication.order(db.session.get(Admission, admission.id), {
                    "drug_name": drug, "dose": "1", "route": "IV", "frequency": frequency,
                    "start_at": now - timedelta(hours=20)}, None)
                for due in medication.doses(order, now - timedelta(hours=20), now)[:3]:
                    medication.administer(order, {"due_at": due, "outcome": "given"}, None)
            for code in ("A01.0", "J18.9"):
                summary.add_diagnosis(db.session.get(Admission, admission.id),
                                      {"diagnosis": code, "kind": "final"}, doctor)
            summary.save_summary(db.session.get(Admission, admission.id), {
                "course": "Improved", "condition": "Well", "rx_drug_1": "Paracetamol",
                "rx_frequency_1": "TDS", "rx_drug_2": "Cetirizine", "rx_frequency_2": "HS"},
                doctor, sign=True)
            deaths.save_mlc(db.session.get(Admission, admission.id), {
                "police_station": "PS Kotwali", "brought_by": "Police"}, None)
        made["consent"] = consents.record(db.session.get(Admission, made["admission"]), {
            "kind": "admission", "signed_by": "Self", "relation": "self",
            "witness": "Ward sister"}, None).id
        made["died"] = made["admission"]
        made["referred"] = ipd.discharge(ipd.admit(
            dhr, new_patient(), {"department": medicine(), "bed": beds[2]}, None,
            now=now - timedelta(hours=5)), {"discharge_type": "referred",
                                            "referred_to": "IGMC Shimla", "reason": "CT"},
            None).id
        deaths.record_death(db.session.get(Admission, made["died"]), {
            "died_at": now - timedelta(hours=1), "cause_a": "Septic shock",
            "underlying": "A41.9", "manner": "natural"}, doctor)
    return made


def test_ward_record_pages_keep_their_budgets(as_user, ward_day, count_sql):
    over = []
    for path, user, budget in IPD_PAGES:
        path, client = path.format(**ward_day), as_user(user)
        seen, resp = _warm_count(lambda: client.get(path), count_sql)
        assert resp.status_code == 200
        if len(seen) > budget:
            over.append((f"{path} as {user}", budget, seen))
    assert not over, _report(over)


# Reports count with one grouped query per kind of record, whatever the month holds and
# however many facilities the state has (a facility made by another test changes
# nothing); a drill-down reads its page of records in a few.
REPORT_PAGES = [("/hmis/", "supervisor.dhr", 11), ("/hmis/item/14.2.1", "supervisor.dhr", 8),
                ("/hmis/item/14.10", "supervisor.dhr", 10),
                ("/hmis/state", "auditor", 11), ("/registers/opd", "supervisor.dhr", 6),
                ("/registers/admissions", "supervisor.dhr", 6),
                ("/registers/deaths", "supervisor.dhr", 6),
                ("/dashboard/", "supervisor.dhr", 21),
                ("/dashboard/state", "auditor", 10)]
