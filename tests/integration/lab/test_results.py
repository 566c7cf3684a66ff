"""From sample to signed report: the technician collects (once paid), prints and scans the
label, enters results that are flagged at once for the patient's age and sex; a
pathologist who did not enter them releases them; the report prints them with the ranges
used; an amendment keeps both versions. Bad input saves nothing."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from app.lab.models import LabResult, LabSample
from tests.conftest import needs_scanner, scan_codes
from tests.integration.lab.conftest import analytes_of, facility, item_state, items_of

SAMPLE = re.compile(r"DHR-L\d{6}-\d{4}")


def _pdf_text(resp) -> str:
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages)


def _samples(app, order_id):
    with app.app_context():
        return {s.test_codes: (s.id, s.sample_number, s.container) for s in db.session.execute(
            select(LabSample).where(LabSample.order_id == order_id)).scalars()}


def _grid(values: list, **extra) -> dict:
    return {**{f"value-{code}": value for code, value in values}, **extra}


def test_order_to_signed_report_with_a_flag_and_an_amendment(app, as_user, api, lab_order):
    order_id, pid = lab_order("CBC", "KFT", paid=False, name="Sunita Kumari Negi")
    tech = as_user("labtech.dhr")

    # Not paid: the screen says so and where to pay; nothing is collected.
    resp = tech.post(f"/lab/samples/collect/{order_id}", data={})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Not paid yet: CBC, KFT" in page and "cash counter" in page
    assert _samples(app, order_id) == {}
    order_id, pid = lab_order("CBC", "KFT", patient=pid)  # a second slip, paid

    resp = tech.post(f"/lab/samples/collect/{order_id}", data={})
    assert resp.status_code == 302
    taken = _samples(app, order_id)
    # One tube per sample and container: the CBC in EDTA, the KFT in a plain tube.
    assert {codes: container for codes, (_i, _n, container) in taken.items()} == {
        "CBC": "edta", "KFT": "plain"}
    cbc_sample_id, cbc_number, _c = taken["CBC"]
    assert SAMPLE.fullmatch(cbc_number)

    label = tech.get(f"/print/sample-label/{cbc_sample_id}")
    text = _pdf_text(label)
    assert cbc_number in text and "CBC" in text
    assert "Sunita Kumari Negi" in text and "सुनीता" in text and "नेगी" in text  # both scripts
    assert len(PdfReader(io.BytesIO(label.data)).pages) == 1
    box = PdfReader(io.BytesIO(label.data)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (50, 25)

    # Scanned at the lab's window (scanners type what they read, case and spaces as may be).
    for _codes, (_id, number, _c) in taken.items():
        resp = tech.post("/lab/samples/receive", data={"sample_number": f" {number.lower()} "})
        assert resp.status_code == 302
    items = items_of(app, order_id)
    assert item_state(app, items["CBC"])[0] == "received"

    # The grid: units and ranges beside the fields; one value high for a woman of 34.
    page = tech.get(f"/lab/results/item/{items['CBC']}").get_data(as_text=True)
    assert "g/dL" in page and 'name="value-HB"' in page
    values = [(code, "16.0" if code == "HB" else value)
              for code, value in analytes_of(app, items["CBC"])]
    status, revision = item_state(app, items["CBC"])
    resp = tech.post(f"/lab/results/item/{items['CBC']}", data=_grid(values, revision=revision))
    assert resp.status_code == 302
    with app.app_context():
        hb = db.session.execute(select(LabResult).join(LabResult.analyte).where(
            LabResult.order_id == order_id, LabResult.analyte.has(code="HB"))).scalar_one()
        assert (hb.value, hb.flag, hb.range_text, hb.status) == ("16.0", "H", "12.0 – 15.0",
                                                                "entered")
    assert item_state(app, items["CBC"])[0] == "entered"

    # The technician cannot release; the pathologist may, and the report shows it.
    status, revision = item_state(app, items["CBC"])
    assert tech.post(f"/lab/verify/item/{items['CBC']}",
                     data={"revision": revision}).status_code in (302, 403)
    assert item_state(app, items["CBC"])[0] == "entered"
    pathologist = as_user("pathologist.dhr")
    resp = pathologist.post(f"/lab/verify/item/{items['CBC']}", data={"revision": revision})
    assert resp.status_code == 302 and item_state(app, items["CBC"])[0] == "released"

    # The pathologist enters the KFT and may not release their own entry.
    call = api("pathologist.dhr")
    resp = call("POST", "/api/v1/lab_result/enter", json={
        "item": items["KFT"], "results": {code: {"value": value}
                                          for code, value in analytes_of(app, items["KFT"])}})
    assert resp.status_code == 200, resp.get_json()
    answer = resp.get_json()
    assert answer["status"] == "entered" and {r["status"] for r in answer["result"]} == {"entered"}
    resp = call("POST", "/api/v1/lab_result/release", json={"item": items["KFT"]})
    assert resp.status_code == 422 and "another colleague" in str(resp.get_json()["message"])

    doctor = as_user("doctor.dhr")
    page = doctor.get(f"/lab/order/{order_id}").get_data(as_text=True)
    assert "High" in page and "16.0" in page
    text = _pdf_text(doctor.get(f"/print/lab-report/{order_id}"))
    assert "LABORATORY REPORT" in text and "16.0" in text and "12.0 – 15.0" in text
    assert "MD (Pathology)" in text and "DEMO-DHR-0001" in text and cbc_number in text
    assert "Result pending" in text          # the KFT is not released yet
    assert "AMENDED" not in text

    # A released value changes only with a reason, as a new version.
    status, revision = item_state(app, items["CBC"])
    resp = tech.post(f"/lab/results/item/{items['CBC']}",
                     data=_grid([("HB", "14.0")], revision=revision))
    assert resp.status_code == 422 and "give the reason" in resp.get_data(as_text=True)
    resp = tech.post(f"/lab/results/item/{items['CBC']}", data=_grid(
        [("HB", "14.0")], revision=revision, reason="Sample of the wrong bed was run"))
    assert resp.status_code == 302
    _s, revision = item_state(app, items["CBC"])
    pathologist.post(f"/lab/verify/item/{items['CBC']}", data={"revision": revision})
    with app.app_context():
        versions = db.session.execute(select(LabResult.version, LabResult.value,
                                             LabResult.status)
                                      .join(LabResult.analyte).where(
            LabResult.order_id == order_id, LabResult.analyte.has(code="HB"))
            .order_by(LabResult.version)).all()
    assert versions == [(1, "16.0", "superseded"), (2, "14.0", "released")]
    text = _pdf_text(doctor.get(f"/print/lab-report/{order_id}?size=a5"))
    assert "AMENDED" in text and "was 16.0" in text and "14.0" in text

    # The API gives a result's value, unit, flag, range, status and version.
    rows = api("doctor.dhr")("GET", f"/api/v1/lab_result/?q=(filters:!((col:order,opr:rel_o_m,"
                                    f"value:{order_id})),page_size:100)").get_json()["result"]
    hb_rows = [r for r in rows if r["analyte"]["code"] == "HB"]
    assert {(r["value"], r["unit"], r["flag"], r["range_text"], r["status"], r["version"])
            for r in hb_rows} == {("16.0", "g/dL", "H", "12.0 – 15.0", "superseded", 1),
                                  ("14.0", "g/dL", None, "12.0 – 15.0", "released", 2)}


@needs_scanner
@pytest.mark.parametrize("name", [
    "राजेश कुमार शर्मा", "Lakshmi Narayan Chaudhary Bhattacharya",
    "श्रीमती सुशीला कुमारी देवी पत्नी श्री रामेश्वर प्रसाद चौधरी बिरसा नगर रांची झारखंड भारत"])
def test_the_label_is_one_label_and_scans_as_the_sample_number(app, as_user, lab_order, name):
    """Whatever the name's length, one 50 × 25 mm label, its barcode read back."""
    order_id, _pid = lab_order("HB", name=name)
    nurse = as_user("nurse.dhr")
    assert nurse.post(f"/lab/samples/collect/{order_id}", data={}).status_code == 302
    (sample_id, number, _c), = _samples(app, order_id).values()
    label = nurse.get(f"/print/sample-label/{sample_id}")
    assert len(PdfReader(io.BytesIO(label.data)).pages) == 1
    assert f"CODE-128:{number}" in scan_codes(label.data)


def test_a_rejected_sample_sends_its_tests_back_to_be_collected(app, as_user, api, lab_order,
                                                                medicine):
    order_id, _pid = lab_order("HB", "ESR")
    tech = as_user("labtech.dhr")
    tech.post(f"/lab/samples/collect/{order_id}", data={})
    (sample_id, number, _c), = _samples(app, order_id).values()
    resp = tech.post(f"/lab/samples/{sample_id}/reject", data={"reason": "", "note": ""})
    assert resp.status_code == 422 and "reason for rejecting" in resp.get_data(as_text=True)
    resp = tech.post(f"/lab/samples/{sample_id}/reject", data={"reason": "haemolysed",
                                                              "note": "Ward 3"})
    assert resp.status_code == 302
    page = as_user("nurse.dhr").get(f"/lab/order/{order_id}").get_data(as_text=True)
    assert "Haemolysed" in page and "collect a new sample" in page
    # The ward (and the doctor) see it on the admission's and the consultation's page.
    from app.opd import services as opd
    from app.registration.models import Patient
    with app.app_context():
        visit = opd.add_visit(db.session.get(Patient, _pid), medicine())
        db.session.commit()
        visit_id = visit.id
    page = as_user("doctor.dhr").get(f"/opd/consult/{visit_id}").get_data(as_text=True)
    assert "Sample rejected by the lab" in page and "Haemolysed" in page
    assert {item_state(app, i)[0] for i in items_of(app, order_id).values()} == {"ordered"}
    # A rejected sample is not received, nor are results entered from it.
    resp = api("labtech.dhr", lang="hi")("POST", "/api/v1/lab_sample/receive",
                                         json={"sample_number": number})
    assert resp.status_code == 422 and "sample_number" in resp.get_json()["message"]
    item = items_of(app, order_id)["HB"]
    resp = api("labtech.dhr")("POST", "/api/v1/lab_result/enter",
                              json={"item": item, "results": {"HB": {"value": "12.0"}}})
    assert resp.status_code == 422 and "collect a sample" in str(resp.get_json()["message"])
    # Collected again: a new number.
    resp = api("labtech.dhr")("POST", "/api/v1/lab_sample/", json={"order": order_id})
    assert resp.status_code == 201
    assert resp.get_json()["result"][0]["sample_number"] != number


def test_the_ward_board_tells_the_nurses_to_collect_a_rejected_sample_again(
        app, as_user, lab_order, new_patient, new_ward, medicine):
    from app.ipd import services as ipd
    pid = new_patient(name="Kamla Devi")
    bed, = new_ward(beds=1)
    with app.app_context():
        ipd.admit(facility(), pid, {"department": medicine(), "bed": bed}, None)
    order_id, _pid = lab_order("HB", patient=pid, paid=False)  # on the stay's account
    tech, nurse = as_user("labtech.dhr"), as_user("nurse.dhr")
    tech.post(f"/lab/samples/collect/{order_id}", data={})
    (sample_id, _n, _c), = _samples(app, order_id).values()
    assert "collect-again" not in nurse.get("/ipd/").get_data(as_text=True)
    tech.post(f"/lab/samples/{sample_id}/reject", data={"reason": "clotted", "note": ""})
    board = nurse.get("/ipd/").get_data(as_text=True)
    assert 'id="collect-again"' in board and "Kamla Devi" in board and "Clotted" in board
    board = as_user("nurse.dhr", lang="hi").get("/ipd/").get_data(as_text=True)
    assert "दोबारा" in board  # the message, in the nurse's language
    # Collected again: the board stops asking.
    assert nurse.post(f"/lab/samples/collect/{order_id}", data={}).status_code == 302
    assert "collect-again" not in nurse.get("/ipd/").get_data(as_text=True)


def test_bad_results_are_refused_naming_the_field_and_save_nothing(app, as_user, api,
                                                                    lab_order, make_user):
    order_id, _pid = lab_order("HB", "HIV", "CBC")
    tech = api("labtech.dhr")
    items = items_of(app, order_id)
    # Before the sample: refused.
    resp = tech("POST", "/api/v1/lab_result/enter",
                json={"item": items["HB"], "results": {"HB": {"value": "12.0"}}})
    assert resp.status_code == 422 and "sample" in resp.get_json()["message"]
    as_user("labtech.dhr").post(f"/lab/samples/collect/{order_id}", data={})
    for _codes, (_id, number, _c) in _samples(app, order_id).items():
        tech("POST", "/api/v1/lab_sample/receive", json={"sample_number": number})

    def count():
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(LabResult).where(
                LabResult.order_id == order_id))
    cases = [
        (items["HB"], {"HB": {"value": "twelve"}}, "HB", "Enter a number"),
        (items["HB"], {"HB": {"value": "12.25"}}, "HB", "At most 1 decimal"),
        (items["HB"], {"HB": {"value": "45.0"}}, "HB", "outside what is possible"),
        (items["HB"], {"HB": {"value": "5.0"}}, "HB", "Critical value"),
        (items["HB"], {"HB": {"value": "5.0", "called_to": "Dr Verma"}}, "HB", "Critical value"),
        (items["HIV"], {"HIV": {"value": "Maybe"}}, "HIV", "Choose one of"),
        (items["HB"], {"ESR": {"value": "10"}}, "results", "Not part of this test"),
        (items["HB"], {"HB": {"value": ""}}, "results", "at least one result"),
    ]
    for item, values, field, message in cases:
        resp = tech("POST", "/api/v1/lab_result/enter", json={"item": item, "results": values})
        assert resp.status_code == 422, (values, resp.get_json())
        assert message in str(resp.get_json()["message"].get(field)), (values, resp.get_json())
    assert count() == 0
    # In Hindi too, naming the field.
    resp = api("labtech.dhr", lang="hi")("POST", "/api/v1/lab_result/enter", json={
        "item": items["HB"], "results": {"HB": {"value": "बारह"}}})
    assert resp.status_code == 422 and "संख्या" in str(resp.get_json()["message"]["HB"])
    # Confirmed, and noted as phoned: saved.
    resp = tech("POST", "/api/v1/lab_result/enter", json={"item": items["HB"], "results": {
        "HB": {"value": "5.0", "called_to": "Dr Verma, ward 3", "called_at": "10:42"}}})
    assert resp.status_code == 200 and resp.get_json()["result"][0]["flag"] == "LL"
    # A stale revision: told it changed, nothing saved over it.
    resp = tech("POST", "/api/v1/lab_result/enter", json={
        "item": items["HB"], "revision": 0, "results": {"HB": {"value": "8.0"}}})
    assert resp.status_code == 409
    # Another facility's sample number, a made-up one; another facility's item.
    for number in ("RNC-L260101-0001", "XYZ", "DHR-L991231-9999"):
        resp = tech("POST", "/api/v1/lab_sample/receive", json={"sample_number": number})
        assert resp.status_code == 422 and "No such sample" in str(resp.get_json()["message"])
    other = api(make_user("Lab Technician", "RNC"))
    resp = other("POST", "/api/v1/lab_result/enter",
                 json={"item": items["HB"], "results": {"HB": {"value": "9.0"}}})
    assert resp.status_code == 422
    assert resp.get_json()["message"] == {"item": ["Ordered test: No such record."]}
    assert as_user(make_user("Lab Technician", "RNC")).get(
        f"/lab/results/item/{items['HB']}").status_code == 404
    assert count() == 1


def test_worklist_shows_urgent_first_and_the_entry_screen_in_hindi(app, as_user, lab_order):
    order_id, _pid = lab_order("HB")
    tech = as_user("labtech.dhr", lang="hi")
    tech.post(f"/lab/samples/collect/{order_id}", data={})
    (_id, number, _c), = _samples(app, order_id).values()
    tech.post("/lab/samples/receive", data={"sample_number": number})
    page = tech.get("/lab/results/?section=haematology").get_data(as_text=True)
    assert number in page
    item = items_of(app, order_id)["HB"]
    page = tech.get(f"/lab/results/item/{item}").get_data(as_text=True)
    assert "हीमोग्लोबिन" in page
    resp = tech.post(f"/lab/results/item/{item}", data={"value-HB": "abc", "revision": "0"})
    assert resp.status_code == 422 and "संख्या" in resp.get_data(as_text=True)


def test_pending_beyond_target_is_listed_for_the_lab_in_charge(app, as_user, new_patient):
    from datetime import timedelta

    from app.core.models import utcnow
    from app.lab import services as lab
    from tests.integration.lab.conftest import facility, test_ids
    pid = new_patient()
    hb, = test_ids(app, "HB")
    with app.app_context():
        late = lab.place_order(facility(), pid, {"tests": [hb]}, None,
                               now=utcnow() - timedelta(hours=6)).order_number
        fresh = lab.place_order(facility(), pid, {"tests": [hb]}, None).order_number
    page = as_user("pathologist.dhr").get("/lab/turnaround/").get_data(as_text=True)
    assert late in page and fresh not in page


def _release_hb(app, pid, value, tech_id, pathologist_id):
    """An HB ordered, paid, collected, received, entered and released for the patient."""
    from app.billing import services as billing
    from app.lab import results, samples
    from app.lab import services as lab
    from tests.integration.lab.conftest import facility, test_ids
    hb, = test_ids(app, "HB")
    with app.app_context():
        order = lab.place_order(facility(), pid, {"tests": [hb]}, None)
        bill = billing.create_bill(facility(), pid, [i.charge_id for i in order.items], [], None)
        billing.add_payment(bill, "cash", str(bill.net), None)
        db.session.commit()
        sample, = samples.collect(order, [], tech_id)
        samples.receive(facility().id, sample.sample_number, tech_id)
        item = results.item_for_entry(order.items[0].id)
        results.enter(item, {"HB": {"value": value}}, tech_id)
        results.release(results.item_for_entry(item.id), pathologist_id)
        return order.order_number


def test_cumulative_report_shows_a_test_over_time(app, as_user, new_patient):
    from flask_appbuilder.security.sqla.models import User
    pid = new_patient()
    with app.app_context():
        users = dict(db.session.execute(select(User.username, User.id).where(
            User.username.in_(["labtech.dhr", "pathologist.dhr"]))).all())
    numbers = [_release_hb(app, pid, value, users["labtech.dhr"], users["pathologist.dhr"])
               for value in ("9.8", "11.2", "12.6")]
    # The delta check: a fall of more than 2.0 g/dL since the last result is marked.
    _release_hb(app, pid, "10.1", users["labtech.dhr"], users["pathologist.dhr"])
    with app.app_context():
        deltas = db.session.execute(select(LabResult.value, LabResult.delta_from).where(
            LabResult.patient_id == pid).order_by(LabResult.id)).all()
    assert deltas == [("9.8", None), ("11.2", None), ("12.6", None), ("10.1", "12.6")]
    doctor = as_user("doctor.dhr", lang="hi")
    page = doctor.get(f"/lab/results/patient/{pid}?test=HB").get_data(as_text=True)
    assert all(n in page for n in numbers) and "data:image/png;base64," in page
    assert page.index("9.8") < page.index("11.2") < page.index("12.6") < page.index("10.1")
    assert "कम" in page  # 9.8 is low for a woman
    text = _pdf_text(doctor.get(f"/print/lab-cumulative/{pid}?test=HB"))
    assert "CUMULATIVE LAB REPORT" in text and all(v in text for v in ("9.8", "11.2", "12.6"))
    # Another facility's staff do not see it.
    assert as_user("doctor.rnc").get(f"/lab/results/patient/{pid}").status_code == 404
    assert as_user("doctor.rnc").get(f"/print/lab-cumulative/{pid}?test=HB").status_code == 404
