"""The registers a hospital keeps, counted from the records for a date range: on screen,
as CSV and Excel (each export audited), only the user's facility; bad ranges refused
naming the field."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from openpyxl import load_workbook

from app.core.models import AuditLog
from app.core.numbering import ist_today
from app.extensions import db
from tests.conftest import denied, person


@pytest.fixture
def visit(api, new_department):
    call = api("clerk.dhr")
    patient = call("POST", "/api/v1/patient/", json=person(confirm_new=True)).get_json()
    call("POST", "/api/v1/opd_visit/", json={"patient": patient["id"],
                                             "department": new_department()})
    return patient["result"]["uhid"]


def test_the_opd_register_on_screen_and_in_files(app, as_user, visit):
    today = ist_today().strftime("%d-%m-%Y")
    supervisor = as_user("supervisor.dhr", lang="hi")
    assert "दैनिक ओपीडी रजिस्टर" in supervisor.get("/registers/").get_data(as_text=True)
    page = supervisor.get(f"/registers/opd?from={today}&to={today}").get_data(as_text=True)
    assert visit in page.split("hmis-register")[1]
    rows = list(csv.reader(io.StringIO(supervisor.get(
        f"/registers/opd/csv?from={today}&to={today}").data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Date", "Department", "Token", "UHID"]
    assert any(row[3] == visit for row in rows[1:])
    book = load_workbook(io.BytesIO(supervisor.get(
        f"/registers/opd/xlsx?from={today}&to={today}").data))
    assert any(visit in [str(c) for c in row] for row in book.active.iter_rows(values_only=True))
    with app.app_context():  # each file written is in the audit log
        assert db.session.query(AuditLog).filter(
            AuditLog.action == "export", AuditLog.new_value.like("register opd%")).count() >= 2
    # Another facility's supervisor does not see this patient.
    other = as_user("supervisor.rnc").get(f"/registers/opd?from={today}&to={today}")
    assert visit not in other.get_data(as_text=True)


@pytest.mark.parametrize("query, field, message", [
    ("from=10-11-2026&to=01-11-2026", "from", "comes after"),
    ("from=01-01-2025&to=31-12-2025", "to", "at most 92 days"),
    ("from=yesterday", "from", "dd-mm-yyyy"),
])
def test_bad_ranges_are_refused_naming_the_field(as_user, query, field, message):
    resp = as_user("supervisor.dhr").get(f"/registers/lab?{query}")
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)


def test_a_range_ending_in_the_future_is_refused(as_user):
    later = (ist_today() + timedelta(days=3)).strftime("%d-%m-%Y")
    resp = as_user("supervisor.dhr").get(f"/registers/cash?to={later}")
    assert resp.status_code == 422 and "future" in resp.get_data(as_text=True)
    assert as_user("supervisor.dhr").get(f"/registers/cash/csv?to={later}").status_code == 422


@pytest.mark.parametrize("name", ["opd", "admissions", "deaths", "lab", "exemptions", "cash"])
def test_every_register_opens(as_user, name):
    assert as_user("supervisor.dhr").get(f"/registers/{name}").status_code == 200


def test_only_supervisors_and_the_state_read_registers(as_user):
    assert denied(as_user("clerk.dhr").get("/registers/"))
    assert as_user("auditor").get("/registers/").status_code == 200


def test_the_dashboard_counts_the_facilitys_last_30_days(as_user, visit):
    import json
    page = as_user("supervisor.dhr").get("/dashboard/").get_data(as_text=True)
    data = json.loads(page.split('id="dashboard-data">')[1].split("</script>")[0])
    assert len(data["days"]) == 30 and data["opd_new"][-1] >= 1      # today's new visit
    assert sum(n for _en, _hi, n in data["departments"]) == sum(data["opd_new"]) + \
        sum(data["opd_follow_up"])
    # Charts come from our own static files, never a CDN.
    assert "/static/vendor/chart-4.6.1.umd.min.js" in page and "cdn" not in page.lower()
    assert as_user("supervisor.dhr").get("/static/vendor/chart-4.6.1.umd.min.js").status_code == 200


def test_the_supervisors_home_page_is_the_dashboard(as_user):
    home = as_user("supervisor.dhr", lang="hi").get("/").get_data(as_text=True)
    assert 'id="dashboard-data"' in home and "chart-4.6.1.umd.min.js" in home
    assert "/hmis/" in home                               # and the monthly report a click away
    state = as_user("auditor").get("/").get_data(as_text=True)
    assert "/hmis/state" in state
    assert 'id="dashboard-data"' not in as_user("clerk.dhr").get("/").get_data(as_text=True)


def test_the_dashboard_breaks_attendance_down_and_charts_the_lab_and_money(as_user, visit):
    import json
    page = as_user("supervisor.dhr", lang="hi").get("/dashboard/").get_data(as_text=True)
    data = json.loads(page.split('id="dashboard-data">')[1].split("</script>")[0])
    by_group = sum(sum(counts) for _sex, counts in data["opd_groups"]["by_sex"])
    assert by_group == sum(data["opd_new"]) + sum(data["opd_follow_up"])
    assert data["opd_groups"]["groups"] == ["0-17", "18-59", "60+"]
    assert "महिला" in [sex for sex, _counts in data["opd_groups"]["by_sex"]]  # the visit's
    assert len(data["lab"]["reported"]) == 30 and len(data["diagnoses"]) <= 20
    assert {"ward_use", "services", "schemes", "outcomes"} <= set(data)


def test_the_state_compares_facilities_by_district(as_user, visit):
    page = as_user("auditor").get("/dashboard/state")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "DHR" in text and "RNC" in text and "Kangra" in text
    import json
    chart = json.loads(text.split('id="comparison-data">')[1].split("</script>")[0])
    opd = dict(zip(chart["facilities"], chart["values"][0]))
    assert opd["DHR"] >= 1
    # a facility's supervisor is sent back to their own dashboard
    resp = as_user("supervisor.dhr").get("/dashboard/state")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/dashboard/")


def test_a_years_register_file_is_streamed(app, as_user, visit):
    today = ist_today()
    year_ago = (today - timedelta(days=365)).strftime("%d-%m-%Y")
    supervisor = as_user("supervisor.dhr")
    resp = supervisor.get(f"/registers/opd/csv?from={year_ago}&to={today:%d-%m-%Y}",
                          buffered=False)
    assert resp.status_code == 200 and resp.is_streamed
    rows = list(csv.reader(io.StringIO(b"".join(resp.response).decode("utf-8-sig"))))
    assert rows[0][3] == "UHID" and any(row[3] == visit for row in rows[1:])
    book = load_workbook(io.BytesIO(supervisor.get(
        f"/registers/opd/xlsx?from={year_ago}&to={today:%d-%m-%Y}").data), read_only=True)
    assert any(visit in [str(c) for c in row] for row in book.active.iter_rows(values_only=True))
    # more than a year in one file is refused, naming the field; on screen, a quarter
    longer = (today - timedelta(days=366)).strftime("%d-%m-%Y")
    refused = supervisor.get(f"/registers/opd/csv?from={longer}&to={today:%d-%m-%Y}")
    assert refused.status_code == 422 and "to:" in refused.get_data(as_text=True)
    assert supervisor.get(f"/registers/opd?from={year_ago}").status_code == 422


def test_the_dashboard_against_a_hand_count(app, new_ward, medicine):
    """What a day's known records add to each dashboard figure."""
    from app.billing import services as billing
    from app.core.models import Facility
    from app.ipd import services as ipd
    from app.opd import services as opd
    from app.reports.dashboard import figures
    from tests.conftest import person
    bed, = new_ward(beds=1)
    with app.app_context():
        dhr = db.session.query(Facility).filter_by(code="DHR").one()

        def flat(data):
            return {"new": data["opd_new"][-1], "admitted": data["admitted"][-1],
                    "discharged": data["discharged"][-1],
                    "groups": {(sex, group): n for sex, counts in data["opd_groups"]["by_sex"]
                               for group, n in zip(data["opd_groups"]["groups"], counts)},
                    "departments": {en: n for en, _hi, n in data["departments"]},
                    "outcomes": dict(data["outcomes"]), "money": dict(data["money"]),
                    "services": dict(data["services"])}
        before = flat(figures(dhr.id))
        visits = [opd.register_with_visit(person(gender=sex, age_years=str(age)), dhr,
                                          medicine(), None)[0]
                  for sex, age in (("M", 10), ("F", 30), ("F", 70))]
        boy = visits[0].patient_id
        stay = ipd.admit(dhr, boy, {"department": medicine(), "bed": bed}, None)
        ipd.leave_hospital(stay, "lama", stay.admitted_at, "", None)
        db.session.commit()
        from app.billing.models import Charge
        fee = db.session.execute(select(Charge).where(
            Charge.patient_id == visits[1].patient_id)).scalar_one()
        bill = billing.create_bill(dhr, fee.patient_id, [fee.id], [], None)
        billing.add_payment(bill, "cash", str(bill.net), None)
        db.session.commit()
        after = flat(figures(dhr.id))
    added = {key: after[key] - before[key] for key in ("new", "admitted", "discharged")}
    assert added == {"new": 3, "admitted": 1, "discharged": 1}
    for group, n in ((("Male", "0-17"), 1), (("Female", "18-59"), 1), (("Female", "60+"), 1)):
        assert after["groups"][group] - before["groups"].get(group, 0) == n, group
    assert after["departments"]["Medicine"] - before["departments"].get("Medicine", 0) == 3
    lama = "Left against medical advice (LAMA)"
    assert after["outcomes"][lama] - before["outcomes"].get(lama, 0) == 1
    paid = float(bill.net)
    assert after["money"]["Cash"] - before["money"].get("Cash", 0) == paid
    assert after["services"]["Registration"] - before["services"].get("Registration", 0) == paid
