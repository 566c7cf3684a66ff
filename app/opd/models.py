"""OPD visits: one per patient per department per day, with its token and fee."""
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, Numeric, String,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from app.core.models import Department, FacilityOwned, utcnow
from app.registration.models import Patient

VISIT_TYPES = {"NEW": _l("New"), "FU": _l("Follow-up")}
STATUSES = {
    "waiting": _l("Waiting"), "called": _l("Called"), "in_consultation": _l("In consultation"),
    "done": _l("Done"), "referred": _l("Referred"), "admitted": _l("Admitted"),
    "left": _l("Left without consultation"),
}


class OpdVisit(FacilityOwned, Model):
    __tablename__ = "opd_visit"
    __table_args__ = (
        UniqueConstraint("facility_id", "department_id", "visit_date", "token"),
        Index("ix_opd_visit_queue", "facility_id", "department_id", "visit_date", "status"),
    )
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False, index=True)
    patient = relationship(Patient)
    department_id = Column(Integer, ForeignKey("department.id"), nullable=False)
    department = relationship(Department)
    doctor_id = Column(Integer, ForeignKey("ab_user.id"))
    doctor = relationship(User, foreign_keys=[doctor_id])
    room = Column(String(20))
    visit_type = Column(String(3), nullable=False, default="NEW")
    visit_date = Column(Date, nullable=False)  # IST date: tokens restart each day
    token = Column(Integer, nullable=False)
    status = Column(String(20), nullable=False, default="waiting")
    fee_code = Column(String(20))
    fee_amount = Column(Numeric(12, 2), nullable=False)
    fee_exempt = Column(Boolean, nullable=False, default=False)
    exemption_scheme = Column(String(80))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))
    created_by = relationship(User, foreign_keys=[created_by_id])
    slip_prints = Column(Integer, nullable=False, default=0)

    def __str__(self) -> str:
        return f"{self.visit_date:%d-%m-%Y} #{self.token} {self.patient.uhid if self.patient else ''}"
