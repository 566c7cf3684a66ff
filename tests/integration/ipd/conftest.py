from datetime import timedelta

import pytest

from app.core.models import Facility, utcnow
from app.extensions import db
from app.ipd import services as ipd


@pytest.fixture
def admitted(app, new_ward, new_patient, medicine):
    """admitted(code, name, days_ago) → the id of an admission of a new patient to a bed
    of its own, admitted `days_ago` days before now."""
    def make(code="DHR", name="Ramesh Kumar", days_ago=0):
        bed, = new_ward(code=code, beds=1)
        pid = new_patient(code=code, name=name, gender="M")
        with app.app_context():
            facility = db.session.query(Facility).filter_by(code=code).one()
            return ipd.admit(facility, pid, {"department": medicine(code), "bed": bed}, None,
                             now=utcnow() - timedelta(days=days_ago)).id
    return make
