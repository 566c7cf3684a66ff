"""Staff profiles: a supervisor records designation, departments and HPR ID of own staff."""
from app.core.models import Department, StaffProfile
from app.extensions import db


def _profile(app, username):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        profile = db.session.query(StaffProfile).filter_by(user_id=user.id).one()
        return profile.id, user.id, profile.facility_id


def _dept(app, facility_id, code):
    with app.app_context():
        return db.session.query(Department).filter_by(facility_id=facility_id, code=code).one().id


def test_supervisor_updates_own_staff(as_user, app, make_user):
    username = make_user("Doctor", "DHR")
    pid, uid, fid = _profile(app, username)
    resp = as_user("supervisor.dhr").post(f"/staffview/edit/{pid}", data={
        "user": uid, "facility": fid, "designation": "Senior Medical Officer",
        "departments": [_dept(app, fid, "MED"), _dept(app, fid, "EMR")],
        "hpr_id": "71234567890123", "language": "hi"})
    assert resp.status_code == 302
    with app.app_context():
        profile = db.session.get(StaffProfile, pid)
        assert profile.hpr_id == "71234567890123"
        assert sorted(d.code for d in profile.departments) == ["EMR", "MED"]


def test_staff_rules(as_user, app, make_user):
    username = make_user("Nurse", "DHR")
    pid, uid, fid = _profile(app, username)
    supervisor = as_user("supervisor.dhr")
    resp = supervisor.post(f"/staffview/edit/{pid}", data={
        "user": uid, "facility": fid, "hpr_id": "12345", "language": "en"})
    assert resp.status_code == 200 and "14 digits" in resp.get_data(as_text=True)
    with app.app_context():
        from app.core.models import Facility
        rnc = db.session.query(Facility).filter_by(code="RNC").one().id
    # A Ranchi department is not even offered to a Dharamshala supervisor.
    resp = supervisor.post(f"/staffview/edit/{pid}", data={
        "user": uid, "facility": fid, "departments": [_dept(app, rnc, "MED")], "language": "en"})
    assert resp.status_code == 200 and "Not a valid choice" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StaffProfile, pid).departments == []
    # Nor are users of another facility: the user picker is a type-ahead of the
    # facility's own accounts (the form lists none of them).
    form = supervisor.get(f"/staffview/edit/{pid}").get_data(as_text=True)
    assert "hmis-typeahead" in form and "Registration Clerk DHR" not in form
    found = supervisor.get("/picker/user/?q=clerk").get_json()["results"]
    assert [r["text"] for r in found] == ["clerk.dhr · Registration Clerk DHR"]
    found = supervisor.get("/picker/user/?q=Registration").get_json()["results"]
    assert found and not any("RNC" in r["text"] for r in found)


def test_registry_coverage_lists_who_still_lacks_an_abdm_id(as_user, app, make_user):
    doctor = make_user("Doctor", "DHR")
    page = as_user("supervisor.dhr").get("/abdm/coverage").get_data(as_text=True)
    staff = page.split("hmis-missing-hpr")[1].split("</table>")[0]
    assert doctor in staff and "hmis-missing-hfr" in page
    assert doctor not in as_user("supervisor.rnc").get("/abdm/coverage").get_data(as_text=True)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=doctor)
        db.session.query(StaffProfile).filter_by(user_id=user.id).one().hpr_id = "71123456789012"
        db.session.commit()
    page = as_user("auditor").get("/abdm/coverage").get_data(as_text=True)
    assert doctor not in page.split("hmis-missing-hpr")[1]
    assert as_user("clerk.dhr").get("/abdm/coverage").status_code in (302, 403)
