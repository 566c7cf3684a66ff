"""Lab: the test catalogue (a master per facility) and lab orders, the test slips
("parchi") a doctor or ward nurse writes. Each test is charged under the tariff
code it carries, the moment it is ordered."""
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, Column, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint,
)
from sqlalchemy.orm import relationship

from app.billing.models import Charge
from app.core.models import BilingualName, FacilityOwned, utcnow
from app.ipd.models import Admission
from app.opd.models import OpdVisit
from app.registration.models import Patient

SECTIONS = {
    "haematology": _l("Haematology"),
    "biochemistry": _l("Biochemistry"),
    "clinical_pathology": _l("Clinical pathology"),
    "serology": _l("Serology"),
    "microbiology": _l("Microbiology"),
    "histopathology": _l("Histopathology"),
}
SAMPLES = {
    "blood": _l("Blood"),
    "urine": _l("Urine"),
    "stool": _l("Stool"),
    "sputum": _l("Sputum"),
    "swab": _l("Swab"),
    "fluid": _l("Body fluid"),
    "tissue": _l("Tissue"),
}
PRIORITIES = {"routine": _l("Routine"), "urgent": _l("Urgent")}
ORDER_STATUSES = {"ordered": _l("Ordered"), "cancelled": _l("Cancelled")}
# What the lab needs to know of each test before taking the sample.
PAYMENT_STATES = {"paid": _l("Paid"), "unpaid": _l("To be paid at the cash counter"),
                  "free": _l("Free of charge"), "account": _l("On the inpatient account"),
                  "withdrawn": _l("Withdrawn")}


class LabTest(FacilityOwned, BilingualName, Model):
    __tablename__ = "lab_test"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)
    id = Column(Integer, primary_key=True)
    # Also the tariff code the test is charged under (a tariff of kind "lab").
    code = Column(String(20), nullable=False)
    section = Column(String(20), nullable=False)
    sample = Column(String(12), nullable=False)
    active = Column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class LabOrder(FacilityOwned, Model):
    __tablename__ = "lab_order"
    __table_args__ = (UniqueConstraint("facility_id", "order_number"),
                      Index("ix_lab_order_patient", "facility_id", "patient_id"))
    id = Column(Integer, primary_key=True)
    order_number = Column(String(30), nullable=False)   # DHR-LAB-2026-000042
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False)
    patient = relationship(Patient)
    opd_visit_id = Column(Integer, ForeignKey("opd_visit.id"))
    opd_visit = relationship(OpdVisit)
    admission_id = Column(Integer, ForeignKey("admission.id"))
    admission = relationship(Admission)
    priority = Column(String(8), nullable=False, default="routine")
    clinical_note = Column(String(300))
    status = Column(String(10), nullable=False, default="ordered")
    ordered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    ordered_by_id = Column(Integer, ForeignKey("ab_user.id"))
    ordered_by = relationship(User, foreign_keys=[ordered_by_id])
    cancelled_at = Column(DateTime(timezone=True))
    cancelled_by_id = Column(Integer, ForeignKey("ab_user.id"))
    cancelled_by = relationship(User, foreign_keys=[cancelled_by_id])
    cancel_reason = Column(String(200))
    slip_prints = Column(Integer, nullable=False, default=0)
    items = relationship("LabOrderItem", order_by="LabOrderItem.position",
                         back_populates="order")

    def __str__(self) -> str:
        return self.order_number

    @property
    def tests(self) -> list[dict]:
        """The ordered tests as the API shows them."""
        return [{"code": item.test.code, "name_en": item.test.name_en,
                 "name_hi": item.test.name_hi, "sample": item.test.sample,
                 "amount": str(item.charge.amount) if item.charge else None,
                 "charge_id": item.charge_id} for item in self.items]


class LabOrderItem(FacilityOwned, Model):
    __tablename__ = "lab_order_item"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("lab_order.id"), nullable=False, index=True)
    order = relationship(LabOrder, back_populates="items")
    position = Column(Integer, nullable=False)
    test_id = Column(Integer, ForeignKey("lab_test.id"), nullable=False)
    test = relationship(LabTest)
    charge_id = Column(Integer, ForeignKey("charge.id"))
    charge = relationship(Charge)
