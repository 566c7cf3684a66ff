"""Admit, transfer, discharge: IPD numbers, beds held by one patient at a time, and
bed-days charged to the admission's account by the midnight census."""
import re
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.billing.models import Charge
from app.core.base_views import DomainError
from app.core.formatting import IST
from app.core.models import Facility
from app.extensions import db
from app.ipd import services as ipd
from app.ipd.models import Admission, Bed, BedStay
from tests.conftest import DEMO_PASSWORD, denied, needs_scanner, scan_codes


def at(day, hour=10, minute=0, month=11):
    return datetime(2026, month, day, hour, minute, tzinfo=IST)


def _facility():
    return db.session.query(Facility).filter_by(code="DHR").one()


def _bed_charges(admission):
    return sorted((c.code, c.quantity, c.amount) for c in db.session.execute(
        select(Charge).where(Charge.account_id == admission.account_id)).scalars())


def test_bed_days_follow_the_midnight_census_across_a_transfer(app, new_ward, new_patient,
                                                              medicine):
    general, = new_ward(beds=1)
    icu, = new_ward(beds=1, tariff="BED-ICU")
    pid = new_patient(gender="M")
    with app.app_context():
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": general},
                              None, now=at(20))
        assert re.fullmatch(r"DHR-IPD-2026-\d{6}", admission.ipd_number)
        ipd.transfer(admission, icu, "Breathless", None, now=at(22, 15))
        ipd.discharge(admission, {"discharge_type": "recovered"}, None, now=at(24, 11))
        # Nights of the 20th and 21st in the general bed, 22nd and 23rd in the ICU;
        # the admission fee once.
        assert _bed_charges(admission) == [
            ("ADM-FEE", Decimal("1.00"), Decimal("25.00")),
            ("BED-GEN", Decimal("2.00"), Decimal("100.00")),
            ("BED-ICU", Decimal("2.00"), Decimal("1000.00"))]
        assert admission.account.closed_at is not None
        assert [s.to_at is not None for s in admission.stays] == [True, True]
        assert ipd.current_admission(admission.patient) is None


def test_nights_are_charged_once_however_often_the_census_runs(app, new_ward, new_patient,
                                                               medicine):
    bed, = new_ward(beds=1)
    pid = new_patient()
    with app.app_context():
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": bed},
                              None, now=at(1, 23, 30))
        assert ipd.post_bed_days(admission, at(3).date()) == 2   # nights of the 1st and 2nd
        assert ipd.post_bed_days(admission, at(3).date()) == 0
        db.session.commit()
        ipd.discharge(admission, {"discharge_type": "recovered"}, None, now=at(3, 9))
        assert sum(q for code, q, _ in _bed_charges(admission) if code == "BED-GEN") == 2


def test_a_same_day_discharge_pays_one_bed_day(app, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1, tariff="BED-PVT")
    pid = new_patient()
    with app.app_context():
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": bed},
                              None, now=at(5, 8))
        ipd.discharge(admission, {"discharge_type": "referred", "referred_to": "IGMC Shimla",
                                  "reason": "Needs a neurosurgeon"}, None, now=at(5, 18))
        assert ("BED-PVT", Decimal("1.00"), Decimal("300.00")) in _bed_charges(admission)


def test_the_board_shows_each_patients_day_of_stay(app, as_user, admitted):
    admission_id = admitted(days_ago=2)
    board = as_user("nurse.dhr").get("/ipd/").get_data(as_text=True)
    with app.app_context():
        number = db.session.get(Admission, admission_id).ipd_number
    card = board.split(number)[1].split("</a>")[0]
    assert "day 3" in card   # admitted two days ago: the third day of the stay
    hindi = as_user("nurse.dhr", lang="hi").get("/ipd/").get_data(as_text=True)
    assert "दिन 3" in hindi.split(number)[1].split("</a>")[0]


def test_a_same_day_move_is_charged_by_the_bed_held_at_midnight_or_the_dearest(
        app, new_ward, new_patient, medicine):
    general, general_2 = new_ward(beds=2)
    icu, icu_2 = new_ward(beds=2, tariff="BED-ICU")
    with app.app_context():
        # Moved up the same morning and still in the ICU at midnight: an ICU night.
        stayed = ipd.admit(_facility(), new_patient(), {"department": medicine(),
                                                        "bed": general}, None, now=at(6, 8))
        ipd.transfer(stayed, icu, "Shock", None, now=at(6, 11))
        ipd.discharge(stayed, {"discharge_type": "recovered"}, None, now=at(7, 10))
        assert [c for c in _bed_charges(stayed) if c[0].startswith("BED")] == [
            ("BED-ICU", Decimal("1.00"), Decimal("500.00"))]
        # Moved up and back the same day, never past midnight: one day of the dearest bed.
        day = ipd.admit(_facility(), new_patient(), {"department": medicine(),
                                                     "bed": general_2}, None, now=at(8, 8))
        ipd.transfer(day, icu_2, "Observation after a seizure", None, now=at(8, 10))
        ipd.discharge(day, {"discharge_type": "recovered"}, None, now=at(8, 20))
        assert [c for c in _bed_charges(day) if c[0].startswith("BED")] == [
            ("BED-ICU", Decimal("1.00"), Decimal("500.00"))]


def test_exempt_patients_bed_days_are_free_with_the_scheme(app, new_ward, new_patient,
                                                           medicine):
    bed, = new_ward(beds=1)
    with app.app_context():
        from app.registration.models import PatientCategory
        bpl = db.session.query(PatientCategory).filter_by(facility_id=_facility().id,
                                                          code="BPL").one()
        category = bpl.id
    pid = new_patient(category=str(category), card_number="HP-BPL-1234")
    with app.app_context():
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": bed},
                              None, now=at(6))
        ipd.discharge(admission, {"discharge_type": "recovered"}, None, now=at(8))
        charges = db.session.execute(select(Charge).where(
            Charge.account_id == admission.account_id, Charge.code == "BED-GEN")).scalars().all()
        assert [(c.quantity, c.amount, c.scheme_en) for c in charges] == [
            (Decimal("2.00"), Decimal("0.00"), "BPL free treatment")]


def _count_admissions():
    return db.session.execute(select(func.count(Admission.id))).scalar()


@pytest.mark.parametrize("change, field", [
    ({"bed": "occupied"}, "bed"),
    ({"bed": "male_ward"}, "bed"),
    ({"bed": "other_facility"}, "bed"),
    ({"bed": ""}, "bed"),
    ({"department": ""}, "department"),
    ({"arrival": "WALKED"}, "arrival"),
    ({"attendant_mobile": "12345"}, "attendant_mobile"),
    ({"provisional_diagnosis": "x" * 301}, "provisional_diagnosis"),
])
def test_bad_admissions_are_refused_naming_the_field(app, new_ward, new_patient, medicine,
                                                     change, field):
    free, taken = new_ward(beds=2)
    male, = new_ward(beds=1, gender="M")
    elsewhere, = new_ward(code="RNC", beds=1)
    beds = {"occupied": taken, "male_ward": male, "other_facility": elsewhere}
    with app.app_context():
        ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": taken}, None)
        before = _count_admissions()
        data = {"department": medicine(), "bed": free, **change}
        data["bed"] = beds.get(data["bed"], data["bed"])
        with pytest.raises(DomainError) as err:
            ipd.admit(_facility(), new_patient(gender="F"), data, None)
        assert field in err.value.errors
        db.session.rollback()
        assert _count_admissions() == before


def test_a_patient_is_admitted_only_once_at_a_time(app, new_ward, new_patient, medicine):
    first, second = new_ward(beds=2)
    pid = new_patient()
    with app.app_context():
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": first}, None)
        with pytest.raises(DomainError) as err:
            ipd.admit(_facility(), pid, {"department": medicine(), "bed": second}, None)
        assert admission.ipd_number in err.value.errors["patient"]


def test_discharge_rules(app, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1)
    with app.app_context():
        admission = ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": bed},
                              None, now=at(10))
        for data, field in (({"discharge_type": "gone"}, "discharge_type"),
                            ({"discharge_type": "referred"}, "referred_to"),
                            ({"discharge_type": "death", "discharge_note": "MI"},
                             "discharge_type"),  # a death has its own form
                            ({"discharge_type": "recovered", "discharged_at": at(9)},
                             "discharged_at")):
            with pytest.raises(DomainError) as err:
                ipd.discharge(admission, data, None, now=at(12))
            assert field in err.value.errors
        ipd.post_bed_days(admission, at(12).date())   # the census has charged two nights
        with pytest.raises(DomainError) as err:       # so the discharge cannot be before them
            ipd.discharge(admission, {"discharge_type": "recovered",
                                      "discharged_at": at(11, 20)}, None, now=at(12))
        assert "discharged_at" in err.value.errors
        db.session.rollback()
        ipd.discharge(admission, {"discharge_type": "recovered"}, None, now=at(12))
        with pytest.raises(DomainError):
            ipd.discharge(admission, {"discharge_type": "recovered"}, None, now=at(12))
        with pytest.raises(DomainError):
            ipd.transfer(admission, bed, "", None)


def test_a_freed_bed_is_cleaned_before_it_takes_the_next_patient(app, as_user, new_ward,
                                                                  new_patient, medicine):
    bed, other = new_ward(beds=2)
    with app.app_context():
        first = ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": bed},
                          None)
        ipd.transfer(first, other, "", None)  # the bed left goes to be cleaned
        assert db.session.get(Bed, bed).state == "cleaning"
        with pytest.raises(DomainError) as refused:
            ipd.transfer(first, bed, "", None)
        assert "being cleaned" in refused.value.errors["bed"]
        ipd.discharge(first, {"discharge_type": "recovered"}, None)
        assert db.session.get(Bed, other).state == "cleaning"
        assert bed not in [b.id for b in ipd.free_beds(_facility().id)]
    nurse = as_user("nurse.dhr")
    board = nurse.get("/ipd/").get_data(as_text=True)
    assert f'class="hmis-bed cleaning" id="bed-{bed}"' in board and "Mark clean" in board
    assert nurse.post(f"/ipd/bed/{bed}/state", data={"state": "free"}).status_code == 302
    with app.app_context():
        assert db.session.get(Bed, bed).state == "free"
        second = ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": bed},
                           None)
        assert second.bed_id == bed
        assert db.session.execute(select(func.count(BedStay.id)).where(
            BedStay.bed_id == bed, BedStay.to_at.is_(None))).scalar() == 1


def test_beds_are_blocked_for_repair_and_reserved_for_someone(app, as_user, new_ward,
                                                             new_patient, medicine):
    bed, = new_ward(beds=1)
    nurse = as_user("nurse.dhr")
    # Blocking needs the reason; a blocked bed takes no patient until unblocked.
    resp = nurse.post("/ipd/bed-state", data={"bed": bed, "state": "blocked", "state_note": ""},
                      follow_redirects=True)
    assert "Say why the bed is blocked" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Bed, bed).state == "free"
    nurse.post("/ipd/bed-state", data={"bed": bed, "state": "blocked",
                                       "state_note": "Broken side rail"})
    board = nurse.get("/ipd/").get_data(as_text=True)
    assert "Blocked (repair): Broken side rail" in board and "Unblock" in board
    pid = new_patient()
    resp = nurse.post("/ipd/admit", data={"patient": pid, "bed": bed, "department": medicine(),
                                          "arrival": "OPD"})
    assert resp.status_code == 422 and "blocked (Broken side rail)" in resp.get_data(as_text=True)
    nurse.post(f"/ipd/bed/{bed}/state", data={"state": "free"})
    # Reserved: offered for admission with whom it is held for; admitting uses it up.
    nurse.post("/ipd/bed-state", data={"bed": bed, "state": "reserved",
                                       "state_note": "Post-op, Ramesh Kumar"})
    page = nurse.get(f"/ipd/admit?patient={pid}&bed={bed}").get_data(as_text=True)
    assert "Reserved: Post-op, Ramesh Kumar" in page
    # A bed with a patient in it is not blocked or reserved.
    with app.app_context():
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": bed}, None)
        assert db.session.get(Bed, bed).state == "free" and admission.bed_id == bed
        with pytest.raises(DomainError) as refused:
            ipd.set_bed_state(db.session.get(Bed, bed), "blocked", "Leaking tap")
        assert "occupied" in refused.value.errors["state"]
    # Counts per ward on the board; another facility's bed is not to be had.
    board = nurse.get("/ipd/").get_data(as_text=True)
    assert "occupied 1" in board and "board.js" in board  # refreshes itself
    rnc_bed, = new_ward(code="RNC", beds=1)
    resp = nurse.post("/ipd/bed-state", data={"bed": rnc_bed, "state": "blocked",
                                              "state_note": "x"}, follow_redirects=True)
    assert "Choose a bed of this facility" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Bed, rnc_bed).state == "free"


def test_ward_screens_admit_transfer_discharge(app, as_user, new_ward, new_patient, medicine):
    first, second = new_ward(beds=2)
    womens, = new_ward(beds=1, gender="F")
    pid = new_patient(gender="M")
    nurse = as_user("nurse.dhr")
    board = nurse.get("/ipd/").get_data(as_text=True)
    assert f"/ipd/admit?bed={first}" in board
    # A clicked bed brings its ward's department to the form.
    with app.app_context():
        ward = db.session.get(Bed, first).ward
        ward.department_id = medicine()
        db.session.commit()
    form = nurse.get(f"/ipd/admit?patient={pid}&bed={first}").get_data(as_text=True)
    assert f'value="{medicine()}" selected' in form
    page = nurse.get(f"/ipd/admit?patient={pid}&bed={first}").get_data(as_text=True)
    assert f'value="{first}" selected' in page
    resp = nurse.post("/ipd/admit", data={"patient": pid, "bed": first, "department": medicine(),
                                          "arrival": "EMERGENCY", "attendant_mobile": "98160"})
    assert resp.status_code == 422 and "Mobile number is 10 digits" in resp.get_data(as_text=True)
    resp = nurse.post("/ipd/admit", data={"patient": pid, "bed": first, "department": medicine(),
                                          "arrival": "EMERGENCY", "mlc": "1",
                                          "provisional_diagnosis": "Acute gastroenteritis"})
    assert resp.status_code == 302
    admission_id = int(re.search(r"/ipd/admission/(\d+)", resp.headers["Location"]).group(1))
    page = nurse.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "Acute gastroenteritis" in page and "Emergency" in page
    # The transfer offers the free beds of wards that take men, not the women's ward's.
    transfer = page.split("hmis-transfer")[1].split("</form>")[0]
    assert f'value="{second}"' in transfer and f'value="{womens}"' not in transfer
    slip = nurse.get(f"/print/admission/{admission_id}")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    resp = nurse.post(f"/ipd/admission/{admission_id}/transfer",
                      data={"bed": second, "reason": "Nearer the nursing station"})
    assert resp.status_code == 302
    resp = nurse.post(f"/ipd/admission/{admission_id}/discharge",
                      data={"discharge_type": "referred"})
    assert resp.status_code == 422
    assert "facility the patient is referred to" in resp.get_data(as_text=True)
    assert nurse.post(f"/ipd/admission/{admission_id}/discharge",
                      data={"discharge_type": "recovered"}).status_code == 302
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        assert admission.status == "discharged" and admission.bed_id == second
        assert admission.mlc and admission.arrival == "EMERGENCY"


def test_ward_screens_in_hindi(app, as_user, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1)
    pid = new_patient()
    nurse = as_user("nurse.dhr", lang="hi")
    assert "बिस्तर" in nurse.get("/ipd/").get_data(as_text=True)
    resp = nurse.post("/ipd/admit", data={"patient": pid, "bed": bed, "department": ""})
    assert resp.status_code == 422
    assert "कृपया" in resp.get_data(as_text=True)


def test_other_facilities_and_roles_are_kept_out(app, as_user, new_ward, new_patient, medicine,
                                                 make_user):
    bed, = new_ward(beds=1)
    with app.app_context():
        admission = ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": bed},
                              None)
        admission_id = admission.id
    assert as_user("nurse.rnc").get(f"/ipd/admission/{admission_id}").status_code == 404
    assert as_user("nurse.rnc").get(f"/print/admission/{admission_id}").status_code == 404
    cashier = as_user(make_user("Cashier", "DHR"))
    assert cashier.get(f"/ipd/admission/{admission_id}").status_code == 200
    assert denied(cashier.post(f"/ipd/admission/{admission_id}/discharge",
                               data={"discharge_type": "recovered"}))
    assert denied(as_user("labtech.dhr").post("/ipd/admit", data={}))


def test_admission_and_bed_api(app, api, new_ward, new_patient, medicine):
    bed, = new_ward(beds=1)
    pid = new_patient()
    nurse = api("nurse.dhr", lang="hi")
    resp = nurse("POST", "/api/v1/admission/", json={"patient": pid, "department": medicine(),
                                                     "bed": bed, "attendant_mobile": "123"})
    assert resp.status_code == 422
    assert "मोबाइल" in resp.get_json()["message"]["attendant_mobile"][0]
    resp = nurse("POST", "/api/v1/admission/", json={"patient": pid, "department": medicine(),
                                                     "bed": bed, "arrival": "OPD"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["result"]["ipd_number"].startswith("DHR-IPD-")
    shown = nurse("GET", f"/api/v1/bed/{bed}").get_json()["result"]
    assert shown["occupant"]["id"] == body["id"]
    assert api("nurse.rnc")("GET", f"/api/v1/admission/{body['id']}").status_code == 404
    spec = api("nurse.dhr")("GET", "/api/v1/_openapi").get_json()
    assert "/api/v1/admission/" in spec["paths"] and "/api/v1/bed/" in spec["paths"]


def test_the_doctor_admits_from_the_consultation(app, as_user, new_ward, new_patient,
                                                 medicine):
    from app.opd import services as opd
    from app.opd.models import OpdVisit
    bed, = new_ward(beds=1)
    pid = new_patient()
    with app.app_context():
        visit_id = opd.revisit(pid, _facility().id, medicine(), None, "NEW").id
    doctor = as_user("doctor.dhr")
    doctor.get(f"/opd/consult/{visit_id}")
    doctor.post(f"/opd/consult/{visit_id}", data={
        "complaints": "Fever", "diagnosis_1": "J18.9 Pneumonia, unspecified",
        "diagnosis_kind_1": "provisional", "finish": "0"})
    page = doctor.get(f"/opd/consult/{visit_id}").get_data(as_text=True)
    link = f"/ipd/admit?patient={pid}&amp;visit={visit_id}&amp;department={medicine()}"
    assert link in page
    form = doctor.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f'name="visit" value="{visit_id}"' in form
    # The diagnosis just written and the doctor who saw the patient come along.
    assert 'value="J18.9 Pneumonia, unspecified"' in form
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User
        me = db.session.execute(select(User.id).where(User.username == "doctor.dhr")).scalar()
    assert f'value="{me}" selected' in form
    resp = doctor.post("/ipd/admit", data={"patient": pid, "visit": visit_id, "bed": bed,
                                           "department": medicine(), "arrival": "OPD"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(OpdVisit, visit_id).status == "admitted"
        admission = db.session.execute(select(Admission).where(
            Admission.opd_visit_id == visit_id)).scalar_one()
        assert admission.patient_id == pid


def test_the_doctor_in_charge_is_one_of_the_facilitys_doctors(app, new_ward, new_patient,
                                                             medicine):
    bed, = new_ward(beds=1)
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User
        ours = db.session.query(User).filter_by(username="doctor.dhr").one().id
        theirs = db.session.query(User).filter_by(username="doctor.rnc").one().id
        nurse = db.session.query(User).filter_by(username="nurse.dhr").one().id
        for wrong in (theirs, nurse, "x"):
            with pytest.raises(DomainError) as err:
                ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": bed,
                                                       "doctor": wrong}, None)
            assert "doctor" in err.value.errors
        admission = ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": bed,
                                                           "doctor": ours}, None)
        assert admission.doctor.username == "doctor.dhr"


@needs_scanner
def test_the_admission_slip_barcode_scans_as_the_ipd_number(app, as_user, new_ward,
                                                            new_patient, medicine):
    bed, = new_ward(beds=1)
    with app.app_context():
        admission = ipd.admit(_facility(), new_patient(), {"department": medicine(), "bed": bed},
                              None)
        admission_id, number = admission.id, admission.ipd_number
    pdf = as_user("nurse.dhr").get(f"/print/admission/{admission_id}").data
    assert f"CODE-128:{number}" in scan_codes(pdf)


def test_an_admission_made_in_error_is_cancelled_with_a_supervisor(app, as_user, new_ward,
                                                                   new_patient, medicine):
    bed, = new_ward(beds=1)
    pid = new_patient()
    with app.app_context():
        admission = ipd.admit(_facility(), pid, {"department": medicine(), "bed": bed}, None)
        admission_id, account_id = admission.id, admission.account_id
    nurse = as_user("nurse.dhr")
    url = f"/ipd/admission/{admission_id}/cancel"
    resp = nurse.post(url, data={"reason": "Wrong patient", "auth_username": "supervisor.dhr",
                                 "auth_password": "wrong"})
    assert resp.status_code == 422 and "supervisor" in resp.get_data(as_text=True)
    assert nurse.post(url, data={"auth_username": "supervisor.dhr",
                                 "auth_password": DEMO_PASSWORD}).status_code == 422
    # A deposit on the admission must be dealt with at the counter first.
    with app.app_context():
        from app.billing import services as billing
        deposit = billing.take_advance(_facility(), pid, "100", "cash", None,
                                       account=db.session.get(Admission, admission_id).account)
        db.session.commit()
        deposit_id = deposit.id
    resp = nurse.post(url, data={"reason": "Wrong patient", "auth_username": "supervisor.dhr",
                                 "auth_password": DEMO_PASSWORD})
    assert resp.status_code == 422 and "cash counter first" in resp.get_data(as_text=True)
    with app.app_context():
        from app.billing import services as billing
        from app.billing.models import Bill
        billing.cancel_bill(db.session.get(Bill, deposit_id), "Admitted in error",
                            ("supervisor.dhr", DEMO_PASSWORD), None)
        db.session.commit()
    resp = nurse.post(url, data={"reason": "Wrong patient", "auth_username": "supervisor.dhr",
                                 "auth_password": DEMO_PASSWORD})
    assert resp.status_code == 302
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        assert admission.status == "cancelled" and "Wrong patient" in admission.discharge_note
        assert admission.account.settled_at is not None
        assert ipd.current_admission(admission.patient) is None
        from app.billing import services as billing
        assert account_id not in [a.id for a in billing.open_accounts(admission.facility_id,
                                                                       pid)]
    assert f"/ipd/admit?bed={bed}" in nurse.get("/ipd/").get_data(as_text=True)
    page = nurse.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "Cancelled (entered in error)" in page
