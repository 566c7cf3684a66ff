"""The doctor's screen: queue, call next, consultation with ICD-10 diagnosis and
prescription, vitals checks, finishing, referral, prescription PDF."""
import pytest

from app.extensions import db
from app.opd.models import OpdVisit
from tests.conftest import denied, person


@pytest.fixture
def doctor_name(make_user):
    """A DHR doctor without departments of their own: their queue is every OPD."""
    return make_user("Doctor", "DHR")


@pytest.fixture
def waiting(api, new_department):
    """Three patients waiting in a fresh DHR department; returns (dept_id, visit ids)."""
    call = api("clerk.dhr")
    dept = new_department()
    visits = []
    for _ in range(3):
        # (new people: a look-alike among the thousands a shared test database holds
        # must not turn the queue's set-up into a duplicate check)
        pid = call("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()["id"]
        visits.append(call("POST", "/api/v1/opd_visit/",
                           json={"patient": pid, "department": dept}).get_json()["id"])
    return dept, visits


def _consult_form(**over):
    data = {"bp_systolic": "128", "bp_diastolic": "82", "pulse": "88", "temperature_f": "101.2",
            "spo2": "97", "resp_rate": "20", "weight_kg": "58.5", "height_cm": "160",
            "rbs_mg_dl": "110", "complaints": "Fever and cough for 4 days / 4 दिन से बुखार और खाँसी",
            "examination": "Crepitations right base", "diagnosis_1": "J18.9 Pneumonia, unspecified",
            "diagnosis_kind_1": "provisional",
            "rx_drug_1": "Amoxicillin 500 mg capsule", "rx_dose_1": "1 cap",
            "rx_frequency_1": "1-1-1", "rx_days_1": "5", "rx_instructions_1": "खाने के बाद",
            "rx_drug_2": "Steam inhalation", "rx_frequency_2": "BD", "rx_days_2": "5",
            "advice": "Plenty of fluids / खूब पानी पिएँ", "finish": "0"}
    data.update(over)
    return data


def test_queue_call_next_and_consult(as_user, doctor_name, app, waiting):
    dept, visits = waiting
    doctor = as_user(doctor_name)
    queue = doctor.get("/opd/queue").get_data(as_text=True)
    assert "Test OPD" in queue and " / Female<" in queue   # the sex in words, not "F"
    resp = doctor.post("/opd/call-next", data={"department": dept})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/opd/consult/{visits[0]}")
    with app.app_context():
        visit = db.session.get(OpdVisit, visits[0])
        assert visit.status == "called" and visit.doctor.username == doctor_name
    assert doctor.get(f"/opd/consult/{visits[0]}").status_code == 200
    with app.app_context():
        assert db.session.get(OpdVisit, visits[0]).status == "in_consultation"
    # The next call skips the patient being seen.
    resp = doctor.post("/opd/call-next", data={"department": dept})
    assert resp.headers["Location"].endswith(f"/opd/consult/{visits[1]}")


def test_record_consultation_finish_and_print(as_user, doctor_name, app, waiting):
    _dept, visits = waiting
    doctor = as_user(doctor_name)
    doctor.get(f"/opd/consult/{visits[0]}")
    resp = doctor.post(f"/opd/consult/{visits[0]}", data=_consult_form(finish="1"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    with app.app_context():
        visit = db.session.get(OpdVisit, visits[0])
        record = visit.consultation
        assert visit.status == "done" and record.completed_at is not None
        assert [d.icd10.code for d in record.diagnoses] == ["J18.9"]
        lines = record.prescription
        assert lines[0].drug is not None and lines[0].frequency == "1-1-1" and lines[0].days == 5
        assert lines[1].drug is None and lines[1].drug_name == "Steam inhalation"
        assert str(record.temperature_f) == "101.2" and record.bp_systolic == 128
    pdf = doctor.get(f"/print/prescription/{visits[0]}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader
    import io
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "J18.9" in text and "Amoxicillin" in text and "1-1-1" in text
    # The dosing in words the patient reads, and how many capsules in all (1 × 3 × 5 days).
    assert "morning, afternoon,\nnight: 1 capsule" in text and "\n15\n" in text
    thermal = doctor.get(f"/print/prescription/{visits[0]}?size=thermal")
    page = PdfReader(io.BytesIO(thermal.data)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 72      # 72 mm wide
    assert "Amoxicillin" in page.extract_text()


@pytest.mark.parametrize("field,value,message", [
    ("bp_systolic", "400", "not possible"),
    ("pulse", "abc", "must be a number"),
    ("spo2", "101", "not possible"),
    ("bp_diastolic", "140", "below systolic"),
    ("rx_frequency_1", "thrice", "1-0-1"),
    ("rx_days_1", "0", "1 to 365"),
    ("diagnosis_1", "Z99.99X made up", "ICD-10"),
    ("follow_up_on", "01-01-2020", "past"),
])
def test_bad_input_refused_nothing_saved(as_user, doctor_name, app, waiting, field, value, message):
    _dept, visits = waiting
    doctor = as_user(doctor_name)
    doctor.get(f"/opd/consult/{visits[2]}")
    resp = doctor.post(f"/opd/consult/{visits[2]}", data=_consult_form(**{field: value}))
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    with app.app_context():
        record = db.session.get(OpdVisit, visits[2]).consultation
        assert record.diagnoses == [] and record.prescription == [] and record.bp_systolic is None


def test_unusual_vitals_need_confirmation(as_user, doctor_name, app, waiting):
    _dept, visits = waiting
    doctor = as_user(doctor_name, lang="hi")
    doctor.get(f"/opd/consult/{visits[1]}")
    resp = doctor.post(f"/opd/consult/{visits[1]}", data=_consult_form(bp_systolic="196",
                                                                     bp_diastolic="112"))
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert 'name="vitals_confirmed"' in body and "196" in body     # kept on screen
    resp = doctor.post(f"/opd/consult/{visits[1]}", data=_consult_form(
        bp_systolic="196", bp_diastolic="112", vitals_confirmed="1"))
    assert resp.status_code == 302
    with app.app_context():
        record = db.session.get(OpdVisit, visits[1]).consultation
        assert record.bp_systolic == 196 and record.vitals_confirmed is True


def test_finishing_needs_a_diagnosis_and_referral_marks_visit(as_user, doctor_name, app, waiting, facility):
    _dept, visits = waiting
    doctor = as_user(doctor_name)
    doctor.get(f"/opd/consult/{visits[1]}")
    resp = doctor.post(f"/opd/consult/{visits[1]}", data=_consult_form(diagnosis_1="", finish="1"))
    assert resp.status_code == 422
    from app.core.models import Department
    with app.app_context():
        surgery = db.session.query(Department).filter_by(facility_id=facility(), code="SUR").one().id
    resp = doctor.post(f"/opd/consult/{visits[1]}", data=_consult_form(
        finish="1", referral_department=str(surgery)))
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(OpdVisit, visits[1]).status == "referred"


def test_icd10_search_by_words_and_code(as_user):
    doctor = as_user("doctor.rnc")
    by_words = doctor.get("/opd/icd10?q=pneumonia unspecified").get_json()
    assert "J18.9" in [row["code"] for row in by_words]
    by_code = doctor.get("/opd/icd10?q=E11").get_json()
    assert by_code and all(row["code"].startswith("E11") for row in by_code)
    assert doctor.get("/opd/icd10?q=%25").get_json() == []


def test_scoping_and_roles(as_user, doctor_name, waiting):
    _dept, visits = waiting
    assert as_user("doctor.rnc").get(f"/opd/consult/{visits[0]}").status_code == 404
    assert as_user("doctor.rnc").get(f"/print/prescription/{visits[0]}").status_code == 404
    clerk = as_user("clerk.dhr")
    assert denied(clerk.get("/opd/queue"))
    assert denied(clerk.post(f"/opd/consult/{visits[0]}", data=_consult_form()))


def test_consult_page_in_hindi(as_user, doctor_name, waiting):
    _dept, visits = waiting
    body = as_user(doctor_name, lang="hi").get(f"/opd/consult/{visits[0]}").get_data(as_text=True)
    assert "निदान" in body and "पर्चा" in body or "दवा" in body


def test_absent_patient_marked_left(as_user, app, doctor_name, waiting):
    dept, visits = waiting
    doctor = as_user(doctor_name)
    doctor.post("/opd/call-next", data={"department": dept})
    assert doctor.post(f"/opd/left/{visits[0]}").status_code == 302
    with app.app_context():
        assert db.session.get(OpdVisit, visits[0]).status == "left"
    resp = doctor.post("/opd/call-next", data={"department": dept})
    assert resp.headers["Location"].endswith(f"/opd/consult/{visits[1]}")
    queue = doctor.get("/opd/queue").get_data(as_text=True)
    assert f"/opd/left/{visits[0]}" not in queue


def test_the_doctor_reads_previous_visits_allergies_and_bmi(as_user, app, waiting):
    dept, visits = waiting
    doctor = as_user("doctor.dhr")
    doctor.get(f"/opd/consult/{visits[0]}")
    resp = doctor.post(f"/opd/consult/{visits[0]}", data=_consult_form(
        finish="1", allergies="Penicillin (rash)"))
    assert resp.status_code == 302
    with app.app_context():
        from app.opd import services as opd
        first = db.session.get(OpdVisit, visits[0])
        again = opd.revisit(first.patient_id, first.facility_id, dept, None, "FU").id
    page = doctor.get(f"/opd/consult/{again}").get_data(as_text=True)
    # The allergy stands out; the earlier visit shows its diagnosis and medicines.
    assert "hmis-allergies" in page and "Penicillin (rash)" in page
    previous = page.split("hmis-previous")[1].split("</details>")[0]
    assert "J18.9" in previous and "Amoxicillin" in previous and "1-1-1" in previous
    # BMI from the first visit's 58.5 kg and 160 cm: 22.9.
    first = doctor.get(f"/opd/consult/{visits[0]}").get_data(as_text=True)
    assert 'id="bmi">22.9<' in first
