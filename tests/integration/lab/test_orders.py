"""Lab orders (test slips): a doctor ticks tests, each is charged at once, the patient
pays at the counter (or it goes on the inpatient account), and the slip prints with
the order number as its barcode. Bad orders save nothing."""
import io
import re
import uuid
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.billing import services as billing
from app.billing.models import Bill, Charge
from app.core.base_views import DomainError
from app.core.models import Facility
from app.extensions import db
from app.ipd import services as ipd
from app.lab import services as lab
from app.lab.models import LabOrder, LabTest
from app.opd.models import OpdVisit
from app.registration.models import PatientCategory
from tests.conftest import denied, needs_scanner, scan_codes


def _facility(code="DHR"):
    return db.session.query(Facility).filter_by(code=code).one()


def _tests(app, *codes, facility="DHR"):
    with app.app_context():
        rows = db.session.execute(select(LabTest.code, LabTest.id).where(
            LabTest.facility_id == _facility(facility).id, LabTest.code.in_(codes))).all()
        ids = dict(rows)
        return [ids[c] for c in codes]


def _visit(app, pid, department):
    from app.opd import services as opd
    from app.registration.models import Patient
    with app.app_context():
        visit = opd.add_visit(db.session.get(Patient, pid), department)
        db.session.commit()
        return visit.id


def _order_id(resp):
    return int(re.search(r"/lab/order/(\d+)", resp.headers["Location"]).group(1))


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(LabOrder)),
                db.session.scalar(select(func.count()).select_from(Charge)))


def test_a_doctor_orders_tests_the_cashier_collects_and_the_slip_prints(
        app, as_user, new_patient, new_department, make_user):
    pid = new_patient(name="Kamla Devi")
    visit = _visit(app, pid, new_department())
    cbc, malaria = _tests(app, "CBC", "MP-RDT")
    doctor = as_user("doctor.dhr")
    page = doctor.get(f"/lab/order?patient={pid}&visit={visit}").get_data(as_text=True)
    assert "Complete blood count (CBC)" in page and "Malaria antigen (rapid test)" in page
    resp = doctor.post("/lab/order", data={
        "patient": pid, "visit": visit, "tests": [cbc, malaria], "priority": "urgent",
        "clinical_note": "Fever for 5 days"})
    assert resp.status_code == 302
    order_id = _order_id(resp)
    with app.app_context():
        order = lab.order_details(order_id)
        number = order.order_number
        assert re.fullmatch(r"DHR-LAB-\d{4}-\d{6}", number)
        assert order.opd_visit_id == visit and order.priority == "urgent"
        assert [(i.test.code, i.charge.amount, i.charge.source) for i in order.items] == [
            ("CBC", Decimal("50.00"), f"lab:{number}"),
            ("MP-RDT", Decimal("30.00"), f"lab:{number}")]
    page = doctor.get(f"/lab/order/{order_id}").get_data(as_text=True)
    assert page.count("To be paid at the cash counter") == 2

    # The cashier scans the slip's barcode: it finds the patient and the two tests.
    cashier = as_user(make_user("Cashier", "DHR"))
    resp = cashier.get(f"/cash/?q={number}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/cash/patient/{pid}")
    with app.app_context():
        pending = [c.id for c in billing.pending_charges(_facility().id, pid)
                   if c.source == f"lab:{number}"]
    resp = cashier.post(f"/cash/patient/{pid}/bill", data={
        "charge": pending, "mode": "cash", "amount": "80"})
    assert resp.status_code == 302
    page = doctor.get(f"/lab/order/{order_id}").get_data(as_text=True)
    assert page.count("Paid") >= 2 and "To be paid" not in page

    # The lab's find screen: by name, the patient to order for; by order number, the order.
    found = doctor.get("/lab/?q=Kamla Devi").get_data(as_text=True)
    assert f"/lab/order?patient={pid}" in found
    resp = doctor.get(f"/lab/?q={number}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/lab/order/{order_id}")

    slip = doctor.get(f"/print/lab-slip/{order_id}")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(slip.data)).pages[0].extract_text()
    assert number in text and "Kamla Devi" in text and "80.00" in text
    assert "REPRINT" not in text
    again = PdfReader(io.BytesIO(doctor.get(f"/print/lab-slip/{order_id}").data))
    assert "REPRINT" in again.pages[0].extract_text()

    # The visit's prescription lists the investigations ordered.
    with app.app_context():
        from app.opd.consultation import open_consultation
        open_consultation(db.session.get(OpdVisit, visit), None)
    rx = PdfReader(io.BytesIO(doctor.get(f"/print/prescription/{visit}").data))
    assert "Complete blood count (CBC); " in rx.pages[0].extract_text().replace("\n", " ")


@needs_scanner
def test_the_slip_barcode_scans_as_the_order_number(app, as_user, new_patient):
    pid = new_patient()
    resp = as_user("nurse.dhr").post("/lab/order", data={"patient": pid,
                                                        "tests": _tests(app, "HB")})
    order_id = _order_id(resp)
    with app.app_context():
        number = db.session.get(LabOrder, order_id).order_number
    pdf = as_user("nurse.dhr").get(f"/print/lab-slip/{order_id}").data
    assert f"CODE-128:{number}" in scan_codes(pdf)


def test_exempt_tests_are_free_and_an_inpatients_go_on_the_stay(app, new_patient, new_ward,
                                                                  medicine):
    bed, = new_ward(beds=1)
    with app.app_context():
        bpl = db.session.query(PatientCategory).filter_by(facility_id=_facility().id,
                                                          code="BPL").one().id
    poor = new_patient(category=str(bpl), card_number="HP-BPL-5566")
    inpatient = new_patient()
    cbc, hiv = _tests(app, "CBC", "HIV")
    with app.app_context():
        order = lab.place_order(_facility(), poor, {"tests": [cbc]}, None)
        item, = order.items
        assert (item.charge.amount, item.charge.scheme_en) == (Decimal("0.00"),
                                                               "BPL free treatment")
        assert lab.payment_state(item) == "free"

        admission = ipd.admit(_facility(), inpatient, {"department": medicine(), "bed": bed},
                              None)
        order = lab.place_order(_facility(), inpatient, {"tests": [cbc, hiv]}, None)
        assert order.admission_id == admission.id
        assert {i.charge.account_id for i in order.items} == {admission.account_id}
        assert [lab.payment_state(i) for i in order.items] == ["account", "free"]
        # Not at the counter: on the stay's interim bill.
        assert not [c for c in billing.pending_charges(_facility().id, inpatient)
                    if c.source.startswith("lab:")]
        bill = billing.bill_account(_facility(), admission.account, "interim", [], None)
        assert "CBC" in [line.code for line in bill.lines]


def test_bad_orders_are_refused_naming_the_field_and_save_nothing(
        app, as_user, api, new_patient, new_department, new_ward, medicine):
    pid = new_patient()
    other = new_patient()
    visit_of_other = _visit(app, other, new_department())
    cbc, = _tests(app, "CBC")
    ranchi_cbc, = _tests(app, "CBC", facility="RNC")
    ranchi_patient = new_patient(code="RNC")
    bed, = new_ward(beds=1)
    with app.app_context():
        inactive = LabTest(facility_id=_facility().id, code=f"OLD-{uuid.uuid4().hex[:6]}",
                           name_en="Old CBC", name_hi="पुराना सीबीसी", section="haematology",
                           sample="blood", active=False)
        db.session.add(inactive)
        db.session.commit()
        inactive_id = inactive.id
        admission = ipd.admit(_facility(), other, {"department": medicine(), "bed": bed}, None)
        ipd.discharge(admission, {"discharge_type": "recovered"}, None)
        discharged = admission.id
    doctor = as_user("doctor.dhr")
    before = _counts(app)
    cases = [
        ({"tests": []}, "tests", "Choose at least one test."),
        ({"tests": [999999]}, "tests", "active catalogue"),
        ({"tests": [ranchi_cbc]}, "tests", "active catalogue"),
        ({"tests": [inactive_id]}, "tests", "active catalogue"),
        ({"tests": ["abc"]}, "tests", "not one of the allowed choices"),
        ({"tests": [cbc], "visit": visit_of_other}, "visit", "is not this patient"),
        ({"tests": [cbc], "priority": "tomorrow"}, "priority", "not one of the allowed"),
        ({"tests": [cbc], "clinical_note": "x" * 301}, "clinical_note", "at most 300"),
    ]
    for data, field, message in cases:
        resp = doctor.post("/lab/order", data={"patient": pid, **data})
        assert resp.status_code == 422, data
        assert message in resp.get_data(as_text=True), data
    # A discharged admission, and a patient of another facility.
    with app.app_context(), pytest.raises(DomainError) as err:
        lab.place_order(_facility(), other, {"tests": [cbc], "admission": discharged}, None)
    assert "no longer admitted" in err.value.errors["admission"]
    resp = doctor.post("/lab/order", data={"patient": ranchi_patient, "tests": [cbc]})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/lab/")
    # The API refuses in the caller's language.
    resp = api("doctor.dhr", lang="hi")("POST", "/api/v1/lab_order/",
                                        json={"patient": pid, "tests": []})
    assert resp.status_code == 422
    assert "कम से कम एक जाँच चुनें।" in resp.get_json()["message"]["tests"][0]
    assert _counts(app) == before


def test_a_test_without_a_price_today_is_refused(app, new_patient):
    with app.app_context():
        code = f"NP-{uuid.uuid4().hex[:6]}"
        test = LabTest(facility_id=_facility().id, code=code, name_en="Unpriced",
                       name_hi="बिना मूल्य", section="serology", sample="blood", active=True)
        db.session.add(test)
        db.session.commit()
        test_id = test.id
    pid = new_patient()
    before = _counts(app)
    with app.app_context():
        with pytest.raises(DomainError) as err:
            lab.place_order(_facility(), pid, {"tests": [test_id]}, None)
        assert code in err.value.errors["tests"]
        test = db.session.get(LabTest, test_id)
        test.active = False  # out of the way of other tests' catalogue
        db.session.commit()
    assert _counts(app) == before


def test_cancelling_withdraws_the_charges_but_not_once_billed(app, as_user, new_patient,
                                                               make_user):
    pid = new_patient()
    esr, creat = _tests(app, "ESR", "CREAT")
    doctor = as_user("doctor.dhr")
    first = _order_id(doctor.post("/lab/order", data={"patient": pid, "tests": [esr]}))
    second = _order_id(doctor.post("/lab/order", data={"patient": pid, "tests": [creat]}))
    resp = doctor.post(f"/lab/order/{first}/cancel", data={"reason": ""})
    assert resp.status_code == 422 and "Give the reason" in resp.get_data(as_text=True)
    resp = doctor.post(f"/lab/order/{first}/cancel", data={"reason": "Wrong patient"})
    assert resp.status_code == 302
    with app.app_context():
        order = db.session.get(LabOrder, first)
        assert order.status == "cancelled" and order.cancel_reason == "Wrong patient"
        charge = order.items[0].charge
        assert charge.withdrawn_at is not None  # kept, marked, never billed
        pending = billing.pending_charges(_facility().id, pid)
        assert [c.code for c in pending] == ["CREAT"]
        bill = billing.create_bill(_facility(), pid, [pending[0].id], [], None)
        db.session.commit()
        number = bill.number
    resp = doctor.post(f"/lab/order/{second}/cancel", data={"reason": "Not needed"})
    assert resp.status_code == 422
    assert f"Already billed on {number}" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(LabOrder, second).status == "ordered"
        assert db.session.get(Bill, bill.id).status == "unpaid"
    resp = doctor.post(f"/lab/order/{first}/cancel", data={"reason": "again"})
    assert resp.status_code == 422 and "already cancelled" in resp.get_data(as_text=True)


def test_lab_orders_through_the_api_are_scoped_to_the_facility(app, api, new_patient):
    pid = new_patient()
    cbc, tsh = _tests(app, "CBC", "TSH")
    call = api("doctor.dhr")
    resp = call("POST", "/api/v1/lab_order/", json={"patient": pid, "tests": [cbc, tsh],
                                                    "priority": "routine"})
    assert resp.status_code == 201, resp.get_json()
    result = resp.get_json()["result"]
    assert [(t["code"], t["amount"]) for t in result["tests"]] == [
        ("CBC", "50.00"), ("TSH", "100.00")]
    order_id = resp.get_json()["id"]
    assert call("GET", f"/api/v1/lab_order/{order_id}").status_code == 200
    listed = call("GET", "/api/v1/lab_order/").get_json()
    assert order_id in listed["ids"]
    assert order_id not in api("doctor.rnc")("GET", "/api/v1/lab_order/").get_json()["ids"]
    assert api("doctor.rnc")("GET", f"/api/v1/lab_order/{order_id}").status_code == 404
    assert api("cashier.dhr")("POST", "/api/v1/lab_order/",
                              json={"patient": pid, "tests": [cbc]}).status_code == 403
    assert "lab_order" in str(call("GET", "/api/v1/_openapi").get_json()["paths"])


def test_who_may_order_and_keep_the_catalogue(app, as_user, new_patient):
    pid = new_patient()
    cbc, = _tests(app, "CBC")
    for user in ("cashier.dhr", "labtech.dhr", "clerk.dhr"):
        assert denied(as_user(user).post("/lab/order", data={"patient": pid, "tests": [cbc]}))
    # The catalogue: a test must be charged under a lab tariff of the facility.
    supervisor = as_user("supervisor.dhr")
    with app.app_context():
        fid = _facility().id
    before = _counts(app)
    resp = supervisor.post("/labtestview/add", data={
        "facility": fid, "code": "ECG", "name_en": "ECG", "name_hi": "ईसीजी",
        "section": "biochemistry", "sample": "blood", "active": "y"})
    assert "No lab test service with this code in the tariff." in resp.get_data(as_text=True)
    with app.app_context():
        assert not db.session.query(LabTest).filter_by(facility_id=fid, code="ECG").count()
    assert _counts(app) == before
