"""The auditor's patient timeline: one patient's registration, visits, consultation,
admission and transfer and discharge, lab order and result and its amendment, bill,
payment and refund, a merged duplicate, a print and an opening of the record, in the
order they happened, each with the user who did it, in English and in Hindi."""
import html
import re

import pytest
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import event, select
from werkzeug.datastructures import MultiDict

from app.core.models import Facility
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission, Bed
from app.lab import results, samples
from app.lab import services as lab
from app.lab.models import LabOrder, LabOrderItem, LabTest
from app.opd import consultation as consult
from app.opd.models import OpdVisit
from app.reports import timeline
from tests.conftest import DEMO_PASSWORD, denied, person

ROW = re.compile(r"<tr><td[^>]*>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td></tr>", re.S)
TAG = re.compile(r"<[^>]+>")
LAMA = {"discharge_type": "lama", "lama_reason": "Wants treatment nearer home",
        "risks_explained": "Fever may return", "signed_by": "Mohan Lal", "relation": "child",
        "witness": "Ward sister Kamla"}


def _rows(page: str) -> list[tuple[str, str, str]]:
    """(when, what, who) of each line of the timeline's table, as the user reads them."""
    table = page.split("hmis-timeline")[1].split("</table>")[0]
    return [tuple(html.unescape(" ".join(TAG.sub(" ", cell).split())) for cell in row)
            for row in ROW.findall(table)]


def _in_order(rows, expected):
    """Each (words, user) of `expected` is a line, in this order; returns the lines."""
    found, start = [], 0
    for words, user in expected:
        at = next((n for n in range(start, len(rows)) if words in rows[n][1]), None)
        assert at is not None, f"{words!r} not found after line {start}:\n" + "\n".join(
            " | ".join(r) for r in rows)
        assert rows[at][2] == user, (words, rows[at])
        assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", rows[at][0]), rows[at]
        found.append(rows[at])
        start = at + 1
    return found


def _statements(app, call) -> list[str]:
    """The SQL statements `call` runs (BEGIN aside)."""
    with app.app_context():
        engine = db.engine
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):
            seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


@pytest.fixture
def story(app, api, as_user, new_department, new_ward, medicine):
    """A DHR patient's stay, each act by the user who does it at the hospital."""
    clerk = api("clerk.dhr")
    made = {}
    for key in ("patient", "duplicate"):
        made[key] = clerk("POST", "/api/v1/patient/", json=person(confirm_new=True))\
            .get_json()["result"]
    first_visit = clerk("POST", "/api/v1/opd_visit/", json={
        "patient": made["duplicate"]["id"], "department": new_department()})
    assert first_visit.status_code == 201
    supervisor = as_user("supervisor.dhr")
    assert supervisor.post("/patients/merge/", data={
        "survivor": made["patient"]["uhid"], "duplicate": made["duplicate"]["uhid"],
        "action": "merge", "reason": "Same person registered twice"}).status_code == 302
    pid = made["patient"]["id"]
    assert clerk("PUT", f"/api/v1/patient/{pid}", json={"mobile": "9816012345"}) \
        .status_code == 200
    visit = clerk("POST", "/api/v1/opd_visit/", json={"patient": pid,
                                                      "department": new_department()})
    made["visit"] = visit.get_json()["id"]
    assert as_user("clerk.dhr").get(f"/print/opd-slip/{made['visit']}?size=a5") \
        .status_code == 200
    general, = new_ward(beds=1)
    icu, = new_ward(beds=1, tariff="BED-ICU")
    with app.app_context():
        users = dict(db.session.execute(select(User.username, User.id)).all())
        dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        record = consult.open_consultation(db.session.get(OpdVisit, made["visit"]),
                                           users["doctor.dhr"])
        consult.save(record, MultiDict({"diagnosis_1": "J18.9", "diagnosis_kind_1": "final"}),
                     finish=True)
        hb = db.session.execute(select(LabTest.id).where(
            LabTest.facility_id == dhr.id, LabTest.code == "HB")).scalar_one()
        made["order"] = lab.place_order(dhr, pid, {"tests": [hb]}, users["doctor.dhr"]).id
    cashier = as_user("cashier.dhr")
    with app.app_context():
        from app.billing.services import pending_charges
        charges = pending_charges(dhr.id, pid)
        made["paid"] = sum(c.amount for c in charges)
    resp = cashier.post(f"/cash/patient/{pid}/bill", data={
        "charge": [c.id for c in charges], "mode": "cash", "amount": str(made["paid"])})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    made["bill"] = int(re.search(r"/cash/bill/(\d+)", resp.headers["Location"]).group(1))
    assert cashier.post(f"/cash/bill/{made['bill']}/refund", data={
        "amount": "5", "reason": "Fee charged twice", "auth_username": "supervisor.dhr",
        "auth_password": DEMO_PASSWORD}).status_code == 302
    with app.app_context():
        order = db.session.get(LabOrder, made["order"])
        sample, = samples.collect(order, [], users["labtech.dhr"])
        made["sample"] = sample.sample_number
        samples.receive(dhr.id, sample.sample_number, users["labtech.dhr"])
        item_id = order.items[0].id
        for value, reason in (("9.2", ""), ("10.1", "Typed wrong")):
            results.enter(db.session.get(LabOrderItem, item_id), {"HB": {"value": value}},
                          users["labtech.dhr"], reason=reason)
            results.release(db.session.get(LabOrderItem, item_id), users["pathologist.dhr"])
        admission = ipd.admit(dhr, pid, {"department": medicine(), "bed": general},
                              users["nurse.dhr"])
        made["ipd"] = admission.ipd_number
        made["wards"] = [db.session.get(Bed, b).ward.name_en for b in (general, icu)]
        ipd.transfer(admission, icu, "Needs oxygen", users["nurse.dhr"])
        ipd.discharge(db.session.get(Admission, admission.id), LAMA, users["doctor.dhr"])
    assert supervisor.get(f"/patientview/show/{pid}").status_code == 200   # opened
    return made


def test_the_timeline_tells_the_patients_story_in_order(app, as_user, story):
    uhid, duplicate = story["patient"]["uhid"], story["duplicate"]["uhid"]
    auditor = as_user("auditor")
    auditor.get(f"/audit/timeline/?patient={uhid}")
    pages = []
    # A statement per kind of record (and the log), however many rows: every kind here.
    assert len(_statements(app, lambda: pages.append(auditor.get(
        f"/audit/timeline/?patient={uhid}")))) <= 20
    page, = pages
    assert page.status_code == 200
    rows = _rows(page.get_data(as_text=True))
    ward, icu = story["wards"]
    lines = _in_order(rows, [
        (f"Registered, UHID {uhid}", "clerk.dhr"),
        (f"Registered, UHID {duplicate}", "clerk.dhr"),
        ("OPD visit to Test OPD, token 1", "clerk.dhr"),
        (f"Duplicate record {duplicate} merged into {uhid}: Same person registered twice",
         "supervisor.dhr"),
        ("Details changed: Mobile: — → 9816012345", "clerk.dhr"),
        ("OPD visit to Test OPD, token 1", "clerk.dhr"),
        ("Printed: OPD slip", "clerk.dhr"),
        ("Consultation: diagnosis J18.9 Pneumonia", "doctor.dhr"),
        ("Lab order DHR-LAB-", "doctor.dhr"),
        ("Bill DHR/", "cashier.dhr"),
        (f"Payment ₹{story['paid']} (Cash), bill DHR/", "cashier.dhr"),
        ("Refund ₹5.00 (Cash), bill DHR/", "cashier.dhr"),
        (f"Sample {story['sample']} collected (HB)", "labtech.dhr"),
        ("released: HB 9.2 g/dL", "pathologist.dhr"),
        ("amended: HB 9.2 → 10.1 g/dL; reason: Typed wrong", "labtech.dhr"),
        ("released: HB 10.1 g/dL", "pathologist.dhr"),
        (f"Admitted ({story['ipd']}) to {ward}, bed 1", "nurse.dhr"),
        (f"Transferred to {icu}, bed 1: Needs oxygen", "nurse.dhr"),
        (f"Left against medical advice (LAMA) · {story['ipd']}", "doctor.dhr"),
        ("Record opened: patient's details", "supervisor.dhr"),
    ])
    # The duplicate's own records say which UHID they were under; nothing is told twice.
    assert f"(under {duplicate})" in lines[2][1]
    assert "under" not in lines[1][1] + lines[5][1]
    assert sum("OPD visit to" in r[1] for r in rows) == 2
    assert sum("Printed" in r[1] for r in rows) == 1
    body = page.get_data(as_text=True)
    assert f'href="/opdvisitview/show/{story["visit"]}"' in body      # the record's own page
    assert f'href="/lab/order/{story["order"]}"' in body
    # Newest first on asking; the duplicate's UHID leads to the same timeline.
    newest = _rows(as_user("auditor").get(
        f"/audit/timeline/?patient={uhid}&order=newest").get_data(as_text=True))
    assert "Record opened: timeline" in newest[0][1] and "Registered" in newest[-1][1]
    again = as_user("auditor").get(f"/audit/timeline/?patient={duplicate}")
    assert f"{uhid} · " in again.get_data(as_text=True)
    events = auditor.get(f"/audit/events/?patient={uhid}").get_data(as_text=True)
    assert f'href="/audit/timeline/?patient={uhid}"' in events


def test_the_timeline_reads_in_hindi(as_user, story):
    uhid = story["patient"]["uhid"]
    page = as_user("supervisor.dhr", lang="hi").get(f"/audit/timeline/?patient={uhid}")
    assert page.status_code == 200
    rows = _rows(page.get_data(as_text=True))
    _in_order(rows, [
        (f"पंजीकरण हुआ, UHID {uhid}", "clerk.dhr"),
        ("ओपीडी विज़िट: परीक्षण ओपीडी, टोकन 1", "clerk.dhr"),
        ("छापा गया: ओपीडी पर्ची", "clerk.dhr"),
        ("परामर्श: निदान J18.9", "doctor.dhr"),
        ("जाँच लिखी गई", "doctor.dhr"),
        ("बिल DHR/", "cashier.dhr"),
        (f"भुगतान ₹{story['paid']} (नकद)", "cashier.dhr"),
        ("पैसे वापसी ₹5.00 (नकद)", "cashier.dhr"),
        ("का परिणाम जारी: HB 9.2 g/dL", "pathologist.dhr"),
        ("का परिणाम संशोधित: HB 9.2 → 10.1 g/dL", "labtech.dhr"),
        (f"भर्ती ({story['ipd']})", "nurse.dhr"),
        ("स्थानांतरण", "nurse.dhr"),
        ("डॉक्टर की सलाह के विरुद्ध गया (LAMA)", "doctor.dhr"),
        ("रिकॉर्ड खोला गया: मरीज़ का विवरण", "supervisor.dhr"),
    ])
    text = " ".join(r[1] for r in rows)
    for english in ("Registered", "OPD visit to", "Payment", "Refund", "Admitted",
                    "Transferred", "Printed", "Record opened", "Cash"):
        assert english not in text, english


def test_the_timeline_is_scoped_and_refuses_bad_input_plainly(api, as_user):
    created = api("clerk.dhr")("POST", "/api/v1/patient/", json=person(confirm_new=True))
    uhid, pk = created.get_json()["result"]["uhid"], created.get_json()["id"]
    other = as_user("supervisor.rnc").get(f"/audit/timeline/?patient={uhid}")
    assert other.status_code == 404 and "No such record." in other.get_data(as_text=True)
    assert as_user("supervisor.rnc").get(f"/audit/timeline/?patient_id={pk}").status_code \
        == 404
    hindi = as_user("supervisor.dhr", lang="hi").get("/audit/timeline/?patient=DHR-99-9999999")
    assert hindi.status_code == 404 and "No such record." not in hindi.get_data(as_text=True)
    supervisor = as_user("supervisor.dhr")
    for bad in ("", "%00", "x" * 5000, "DHR-26-0000001%27--", "%E2%80%AEDHR"):
        resp = supervisor.get(f"/audit/timeline/?patient={bad}&patient_id=99999999999999")
        assert resp.status_code in (200, 404, 422), bad   # 422: the input guard
    assert supervisor.get(f"/audit/timeline/?patient={uhid}").status_code == 200
    for user in ("clerk.dhr", "doctor.dhr", "cashier.dhr"):
        assert denied(as_user(user).get(f"/audit/timeline/?patient={uhid}")), user
    # The patient's page offers the timeline to those who may read it.
    assert "hmis-timeline-link" in supervisor.get(f"/patientview/show/{pk}").get_data(as_text=True)
    assert "hmis-timeline-link" not in as_user("clerk.dhr").get(
        f"/patientview/show/{pk}").get_data(as_text=True)


def test_the_timeline_is_capped_and_says_so(app, new_patient):
    pid = new_patient()
    with app.app_context():
        from app.registration.models import Patient
        patient = db.session.get(Patient, pid)
        lines, capped = timeline.read(patient)
        assert not capped and [line.what.split(",")[0] for line in lines] == ["Registered"]
    # Opened a few times, and only one line shown: the latest is kept, and capped said.
    with app.app_context():
        patient = db.session.get(Patient, pid)
        from app.core.audit import record_event
        for _ in range(3):
            record_event(db.session, "view", "patient", pid, facility_id=patient.facility_id,
                         detail="PatientView.show")
        db.session.commit()
        lines, capped = timeline.read(patient, shown=1)
        assert capped and len(lines) == 1 and "Record opened" in lines[0].what
