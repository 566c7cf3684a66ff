import uuid

import pytest

from app.core.models import Department, Facility
from app.extensions import db
from app.ipd.models import Bed, Ward
from app.registration import services as registration
from tests.conftest import person


@pytest.fixture
def new_ward(app):
    """A fresh ward of its own beds, so a test never finds them taken by another test;
    returns the bed ids."""
    def make(code="DHR", beds=3, gender="", tariff="BED-GEN"):
        with app.app_context():
            facility = db.session.query(Facility).filter_by(code=code).one()
            tag = uuid.uuid4().hex[:6].upper()
            ward = Ward(facility_id=facility.id, code=f"W{tag}", name_en=f"Test ward {tag}",
                        name_hi=f"परीक्षण वार्ड {tag}", gender=gender, active=True)
            db.session.add(ward)
            rows = [Bed(facility_id=facility.id, ward=ward, number=f"{n}", tariff_code=tariff,
                        active=True) for n in range(1, beds + 1)]
            db.session.add_all(rows)
            db.session.commit()
            return [b.id for b in rows]
    return make


@pytest.fixture
def new_patient(app):
    """A registered patient of the facility (general category): their id."""
    def make(code="DHR", **over):
        with app.app_context():
            facility = db.session.query(Facility).filter_by(code=code).one()
            return registration.register_patient(person(**over), facility, None).id
    return make


@pytest.fixture
def medicine(app):
    def get(code="DHR"):
        with app.app_context():
            return db.session.query(Department).join(Facility).filter(
                Facility.code == code, Department.code == "MED").one().id
    return get
