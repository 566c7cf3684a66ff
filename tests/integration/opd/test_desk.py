"""The registration desk as a clerk uses it: register + token + slip in one act,
duplicates shown first, revisit in two keys; Hindi UI; bad input kept on screen."""
import io
import re

from app.extensions import db
from app.opd.models import OpdVisit
from app.registration.models import Patient
from tests.conftest import denied


def _form(department, **over):
    data = {"name": "Savitri Devi", "guardian_relation": "WO", "guardian_name": "Kishan Chand",
            "gender": "F", "age_years": "61", "mobile": "", "department": department,
            "visit_type": "NEW"}
    data.update(over)
    return data


def _visit_id(resp):
    return int(re.search(r"/desk/issued/(\d+)", resp.headers["Location"]).group(1))


def test_register_issue_token_and_print_slip(as_user, app, new_department):
    clerk = as_user("clerk.dhr", lang="hi")
    dept = new_department()
    page = clerk.get("/desk/").get_data(as_text=True)
    assert "नया मरीज़" in page or "नया रोगी" in page   # Hindi screen
    assert re.search(r'id="name"[^>]*autofocus', page.replace("\n", " "))
    resp = clerk.post("/desk/register", data=_form(dept, name="Bimla Kumari Thakur",
                                                  mobile="9418000111"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    visit_id = _visit_id(resp)
    issued = clerk.get(f"/desk/issued/{visit_id}").get_data(as_text=True)
    assert "DHR-" in issued and ">1<" in issued.replace(" ", "")
    slip = clerk.get(f"/print/opd-slip/{visit_id}?size=a5")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    assert slip.data.startswith(b"%PDF")
    thermal = clerk.get(f"/print/opd-slip/{visit_id}?size=thermal")
    assert thermal.status_code == 200
    # The roll's 72 mm printable width, cut after the last line: no 50 mm of blank paper.
    from pypdf import PdfReader
    page = PdfReader(io.BytesIO(thermal.data)).pages[0]
    width, height = (float(v) / 72 * 25.4 for v in (page.mediabox.width, page.mediabox.height))
    assert round(width) == 72 and height < 200
    lowest = []
    page.extract_text(visitor_text=lambda t, cm, tm, f, s: lowest.append(tm[5] * cm[3] + cm[5])
                      if t.strip() else None)
    assert (min(lowest) - float(page.mediabox.bottom)) / 72 * 25.4 < 10   # ≤ 10 mm below
    with app.app_context():
        visit = db.session.get(OpdVisit, visit_id)
        assert visit.token == 1 and visit.slip_prints == 2
        from app.core.models import AuditLog
        actions = [e.action for e in db.session.query(AuditLog).filter_by(
            table_name="opd_visit", row_id=str(visit_id)).order_by(AuditLog.id)
            if e.action in ("print", "reprint")]
        assert actions == ["print", "reprint"]


def test_duplicates_shown_before_saving(as_user, app, new_department):
    clerk = as_user("clerk.dhr")
    dept = new_department()
    first = clerk.post("/desk/register", data=_form(dept, name="Jagdish Chand Katoch",
                                                   guardian_relation="SO",
                                                   guardian_name="Prem Chand", gender="M",
                                                   age_years="47"))
    assert first.status_code == 302
    with app.app_context():
        before = db.session.query(Patient).count()
    page = clerk.post("/desk/register", data=_form(new_department(), name="जगदीश चंद कटोच",
                                                  guardian_relation="SO",
                                                  guardian_name="प्रेम चंद", gender="M",
                                                  age_years="48"))
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Jagdish Chand Katoch" in body
    assert 'name="confirm_new"' in body
    with app.app_context():
        assert db.session.query(Patient).count() == before   # nothing saved yet
    confirmed = clerk.post("/desk/register", data=_form(
        new_department(), name="जगदीश चंद कटोच", guardian_relation="SO",
        guardian_name="प्रेम चंद", gender="M", age_years="48", confirm_new="1"))
    assert confirmed.status_code == 302


def test_revisit_in_two_keys(as_user, app, new_department):
    clerk = as_user("clerk.dhr")
    dept = new_department()
    resp = clerk.post("/desk/register", data=_form(dept, name="Tenzin Dolma",
                                                  mobile="9418222333"))
    with app.app_context():
        patient = db.session.get(OpdVisit, _visit_id(resp)).patient
        uhid, pid = patient.uhid, patient.id
    page = clerk.get(f"/desk/?q={uhid}").get_data(as_text=True)
    assert 'data-row="1"' in page and "Tenzin Dolma" in page
    other = new_department()
    resp = clerk.post("/desk/revisit", data={"patient_id": pid, "department": other,
                                             "visit_type": "FU"})
    assert resp.status_code == 302
    with app.app_context():
        visit = db.session.get(OpdVisit, _visit_id(resp))
        assert visit.patient_id == pid and visit.token == 1 and visit.fee_code == "OPD-FU"


def test_bad_input_stays_on_screen_in_hindi(as_user, app, new_department):
    clerk = as_user("clerk.dhr", lang="hi")
    with app.app_context():
        before = db.session.query(Patient).count()
    resp = clerk.post("/desk/register", data=_form(new_department(), name="12345",
                                                  mobile="12345", age_years="150"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'value="12345"' in body            # what the clerk typed is kept
    assert "मोबाइल" in body
    with app.app_context():
        assert db.session.query(Patient).count() == before


def test_script_in_name_is_escaped_on_pages(as_user, app, new_department):
    clerk = as_user("clerk.dhr")
    resp = clerk.post("/desk/register", data=_form(
        new_department(), name="Rani <script>alert(1)</script>", confirm_new="1"))
    visit_id = _visit_id(resp)
    page = clerk.get(f"/desk/issued/{visit_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    slip = clerk.get(f"/print/opd-slip/{visit_id}")
    assert slip.status_code == 200
    from io import BytesIO

    from pypdf import PdfReader
    text = PdfReader(BytesIO(slip.data)).pages[0].extract_text()
    assert "<script>alert(1)</script>" in text   # printed as the text that was typed


def test_other_facility_cannot_print_or_view(as_user, app, new_department):
    resp = as_user("clerk.dhr").post("/desk/register", data=_form(new_department(),
                                                                  confirm_new="1"))
    visit_id = _visit_id(resp)
    other = as_user("clerk.rnc")
    assert other.get(f"/print/opd-slip/{visit_id}").status_code == 404
    assert other.get(f"/desk/issued/{visit_id}").status_code == 404


def test_nurse_issues_no_registrations(as_user):
    """Nurses may change visits (vitals) but not register patients at the desk."""
    nurse = as_user("nurse.dhr")
    for resp in (nurse.get("/desk/"), nurse.post("/desk/register", data=_form(1))):
        assert denied(resp)
