"""ICD-10 suggestions as doctors need them: the common diagnosis before the rare one
("fever" offers R50.9 before Q fever), Hindi words find the common ones, the facility's
own diagnoses rise, and a doctor's favourites come first."""
from app.extensions import db
from app.opd import consultation as consult
from app.opd.models import Icd10


def _codes(app, q, facility_id=None, user_id=None):
    with app.app_context():
        return [i.code for i in consult.search_icd10(q, facility_id, user_id)]


def test_common_diagnoses_come_before_rare_ones(app):
    assert _codes(app, "fever")[0] == "R50.9"
    assert _codes(app, "pneumo")[0] == "J18.9"
    assert _codes(app, "hypertension")[0] == "I10"
    assert _codes(app, "typhoid")[0] == "A01.0"


def test_hindi_words_find_the_common_diagnoses(app, as_user):
    assert "I10" in _codes(app, "रक्तचाप")
    found = as_user("doctor.dhr").get("/opd/icd10?q=मधुमेह").get_json()
    assert found and found[0]["title_hi"] and "मधुमेह" in found[0]["title_hi"]


def test_the_facility_and_the_doctor_rank_their_own(app, facility):
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User
        from sqlalchemy import select
        rare = db.session.execute(select(Icd10).where(Icd10.code == "A78")).scalar_one()
        doctor = db.session.execute(select(User).where(User.username == "doctor.rnc")).scalar_one()
        rnc, dhr, rare_id, doctor_id = facility("RNC"), facility("DHR"), rare.id, doctor.id

        class Finished:  # what count_uses reads of a finished consultation
            facility_id = rnc
            diagnoses = [type("D", (), {"icd10_id": rare_id, "icd10": rare})()]
        for _ in range(3):
            consult.count_uses(Finished)
        db.session.commit()
    # Ranchi's doctors gave "Q fever" three times: there it comes first; not in Dharamshala.
    assert _codes(app, "fever", rnc)[0] == "A78"
    assert _codes(app, "fever", dhr)[0] == "R50.9"
    with app.app_context():
        db.session.add(consult.Icd10Favourite(user_id=doctor_id, icd10_id=db.session.execute(
            db.select(Icd10.id).where(Icd10.code == "R50.8")).scalar_one()))
        db.session.commit()
    assert _codes(app, "fever", rnc, doctor_id)[0] == "R50.8"   # the doctor's favourite


def test_a_doctor_keeps_favourites_from_the_consultation(app, api, as_user, new_department):
    from tests.conftest import person
    call = api("clerk.dhr")
    pid = call("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
    visit = call("POST", "/api/v1/opd_visit/", json={
        "patient": pid, "department": new_department()}).get_json()["id"]
    doctor = as_user("doctor.dhr")
    doctor.get(f"/opd/consult/{visit}")
    assert doctor.get("/opd/icd10?q=rhinitis").get_json()[0]["code"] == "J30.4"  # common
    form = {"complaints": "Sneezing", "diagnosis_1": "J31.0 Chronic rhinitis",
            "diagnosis_kind_1": "provisional", "favourite_shown_1": "1", "finish": "0"}
    assert doctor.post(f"/opd/consult/{visit}", data={**form, "favourite_1": "1"}) \
        .status_code in (200, 302)
    assert doctor.get("/opd/icd10?q=rhinitis").get_json()[0]["code"] == "J31.0"
    page = doctor.get(f"/opd/consult/{visit}").get_data(as_text=True)
    assert 'name="favourite_1" value="1" aria-label' in page and "checked> ★" in page
    doctor.post(f"/opd/consult/{visit}", data=form)             # unticked: no longer one
    assert doctor.get("/opd/icd10?q=rhinitis").get_json()[0]["code"] == "J30.4"
