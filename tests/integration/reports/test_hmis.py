"""The national HMIS monthly report against a hand count: a month of known records made
through the services (edge cases: exactly 18 and exactly 60, an admission from the month
before discharged within it, a death after a transfer, a merged duplicate registered with
the wrong sex, night-time emergencies and referrals, an amended lab result, a ruled-out
diagnosis, diarrhoea without dehydration), every item compared with what they add to the
figures; drill-down, files, state roll-up, scoping and bad months."""
import csv
import io
from datetime import date, datetime, time, timedelta, timezone

import pytest
from dateutil.relativedelta import relativedelta
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.core.formatting import IST
from app.core.models import AuditLog, Department, Facility
from app.core.numbering import ist_today
from flask_appbuilder.security.sqla.models import User
from app.extensions import db
from app.ipd import services as ipd
from app.lab import results, samples
from app.lab import services as lab
from app.lab.models import LabOrder, LabTest
from app.opd import services as opd
from app.opd.models import Consultation, OpdVisit
from app.registration import services as registration
from app.reports import hmis
from tests.conftest import denied, person

TODAY = ist_today()
MONTH = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)   # last month, complete
LAST = (MONTH + relativedelta(months=1)) - timedelta(days=1)


def at(day: int, hour: int, minute: int = 0, month: date = MONTH) -> datetime:
    """IST wall-clock time on a day of the month, as an aware time."""
    return datetime.combine(month.replace(day=day), time(hour, minute), IST)


# The hand count: what the records below add to each item.
EXPECTED = {
    "14.2.1": 4, "14.1.21": 1,
    "14.3.1.a": 1, "14.3.1.b": 1, "14.3.1.c": 1, "14.3.1.d": 2, "14.3.1.e": 1,
    "14.3.2.a": 1, "14.3.2.b": 1, "14.3.2.c": 0, "14.3.2.d": 1, "14.3.2.e": 0,
    "14.3.3.a": 0, "14.3.3.b": 0, "14.3.3.c": 1, "14.3.3.d": 0, "14.3.3.e": 0,
    "14.3.4.a": 0, "14.3.4.b": 0, "14.3.4.c": 0, "14.3.4.d": 1, "14.3.4.e": 0,
    "14.3.5.a": 1, "14.3.5.b": 1, "14.3.7.a": 1, "14.3.8": 1,
    "14.4.1": 1, "14.4.4": 1, "14.4.7": 1, "14.4.11": 1,
    "14.5.1": 2, "14.5.2": 1,
    "14.10": 10,
    "15.1.1": 9, "15.2.1": 2, "15.2.2": 1,
    "15.3.1.a": 1, "15.3.1.b": 0, "15.3.2.a": 1, "15.3.2.b": 1, "15.3.4.a": 0, "15.3.4.b": 0,
    "15.4.1.a": 1, "15.5.1": 1, "15.5.2": 1,
    "11.1.1.a": 1, "11.1.1.b": 1, "11.1.1.c": 0, "11.1.1.d": 0,
    "11.1.2.a": 1, "11.1.2.b": 0, "11.1.2.c": 0, "11.1.2.d": 1,
}


def _user(name):
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def _month_of_records(app, new_ward):
    """Make the records (the ward's beds are this test's own); returns the ids the
    drill-down assertions look for."""
    beds = new_ward(beds=8)
    icu = new_ward(beds=1)
    with app.app_context():
        facility = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        departments = dict(db.session.execute(select(Department.code, Department.id).where(
            Department.facility_id == facility.id)).all())
        doctor, tech, pathologist = (_user(u) for u in ("doctor.dhr", "labtech.dhr",
                                                          "pathologist.dhr"))

        def patient(gender, dob, name):
            p = registration.register_patient(person(gender=gender, name=name), facility, None)
            p.dob, p.dob_estimated = dob, False
            db.session.commit()
            return p

        boy = patient("M", MONTH.replace(day=10) - relativedelta(years=17), "Hmis Boy")
        # turns 18 on the day he is discharged: an adult by then
        man18 = patient("M", MONTH.replace(day=2) - relativedelta(years=18), "Hmis Eighteen")
        woman = patient("F", MONTH.replace(day=5) - relativedelta(years=30), "Hmis Woman")
        girl = patient("F", MONTH.replace(day=15) - relativedelta(years=5), "Hmis Girl")
        # exactly 60 on the day she is admitted: geriatric
        old = patient("F", MONTH.replace(day=20) - relativedelta(years=60), "Hmis Sixty")
        man59 = patient("M", MONTH.replace(day=1) - relativedelta(years=59), "Hmis Fiftynine")
        kept = patient("F", MONTH.replace(day=1) - relativedelta(years=40), "Hmis Kept")
        # the duplicate was registered as a man: counted as the woman it is merged into
        dup = patient("M", MONTH.replace(day=1) - relativedelta(years=40), "Hmis Duplicate")

        def admit(who, bed, when, **data):
            return ipd.admit(facility, who.id, {"department": departments["MED"], "bed": bed,
                                                **data}, None, now=when)

        def leave(admission, kind, when):
            ipd.leave_hospital(admission, kind, when.astimezone(timezone.utc), "", None)
            db.session.commit()

        tests = dict(db.session.execute(select(LabTest.code, LabTest.id).where(
            LabTest.facility_id == facility.id)).all())

        def lab_work(admission, codes, values, when, amend=None):
            order = lab.place_order(facility, admission.patient_id, {
                "tests": [tests[c] for c in codes], "admission": admission.id},
                doctor.id, now=when)
            for sample in samples.collect(order, [], tech.id, now=when + timedelta(minutes=5)):
                samples.receive(facility.id, sample.sample_number, tech.id,
                                now=when + timedelta(minutes=10))
            for item in db.session.get(LabOrder, order.id).items:
                item = results.item_for_entry(item.id)
                mine = {code: {"value": v, "called_to": "Dr Sharma",
                               "called_at": (when + timedelta(minutes=50)).isoformat()}
                        for code, v in values.items()
                        if code in {a.code for a in results.analytes(item.test)}}
                results.enter(item, mine, tech.id, now=when + timedelta(minutes=40))
                results.release(results.item_for_entry(item.id), pathologist.id,
                                 now=when + timedelta(hours=1))
            if amend:
                item = next(i for i in db.session.get(LabOrder, order.id).items
                            if i.test.code in amend)
                results.enter(results.item_for_entry(item.id),
                              {c: {"value": v} for c, v in amend.items()}, tech.id,
                              reason="wrong sample read", now=when + timedelta(hours=2))
                results.release(results.item_for_entry(item.id), pathologist.id,
                                now=when + timedelta(hours=3))
            return order

        a_boy = admit(boy, beds[0], at(10, 10))
        lab_work(a_boy, ["HB", "HIV", "VDRL"],
                 {"HB": "12.0", "HIV": "Non-reactive", "VDRL": "Non-reactive"}, at(11, 8),
                 amend={"HB": "13.0"})                             # counted once, as amended
        leave(a_boy, "recovered", at(13, 11))                      # 3 midnights
        prev = MONTH - timedelta(days=3)
        a_man18 = admit(man18, beds[1], at(prev.day, 10, month=prev.replace(day=1)))
        leave(a_man18, "recovered", at(2, 9))                      # 1 midnight in the month
        a_woman = admit(woman, beds[2], at(5, 22))
        lab_work(a_woman, ["HB", "HIV", "MP-SMEAR", "MP-RDT", "VDRL", "WIDAL"],
                 {"HB": "6.5", "HIV": "Reactive", "MP-SMEAR": "P. vivax seen",
                  "MP-RDT": "Mixed (Pf + Pv) positive", "VDRL": "Non-reactive",
                  "WIDAL-TO": "1:160", "WIDAL-TH": "1:40", "WIDAL-AH": "1:20",
                  "WIDAL-BH": "1:20"}, at(6, 8))
        ipd.transfer(a_woman, icu[0], "worse", None, now=at(6, 10))
        leave(a_woman, "death", at(7, 3))                          # 2 midnights
        a_girl = admit(girl, beds[3], at(15, 10))
        leave(a_girl, "referred", at(16, 21))                      # 1 midnight, at night
        a_old = admit(old, beds[4], at(20, 12), mlc=True)
        leave(a_old, "lama", at(21, 12))                           # 1 midnight
        a_dup = admit(dup, beds[5], at(22, 12))
        leave(a_dup, "recovered", at(23, 12))                      # 1 midnight
        a_man59 = admit(man59, beds[6], at(LAST.day, 20))          # still in: 1 midnight
        from app.ipd import summary

        def diagnose(admission, code, ruled_out=False):
            row = summary.add_diagnosis(admission, {"diagnosis": code, "kind": "final"}, doctor)
            if ruled_out:
                summary.rule_out(row, "smear negative", doctor)
        diagnose(a_woman, "B54")                                   # malaria, died
        diagnose(a_boy, "J18.9")                                   # pneumonia
        diagnose(a_girl, "A01.0", ruled_out=True)                  # typhoid ruled out
        diagnose(a_old, "A09")                                     # diarrhoea
        diagnose(a_old, "E86")                                     # with dehydration
        diagnose(a_man18, "A09")                                   # without: not 14.4.7
        diagnose(a_dup, "F32.9")                                   # depression
        diagnose(a_man59, "R50.9")                                 # still in: not counted

        def visit(who, department, day, hour, minute=0):
            v = opd.add_visit(who, departments[department], today=MONTH.replace(day=day))
            db.session.commit()
            db.session.execute(update(OpdVisit).where(OpdVisit.id == v.id).values(
                created_at=at(day, hour, minute)))
            db.session.commit()
            return v

        v_woman = visit(woman, "MED", 3, 10)
        visit(old, "MED", 4, 10)                                   # 60 on the 20th: 59 now
        visit(dup, "MED", 22, 10)
        visit(boy, "EMR", 10, 23, 30)                              # at night
        visit(girl, "EMR", 15, 9)
        v_old = visit(old, "MED", 25, 10)                          # 60 by now: geriatric
        db.session.add(Consultation(facility_id=facility.id, visit_id=v_woman.id,
                                    doctor_id=doctor.id, referral_facility="PGI Chandigarh",
                                    started_at=at(3, 10, 30), completed_at=at(3, 11)))
        registration.merge_patients(kept.id, dup.id, "same person", facility.id)
        db.session.commit()
        return {"dead": a_woman.id, "dup": a_dup.id, "man59": a_man59.id,
                "old_visit": v_old.id}


_MADE = {}


@pytest.fixture
def counted(app, new_ward):
    """(figures before, figures after) the month's records were made, their ids, and the
    facility's beds and the month's days; made once for the module's tests."""
    if not _MADE:
        with app.app_context():
            fid = db.session.execute(select(Facility.id).where(Facility.code == "DHR")).scalar()
            before = hmis.report(MONTH, fid)
            _MADE["before"] = {n: before.value(n) for n in hmis.counted()}
        _MADE["ids"] = _month_of_records(app, new_ward)
        with app.app_context():
            after = hmis.report(MONTH, fid)
            _MADE["after"] = {n: after.value(n) for n in hmis.counted()}
            _MADE["beds"], _MADE["days"], _MADE["fid"] = after.beds[fid], after.days, fid
            _MADE["occupancy"] = after.occupancy()
    return _MADE


def test_every_item_matches_the_hand_count(counted):
    added = {n: counted["after"][n] - counted["before"][n] for n in hmis.counted()}
    assert added == {n: EXPECTED.get(n, 0) for n in hmis.counted()}
    assert set(EXPECTED) <= hmis.counted()
    # bed occupancy is derived from the head count, the beds and the days
    assert counted["occupancy"] == round(
        100 * counted["after"]["14.10"] / (counted["beds"] * counted["days"]), 1)


def test_items_not_recorded_are_not_shown_as_zero(app, as_user, counted):
    with app.app_context():
        report = hmis.report(MONTH, counted["fid"])
        assert report.value("14.8.2") is None and report.value("3.1") is None
    page = as_user("supervisor.dhr").get(f"/hmis/?month={MONTH:%Y-%m}").get_data(as_text=True)
    row = page.split(">14.8.2<")[1].split("</tr>")[0]
    assert "not recorded here" in row
    hindi = as_user("supervisor.dhr", lang="hi").get(f"/hmis/?month={MONTH:%Y-%m}")
    text = hindi.get_data(as_text=True)
    assert "आईपीडी मृत्यु" in text and "यहाँ दर्ज नहीं" in text


def test_a_figure_drills_down_to_its_records(as_user, counted):
    supervisor = as_user("supervisor.dhr")
    deaths = supervisor.get(f"/hmis/item/14.3.4.d?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert f"/ipd/admission/{counted['ids']['dead']}" in deaths or \
        f"admission/{counted['ids']['dead']}" in deaths
    admitted = supervisor.get(f"/hmis/item/14.3.1.d?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "Hmis Kept" in admitted          # the duplicate's stay, under the kept record
    geriatric = supervisor.get(f"/hmis/item/14.1.21?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "Hmis Sixty" in geriatric and "60" in geriatric
    malaria = supervisor.get(f"/hmis/item/14.4.1?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "Hmis Woman" in malaria and "Hmis Girl" not in malaria
    nights = supervisor.get(f"/hmis/item/14.10?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "Hmis Boy" in nights and "Nights counted" in nights
    assert supervisor.get(f"/hmis/item/14.8.2?month={MONTH:%Y-%m}").status_code == 404
    assert supervisor.get(f"/hmis/item/99.9?month={MONTH:%Y-%m}").status_code == 404


def test_the_files_are_laid_out_like_the_portals_form(app, as_user, counted):
    supervisor = as_user("supervisor.dhr")
    book = load_workbook(io.BytesIO(supervisor.get(f"/hmis/file.xlsx?month={MONTH:%Y-%m}").data))
    cells = [row for row in book.active.iter_rows(values_only=True)]
    header = {row[0]: row[1] for row in cells[:12] if row and row[0]}
    assert header["Reporting month"] == f"{MONTH:%B %Y}" and header["Facility type"]
    items = {row[0]: row for row in cells if row and row[0] in ("14.3.4.d", "14.8.2")}
    assert items["14.3.4.d"][2] == counted["after"]["14.3.4.d"]
    assert items["14.8.2"][2] in (None, "") and items["14.8.2"][3] == "Not recorded here"
    rows = list(csv.reader(io.StringIO(supervisor.get(
        f"/hmis/file.csv?month={MONTH:%Y-%m}").data.decode("utf-8-sig"))))
    assert ["14.10", hmis.BY_NUMBER["14.10"].name_en, str(counted["after"]["14.10"]), ""] in rows
    with app.app_context():
        assert db.session.query(AuditLog).filter(
            AuditLog.action == "export", AuditLog.new_value.like(f"HMIS {MONTH:%Y-%m}%")).count() >= 2


def test_the_state_rolls_up_facilities_and_districts(app, as_user, counted):
    auditor = as_user("auditor")
    page = auditor.get(f"/hmis/state?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "Kangra" in page and "Ranchi" in page
    rows = list(csv.reader(io.StringIO(auditor.get(
        f"/hmis/state/file.csv?month={MONTH:%Y-%m}").data.decode("utf-8-sig"))))
    heading = next(r for r in rows if r and r[0] == "Item No.")
    opd = next(r for r in rows if r and r[0] == "14.2.1")
    dhr, total = heading.index("DHR"), heading.index("State total")
    assert int(opd[dhr]) == counted["after"]["14.2.1"]
    assert int(opd[total]) == sum(int(opd[i]) for i in range(2, len(heading) - 1)
                                  if heading[i] in ("DHR", "RNC"))
    # a facility's supervisor is sent to their own facility's report
    resp = as_user("supervisor.dhr").get(f"/hmis/state?month={MONTH:%Y-%m}")
    assert resp.status_code == 302 and "/hmis/" in resp.headers["Location"]


def test_a_facility_sees_only_its_own_figures(as_user, counted):
    other = as_user("supervisor.rnc").get(f"/hmis/item/14.3.1.d?month={MONTH:%Y-%m}")
    assert "Hmis Kept" not in other.get_data(as_text=True)


@pytest.mark.parametrize("month, message", [
    ("2026-13", "yyyy-mm"), ("November", "yyyy-mm"), ("1999-12", "yyyy-mm"),
    ((TODAY + relativedelta(months=1)).strftime("%Y-%m"), "not begun"),
])
def test_bad_months_are_refused_naming_the_field(as_user, month, message):
    supervisor = as_user("supervisor.dhr")
    for path in ("/hmis/", "/hmis/item/14.2.1", "/hmis/file.csv"):
        resp = supervisor.get(f"{path}?month={month}")
        assert resp.status_code == 422 and message in resp.get_data(as_text=True), path
    hindi = as_user("supervisor.dhr", lang="hi").get(f"/hmis/?month={month}")
    assert hindi.status_code == 422 and "महीना" in hindi.get_data(as_text=True)


def test_only_supervisors_and_the_state_read_the_report(as_user):
    assert denied(as_user("clerk.dhr").get("/hmis/"))
    assert denied(as_user("labtech.dhr").get("/hmis/file.csv"))
    assert as_user("auditor").get("/hmis/state").status_code == 200
    # the state's users, before choosing a facility, land on the state's roll-up
    resp = as_user("auditor").get("/hmis/?month=2026-10")
    assert resp.status_code == 302 and "/hmis/state?month=2026-10" in resp.headers["Location"]

