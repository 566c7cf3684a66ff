"""What the round orders besides tests and medicines (procedures charged to the stay, diet,
transfer, the planned discharge), the intake/output chart with its ward-day balance, the
printed vitals and fluids chart, and a ward's sex and ages as a warning at admission."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.billing.models import Charge
from app.core.base_views import DomainError
from app.core.formatting import IST
from app.core.models import utcnow
from app.extensions import db
from app.ipd import fluids, notes
from app.ipd import services as ipd
from app.ipd.models import Admission, Bed, ClinicalNote, FluidEntry, Ward, WardOrder
from tests.conftest import denied


def _count(app, model, admission_id):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(
            model.admission_id == admission_id)).scalar()


def _charges(app, admission_id):
    with app.app_context():
        account_id = db.session.get(Admission, admission_id).account_id
        return db.session.execute(select(Charge.code, Charge.quantity, Charge.amount).where(
            Charge.account_id == account_id, Charge.code != "ADM-FEE")).all()


# --- orders from the round note -------------------------------------------------------

def test_a_round_orders_procedure_diet_transfer_and_discharge(app, as_user, admitted,
                                                              new_ward):
    admission_id = admitted()
    icu_bed, = new_ward(beds=1)
    with app.app_context():
        icu = db.session.get(Bed, icu_bed).ward_id
    doctor = as_user("doctor.dhr")
    resp = doctor.post(f"/ipd/notes/{admission_id}", data={
        "kind": "round", "assessment": "Dehydration, improving", "plan": "ECG, soft diet",
        "procedure_code_1": "ECG", "procedure_qty_1": "2",
        "procedure_code_2": "DRESSING", "procedure_detail_2": "left forearm",
        "diet": "soft", "diet_note": "no chillies", "transfer_ward": str(icu),
        "transfer_reason": "needs monitoring",
        "discharge_on": (utcnow().astimezone(IST).date() + timedelta(days=2)).strftime("%d-%m-%Y")})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    # The procedures are on the stay's account at the tariff's price, times the quantity.
    assert sorted((c, int(q), str(a)) for c, q, a in _charges(app, admission_id)) == [
        ("DRESSING", 1, "20.00"), ("ECG", 2, "100.00")]
    with app.app_context():
        note = db.session.execute(select(ClinicalNote).where(
            ClinicalNote.admission_id == admission_id)).scalar_one()
        assert sorted(o.kind for o in note.orders) == [
            "diet", "discharge", "procedure", "procedure", "transfer"]
    page = doctor.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    in_force = page.split("hmis-in-force")[1].split("</tr>")[0]
    assert "Soft diet" in in_force and "no chillies" in in_force and "needs monitoring" in in_force
    assert "ECG × 2" in page and "left forearm" in page
    # The handover sheet carries the diet and plans; moved to the ward, the transfer is done.
    sheet = as_user("nurse.dhr").get(f"/ipd/handover/?ward={_ward_of(app, admission_id)}")
    assert "Soft diet" in sheet.get_data(as_text=True)
    with app.app_context():
        ipd.transfer(db.session.get(Admission, admission_id), icu_bed, "as ordered", None)
    page = doctor.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "needs monitoring" not in page.split("hmis-in-force")[1].split("</tr>")[0]
    # In Hindi the orders read in Hindi.
    page = as_user("doctor.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    assert "नरम आहार" in page.get_data(as_text=True)


def _ward_of(app, admission_id):
    with app.app_context():
        return db.session.get(Admission, admission_id).bed.ward_id


@pytest.mark.parametrize("orders, message", [
    ({"procedure_code_1": "OPD-NEW"}, "Choose a procedure of this hospital"),  # not one
    ({"procedure_code_1": "NO-SUCH"}, "Choose a procedure of this hospital"),
    ({"procedure_code_1": "ECG", "procedure_qty_1": "0"}, "from 1 to 20"),
    ({"procedure_code_1": "ECG", "procedure_qty_1": "many"}, "from 1 to 20"),
    ({"procedure_code_1": "ECG", "diet": "chocolate"}, "not one of the allowed choices"),
    ({"diet_note": "no salt"}, "Choose the diet the note is about"),
    ({"transfer_ward": "999999"}, "Choose a ward of this facility"),
    ({"transfer_reason": "ICU"}, "Choose the ward to move the patient to"),
    ({"discharge_on": "01-01-2020"}, "from today to 60 days ahead"),
    ({"discharge_on": "tomorrow"}, "dd-mm-yyyy"),
])
def test_bad_orders_are_refused_and_nothing_is_saved(app, as_user, admitted, orders, message):
    admission_id = admitted()
    resp = as_user("doctor.dhr").post(f"/ipd/notes/{admission_id}", data={
        "kind": "round", "assessment": "Stable", **orders})
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _count(app, ClinicalNote, admission_id) == 0
    assert _count(app, WardOrder, admission_id) == 0
    assert _charges(app, admission_id) == []


def test_orders_belong_to_a_doctors_round_on_a_current_stay(app, admitted):
    admission_id = admitted()
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User
        doctor = db.session.execute(select(User).where(User.username == "doctor.dhr")).scalar()
        nurse = db.session.execute(select(User).where(User.username == "nurse.dhr")).scalar()
        admission = db.session.get(Admission, admission_id)
        with pytest.raises(DomainError) as err:
            notes.write(admission, {"kind": "nursing", "shift": "night", "text": "ok",
                                    "diet": "npo"}, nurse)
        assert "kind" in err.value.errors
        db.session.rollback()
        ipd.discharge(db.session.get(Admission, admission_id),
                      {"discharge_type": "recovered"}, None)
        note = db.session.execute(select(ClinicalNote)).scalars().first()
        with pytest.raises(DomainError) as err:
            notes.write(db.session.get(Admission, admission_id), {
                "kind": "round", "assessment": "x", "amends": note.id if note else None,
                "amend_reason": "typo", "procedure_code_1": "ECG",
                "procedures": [{"code": "ECG"}]}, doctor)
        assert "admission" in err.value.errors
    assert _count(app, WardOrder, admission_id) == 0


def test_the_api_takes_a_rounds_orders(app, api, admitted):
    admission_id = admitted()
    resp = api("doctor.dhr")("POST", "/api/v1/clinical_note/", json={
        "admission": admission_id, "kind": "round", "assessment": "Fever",
        "procedures": [{"code": "ECG", "quantity": 1}], "diet": "liquid"})
    assert resp.status_code == 201, resp.get_json()
    assert [(c, int(q)) for c, q, _a in _charges(app, admission_id)] == [("ECG", 1)]
    resp = api("doctor.dhr")("POST", "/api/v1/clinical_note/", json={
        "admission": admission_id, "kind": "round", "assessment": "Fever",
        "procedures": [{"code": "ECG", "quantity": True}]})
    assert resp.status_code == 422
    assert len(_charges(app, admission_id)) == 1


# --- intake/output ----------------------------------------------------------------------

def _at(day_offset: int, hour: int) -> datetime:
    today = utcnow().astimezone(IST).date()
    return datetime.combine(today + timedelta(days=day_offset), datetime.min.time(),
                            IST).replace(hour=hour)


def test_the_fluid_chart_totals_each_ward_day_from_8_am(app, as_user, admitted):
    admission_id = admitted(days_ago=4)
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        for at, route, ml in ((_at(-3, 9), "iv", 1000), (_at(-3, 22), "oral", 300),
                              (_at(-2, 7), "urine", 600),    # before 8 am: still day -3
                              (_at(-2, 9), "urine", 400), (_at(-2, 10), "vomit", 150)):
            fluids.record(admission, {"route": route, "volume_ml": str(ml), "at": at}, None)
        wrong = fluids.record(admission, {"route": "iv", "volume_ml": "5000",
                                          "at": _at(-2, 11)}, None)
        fluids.void(wrong, "typed 5000 for 500", None)
        days = fluids.chart(admission_id)
        assert [(d.day, d.total_in, d.total_out, d.balance) for d in days] == [
            (_at(-2, 9).date(), 0, 550, -550), (_at(-3, 9).date(), 1300, 600, 700)]
        assert days[0].output == {"urine": 400, "vomit": 150}
    nurse = as_user("nurse.dhr")
    resp = nurse.post(f"/ipd/fluids/{admission_id}", data={"route": "oral", "volume_ml": "२००"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#fluids")
    page = nurse.get(f"/ipd/admission/{admission_id}").get_data(as_text=True)
    assert "hmis-fluid-day" in page and "-550 ml" in page and "typed 5000 for 500" in page
    hindi = as_user("nurse.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    assert "मूत्र" in hindi.get_data(as_text=True)
    # The handover sheet gives the current ward day's totals.
    sheet = nurse.get(f"/ipd/handover/?ward={_ward_of(app, admission_id)}")
    assert "I/O 200/0 ml (+200)" in sheet.get_data(as_text=True)


@pytest.mark.parametrize("form, field, message", [
    ({"volume_ml": "200"}, "route", "Choose what went in"),
    ({"route": "blood"}, "volume_ml", "Enter the volume"),
    ({"route": "oral", "volume_ml": "0"}, "volume_ml", "from 1 to 5000"),
    ({"route": "oral", "volume_ml": "6000"}, "volume_ml", "from 1 to 5000"),
    ({"route": "oral", "volume_ml": "1.5 l"}, "volume_ml", "from 1 to 5000"),
    ({"route": "oral", "volume_ml": "200", "at": "31-12-2099 10:00"}, "at", "not in the future"),
    ({"route": "oral", "volume_ml": "200", "note": "x" * 201}, "note", "at most 200"),
])
def test_bad_fluid_lines_are_refused_naming_the_field(app, as_user, admitted, form, field,
                                                      message):
    admission_id = admitted()
    resp = as_user("nurse.dhr").post(f"/ipd/fluids/{admission_id}", data=form)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _count(app, FluidEntry, admission_id) == 0


def test_fluids_after_discharge_and_striking_out(app, as_user, admitted):
    admission_id = admitted()
    nurse = as_user("nurse.dhr")
    with app.app_context():
        entry = fluids.record(db.session.get(Admission, admission_id),
                              {"route": "urine", "volume_ml": "300"}, None).id
    resp = nurse.post(f"/ipd/fluids/entry/{entry}/void", data={"void_reason": ""})
    assert resp.status_code == 422 and "reason" in resp.get_data(as_text=True)
    assert nurse.post(f"/ipd/fluids/entry/{entry}/void",
                      data={"void_reason": "wrong bed"}).status_code == 302
    resp = nurse.post(f"/ipd/fluids/entry/{entry}/void", data={"void_reason": "again"})
    assert resp.status_code == 422 and "already struck out" in resp.get_data(as_text=True)
    with app.app_context():
        ipd.discharge(db.session.get(Admission, admission_id),
                      {"discharge_type": "recovered"}, None)
    resp = nurse.post(f"/ipd/fluids/{admission_id}", data={"route": "oral", "volume_ml": "100"})
    assert resp.status_code == 422 and "already discharged" in resp.get_data(as_text=True)
    assert _count(app, FluidEntry, admission_id) == 1
    assert denied(as_user("clerk.dhr").post(f"/ipd/fluids/{admission_id}",
                                            data={"route": "oral", "volume_ml": "100"}))


def test_the_fluid_api_is_scoped_and_strikes_out(app, api, admitted):
    admission_id = admitted()
    nurse = api("nurse.dhr")
    resp = nurse("POST", "/api/v1/fluid_entry/", json={
        "admission": admission_id, "route": "iv", "volume_ml": 500})
    assert resp.status_code == 201, resp.get_json()
    entry = resp.get_json()["id"]
    assert resp.get_json()["result"]["direction"] == "in"
    resp = nurse("POST", f"/api/v1/fluid_entry/{entry}/void", json={"void_reason": "dup"})
    assert resp.status_code == 200 and resp.get_json()["result"]["void_reason"] == "dup"
    other = admitted(code="RNC", name="Birsa Munda")
    resp = nurse("POST", "/api/v1/fluid_entry/", json={
        "admission": other, "route": "iv", "volume_ml": 500})
    assert resp.status_code == 422 and _count(app, FluidEntry, other) == 0
    with app.app_context():
        theirs = fluids.record(db.session.get(Admission, other),
                               {"route": "oral", "volume_ml": "50"}, None).id
    assert nurse("GET", f"/api/v1/fluid_entry/{theirs}").status_code == 404
    assert nurse("POST", f"/api/v1/fluid_entry/{theirs}/void",
                 json={"void_reason": "x"}).status_code == 404
    listed = nurse("GET", "/api/v1/fluid_entry/").get_json()["result"]
    assert all(row["facility"]["code"] == "DHR" for row in listed)


def test_the_ward_chart_prints_plots_and_balances(app, as_user, admitted):
    admission_id = admitted(days_ago=1)
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        from app.ipd import vitals
        for hours, pulse in ((20, "88"), (12, "102"), (4, "94")):
            vitals.record(admission, {"pulse": pulse, "temperature_f": "99.1",
                                      "consciousness": "A"}, None,
                          now=utcnow() - timedelta(hours=hours))
        fluids.record(admission, {"route": "iv", "volume_ml": "500"}, None)
    resp = as_user("nurse.dhr").get(f"/print/ward-chart/{admission_id}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.count(b"/Subtype /Image") >= 2   # temperature and pulse plots
    other = admitted(code="RNC", name="Birsa Munda")
    assert as_user("nurse.dhr").get(f"/print/ward-chart/{other}").status_code == 404


# --- a ward's sex and ages --------------------------------------------------------------

def test_a_ward_of_the_other_sex_or_ages_warns_and_admits_when_confirmed(
        app, as_user, new_ward, new_patient, medicine):
    female, = new_ward(beds=1, gender="F")
    children, = new_ward(beds=1)
    with app.app_context():
        ward = db.session.get(Bed, children).ward
        ward.min_age, ward.max_age = 0, 12
        db.session.commit()
    man = new_patient(gender="M", age_years="40")
    clerk = as_user("clerk.dhr")
    for bed, warning in ((female, "This ward is for female patients"),
                         (children, "aged 0 to 12 years; the patient is 40")):
        resp = clerk.post("/ipd/admit", data={"patient": man, "bed": bed,
                                              "department": medicine()})
        page = resp.get_data(as_text=True)
        assert resp.status_code == 422 and warning in page and 'name="confirm_ward"' in page
    resp = clerk.post("/ipd/admit", data={"patient": man, "bed": children,
                                          "department": medicine(), "confirm_ward": "1"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.execute(select(Admission).where(
            Admission.patient_id == man)).scalar_one().bed_id == children


def test_a_wards_ages_are_checked_in_its_form(as_user, facility):
    supervisor = as_user("supervisor.dhr")
    resp = supervisor.post("/wardview/add", data={
        "facility": facility(), "code": "PAED", "name_en": "Paediatric", "name_hi": "शिशु",
        "gender": "", "min_age": "14", "max_age": "12", "active": "y"})
    assert resp.status_code == 200 and "cannot be below the youngest" in resp.get_data(as_text=True)
    with supervisor.application.app_context():
        assert db.session.execute(select(Ward).where(Ward.code == "PAED")).first() is None
