"""Wards and beds are masters the supervisor keeps through the generated views."""
import uuid

from app.core.models import Facility
from app.extensions import db
from app.ipd.models import Bed, Ward
from tests.conftest import denied


def _ids(app):
    with app.app_context():
        dhr = db.session.query(Facility).filter_by(code="DHR").one().id
        rnc = db.session.query(Facility).filter_by(code="RNC").one().id
        return dhr, rnc


def test_supervisor_adds_a_ward_and_its_beds(app, as_user):
    dhr, rnc = _ids(app)
    supervisor = as_user("supervisor.dhr")
    code = "N" + uuid.uuid4().hex[:5].upper()
    resp = supervisor.post("/wardview/add", data={
        "facility": dhr, "code": code, "name_en": "Burns Ward", "name_hi": "बर्न वार्ड",
        "gender": "", "active": "y"})
    assert resp.status_code == 302
    with app.app_context():
        ward = db.session.query(Ward).filter_by(code=code).one()
        ward_id = ward.id
    # A bed whose bed-day service is not in the tariff is refused, naming the field.
    resp = supervisor.post("/bedview/add", data={"facility": dhr, "ward": ward_id,
                                                 "number": "1", "tariff_code": "BED-GOLD",
                                                 "active": "y"})
    assert resp.status_code == 200 and "No bed-day service with this code" in resp.get_data(
        as_text=True)
    # So is an OPD fee code: it is a tariff, but not a bed-day.
    resp = supervisor.post("/bedview/add", data={"facility": dhr, "ward": ward_id,
                                                 "number": "1", "tariff_code": "OPD-NEW",
                                                 "active": "y"})
    assert resp.status_code == 200
    resp = supervisor.post("/bedview/add", data={"facility": dhr, "ward": ward_id,
                                                 "number": "1", "tariff_code": "BED-GEN",
                                                 "active": "y"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.query(Bed).filter_by(ward_id=ward_id).count() == 1
    # Another facility's supervisor cannot put beds in this ward, nor a nurse add wards.
    resp = as_user("supervisor.rnc").post("/bedview/add", data={
        "facility": rnc, "ward": ward_id, "number": "2", "tariff_code": "BED-GEN",
        "active": "y"})
    assert resp.status_code == 200
    assert denied(as_user("nurse.dhr").post("/wardview/add", data={"code": "X"}))
    with app.app_context():
        assert db.session.query(Bed).filter_by(ward_id=ward_id).count() == 1


def test_admission_register_lists_in_hindi(app, as_user):
    page = as_user("nurse.dhr", lang="hi").get("/admissionview/list/")
    assert page.status_code == 200 and "आईपीडी संख्या" in page.get_data(as_text=True)
