"""ABDM registry coverage: the facilities still without their Health Facility Registry
(HFR) ID and the doctors and nurses without their Healthcare Professional Registry (HPR)
ID, for a supervisor (their facility) and for the state (every facility): the review the
states' health departments run."""
from flask_appbuilder.security.sqla.models import Role, User
from sqlalchemy import select

from app.extensions import db

from .models import Facility, StaffProfile
from .roles import DOCTOR, NURSE


def missing(facility_id: int | None) -> dict:
    """{"facilities": [Facility without HFR ID], "staff": [(User, StaffProfile, Facility)]}
    of one facility, or of all (None)."""
    facilities = select(Facility).where(Facility.active.is_(True), Facility.hfr_id.is_(None))
    staff = (select(User, StaffProfile, Facility)
             .join(StaffProfile, StaffProfile.user_id == User.id)
             .join(Facility, Facility.id == StaffProfile.facility_id)
             .where(User.active.is_(True), StaffProfile.hpr_id.is_(None),
                    User.roles.any(Role.name.in_((DOCTOR, NURSE)))))
    if facility_id is not None:
        facilities = facilities.where(Facility.id == facility_id)
        staff = staff.where(StaffProfile.facility_id == facility_id)
    return {"facilities": db.session.execute(facilities.order_by(Facility.code)).scalars().all(),
            "staff": db.session.execute(staff.order_by(Facility.code, User.username)).all()}
