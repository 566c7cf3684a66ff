"""OPD visits: tokens per department per day from 1 without gaps; fee and exemption."""
import io
from decimal import Decimal

from pypdf import PdfReader

from app.extensions import db
from app.opd.models import OpdVisit
from app.registration.models import PatientCategory
from tests.conftest import person


def _patient(call, **over):
    resp = call("POST", "/api/v1/patient/", json=person(**over))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_tokens_count_from_one_per_department(api, new_department):
    call = api("clerk.dhr")
    dept, other = new_department(), new_department()
    tokens = []
    for _ in range(3):
        resp = call("POST", "/api/v1/opd_visit/", json={"patient": _patient(call),
                                                        "department": dept})
        assert resp.status_code == 201, resp.get_json()
        tokens.append(resp.get_json()["result"]["token"])
    assert tokens == [1, 2, 3]
    resp = call("POST", "/api/v1/opd_visit/", json={"patient": _patient(call),
                                                    "department": other})
    assert resp.get_json()["result"]["token"] == 1


def test_fee_and_exemption_recorded_on_visit(api, app, new_department, facility):
    call = api("clerk.dhr")
    dept = new_department()
    with app.app_context():
        bpl = db.session.query(PatientCategory).filter_by(facility_id=facility(),
                                                          code="BPL").one().id
    general = call("POST", "/api/v1/opd_visit/", json={"patient": _patient(call),
                                                       "department": dept}).get_json()
    assert Decimal(str(general["result"]["fee_amount"])) == Decimal("10.00")
    assert general["result"]["fee_exempt"] is False
    poor = _patient(call, category=bpl, card_number="HP-BPL-00912")
    visit = call("POST", "/api/v1/opd_visit/", json={"patient": poor, "department": dept,
                                                     "visit_type": "NEW"}).get_json()["result"]
    assert Decimal(str(visit["fee_amount"])) == 0 and visit["fee_exempt"] is True
    assert visit["exemption_scheme"] == "BPL free treatment"


def test_same_day_second_token_refused(api, new_department):
    call = api("clerk.dhr")
    dept, pid = new_department(), None
    pid = _patient(call)
    assert call("POST", "/api/v1/opd_visit/", json={"patient": pid, "department": dept}).status_code == 201
    resp = call("POST", "/api/v1/opd_visit/", json={"patient": pid, "department": dept})
    assert resp.status_code == 422 and "token 1" in resp.get_json()["message"]["department"][0]


def test_unknown_or_foreign_department_and_foreign_patient(api, app, new_department):
    call = api("clerk.dhr")
    pid = _patient(call)
    for department in (999999, "abc", new_department("RNC")):
        resp = call("POST", "/api/v1/opd_visit/", json={"patient": pid, "department": department})
        assert resp.status_code == 422 and "department" in resp.get_json()["message"]
    rnc_patient = _patient(api("clerk.rnc"))
    resp = call("POST", "/api/v1/opd_visit/", json={"patient": rnc_patient,
                                                    "department": new_department()})
    assert resp.status_code == 422 and "patient" in resp.get_json()["message"]
    with app.app_context():
        assert db.session.query(OpdVisit).filter_by(patient_id=rnc_patient).count() == 0


def test_lab_is_not_an_opd(api, app, facility):
    from app.core.models import Department
    call = api("clerk.dhr")
    with app.app_context():
        lab = db.session.query(Department).filter_by(facility_id=facility(), code="LAB").one().id
    resp = call("POST", "/api/v1/opd_visit/", json={"patient": _patient(call), "department": lab})
    assert resp.status_code == 422


def test_visits_listed_only_for_own_facility(api):
    rows = api("clerk.rnc")("GET", "/api/v1/opd_visit/?q=(page_size:100)").get_json()["result"]
    assert all(r["facility"]["code"] == "RNC" for r in rows)


def test_the_scheme_reads_in_hindi_on_screens_and_both_on_the_slip(api, app, as_user,
                                                                    new_department, facility):
    call = api("clerk.dhr")
    with app.app_context():
        bpl = db.session.query(PatientCategory).filter_by(facility_id=facility(),
                                                          code="BPL").one().id
    poor = _patient(call, category=bpl, card_number="HP-BPL-00913")
    visit = call("POST", "/api/v1/opd_visit/", json={
        "patient": poor, "department": new_department()}).get_json()["id"]
    clerk = as_user("clerk.dhr", lang="hi")
    for page in (f"/desk/issued/{visit}", f"/opdvisitview/show/{visit}"):
        text = clerk.get(page).get_data(as_text=True)
        assert "बीपीएल निःशुल्क उपचार" in text and "BPL free treatment" not in text, page
    cashier = as_user("cashier.dhr", lang="hi")
    text = cashier.get(f"/cash/patient/{poor}").get_data(as_text=True)
    assert "बीपीएल निःशुल्क उपचार" in text and "BPL free treatment" not in text
    slip = clerk.get(f"/print/opd-slip/{visit}?size=a5")
    assert slip.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.data)).pages)
    assert "उपचार / BPL" in text
    assert "/ Civil Lines" in text   # the facility's address in Hindi, then in English
    assert "BPL free\ntreatment" in text or "BPL free treatment" in text   # both names
