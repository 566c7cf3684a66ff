"""Lab: the test catalogue (a master per facility) and lab orders, the test slips
("parchi") a doctor or ward nurse writes. Each test is charged under the tariff
code it carries, the moment it is ordered. Then the sample is collected (one tube
serves the tests that share its sample and container), received in the lab, the
results entered by a technician and released by a pathologist; a released result is
never changed in place, it is amended as a new version."""
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, Numeric, String,
    UniqueConstraint,
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
CONTAINERS = {
    "edta": _l("EDTA tube (lavender)"),
    "plain": _l("Plain tube (red)"),
    "fluoride": _l("Fluoride tube (grey)"),
    "citrate": _l("Citrate tube (blue)"),
    "urine": _l("Urine container"),
    "stool": _l("Stool container"),
    "sputum": _l("Sputum container"),
    "swab": _l("Swab"),
}
RESULT_TYPES = {"numeric": _l("Number"), "choice": _l("Choice from a list"),
                "titre": _l("Titre"), "text": _l("Text"), "panel": _l("Panel of tests")}
SEXES = {"M": _l("Male"), "F": _l("Female")}
REJECT_REASONS = {"haemolysed": _l("Haemolysed"), "clotted": _l("Clotted"),
                  "insufficient": _l("Insufficient quantity"),
                  "mislabelled": _l("Mislabelled"), "leaked": _l("Leaked")}
SAMPLE_STATUSES = {"collected": _l("Collected"), "received": _l("Received in the lab"),
                   "rejected": _l("Rejected")}
# Where each ordered test stands, ordered → collected → received → entered → released.
ITEM_STATUSES = {"ordered": _l("To collect"), "collected": _l("Collected"),
                 "received": _l("In the lab"), "entered": _l("Awaiting verification"),
                 "released": _l("Released"), "cancelled": _l("Cancelled")}
RESULT_STATUSES = {"entered": _l("Awaiting verification"), "released": _l("Released"),
                   "superseded": _l("Replaced by an amendment")}
FLAGS = {"L": _l("Low"), "H": _l("High"), "LL": _l("Critical low"),
         "HH": _l("Critical high"), "A": _l("Abnormal")}
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
    # What a result of it is and how it is judged. A panel (CBC, LFT) is ordered and
    # charged as one and reports its members' results as a block.
    container = Column(String(10))
    unit = Column(String(20))
    method = Column(String(60))
    result_type = Column(String(8), nullable=False, default="numeric")
    decimals = Column(Integer, nullable=False, default=0)
    choices = Column(String(400))      # "Positive|Negative", or a titre's dilutions
    normal_values = Column(String(200))  # of those, the ones not flagged: "Negative"
    loinc = Column(String(10))
    critical_low = Column(Numeric(12, 4))
    critical_high = Column(Numeric(12, 4))
    plausible_low = Column(Numeric(12, 4))   # outside: probably mistyped, needs confirming
    plausible_high = Column(Numeric(12, 4))
    delta_limit = Column(Numeric(12, 4))     # a change since the last result worth a look
    tat_minutes = Column(Integer)            # target, ordered → released
    panel_only = Column(Boolean, nullable=False, default=False)  # not ordered alone
    ranges = relationship("LabTestRange", order_by="LabTestRange.age_from_days",
                          back_populates="test")
    members = relationship("LabPanelMember", foreign_keys="LabPanelMember.panel_id",
                           order_by="LabPanelMember.position", back_populates="panel")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def choice_list(self) -> list[str]:
        return [c for c in (self.choices or "").split("|") if c]

    @property
    def normal_list(self) -> list[str]:
        return [c for c in (self.normal_values or "").split("|") if c]


class LabTestRange(FacilityOwned, Model):
    """A reference range of a test for one sex (or both) and an age band [from, to) in
    days: a newborn's haemoglobin is not an adult's."""
    __tablename__ = "lab_test_range"
    __table_args__ = (CheckConstraint("age_to_days IS NULL OR age_to_days > age_from_days",
                                      name="ck_lab_test_range_ages"),)
    id = Column(Integer, primary_key=True)
    test_id = Column(Integer, ForeignKey("lab_test.id"), nullable=False, index=True)
    test = relationship(LabTest, back_populates="ranges")
    sex = Column(String(1))             # M, F, or none: both
    age_from_days = Column(Integer, nullable=False, default=0)
    age_to_days = Column(Integer)       # none: no upper age
    low = Column(Numeric(12, 4))
    high = Column(Numeric(12, 4))

    def __str__(self) -> str:
        return f"{self.test.code if self.test else ''} {self.sex or ''} " \
            f"{self.age_from_days}-{self.age_to_days or ''}"


class LabPanelMember(FacilityOwned, Model):
    __tablename__ = "lab_panel_member"
    __table_args__ = (UniqueConstraint("panel_id", "member_id"),)
    id = Column(Integer, primary_key=True)
    panel_id = Column(Integer, ForeignKey("lab_test.id"), nullable=False, index=True)
    panel = relationship(LabTest, foreign_keys=[panel_id], back_populates="members")
    member_id = Column(Integer, ForeignKey("lab_test.id"), nullable=False)
    member = relationship(LabTest, foreign_keys=[member_id])
    position = Column(Integer, nullable=False, default=0)

    def __str__(self) -> str:
        return f"{self.panel.code if self.panel else ''} → {self.member.code if self.member else ''}"


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
    report_prints = Column(Integer, nullable=False, default=0)
    items = relationship("LabOrderItem", order_by="LabOrderItem.position",
                         back_populates="order")

    def __str__(self) -> str:
        return self.order_number

    @property
    def tests(self) -> list[dict]:
        """The ordered tests as the API shows them."""
        return [{"item_id": item.id, "status": item.status, "code": item.test.code,
                 "name_en": item.test.name_en,
                 "name_hi": item.test.name_hi, "sample": item.test.sample,
                 "amount": str(item.charge.amount) if item.charge else None,
                 "charge_id": item.charge_id} for item in self.items]


class LabOrderItem(FacilityOwned, Model):
    __tablename__ = "lab_order_item"
    __table_args__ = (Index("ix_lab_order_item_work", "facility_id", "status"),
                      Index("ix_lab_order_item_released", "facility_id", "released_at"),
                      Index("ix_lab_order_item_charge", "charge_id"))
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("lab_order.id"), nullable=False, index=True)
    order = relationship(LabOrder, back_populates="items")
    position = Column(Integer, nullable=False)
    test_id = Column(Integer, ForeignKey("lab_test.id"), nullable=False)
    test = relationship(LabTest)
    charge_id = Column(Integer, ForeignKey("charge.id"))
    charge = relationship(Charge)
    status = Column(String(10), nullable=False, default="ordered")
    sample_id = Column(Integer, ForeignKey("lab_sample.id", name="fk_lab_order_item_sample_id"),
                       index=True)
    sample = relationship("LabSample", back_populates="items")
    # Raised by every write to the item's results: a technician saving over a change
    # they have not seen is told so instead of overwriting it.
    revision = Column(Integer, nullable=False, default=0)
    entered_at = Column(DateTime(timezone=True))
    released_at = Column(DateTime(timezone=True))
    results = relationship("LabResult", order_by="(LabResult.position, LabResult.version)",
                           back_populates="item")


class LabSample(FacilityOwned, Model):
    """A tube or container: DHR-L261129-0001, on its label as Code 128."""
    __tablename__ = "lab_sample"
    __table_args__ = (UniqueConstraint("facility_id", "sample_number"),)
    id = Column(Integer, primary_key=True)
    sample_number = Column(String(24), nullable=False)
    order_id = Column(Integer, ForeignKey("lab_order.id"), nullable=False, index=True)
    order = relationship(LabOrder)
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False, index=True)
    patient = relationship(Patient)
    sample = Column(String(12), nullable=False)
    container = Column(String(10))
    test_codes = Column(String(300), nullable=False)  # what it was taken for, on its label
    status = Column(String(10), nullable=False, default="collected")
    collected_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    collected_by_id = Column(Integer, ForeignKey("ab_user.id"))
    collected_by = relationship(User, foreign_keys=[collected_by_id])
    received_at = Column(DateTime(timezone=True))
    received_by_id = Column(Integer, ForeignKey("ab_user.id"))
    received_by = relationship(User, foreign_keys=[received_by_id])
    rejected_at = Column(DateTime(timezone=True))
    rejected_by_id = Column(Integer, ForeignKey("ab_user.id"))
    rejected_by = relationship(User, foreign_keys=[rejected_by_id])
    reject_reason = Column(String(12))
    reject_note = Column(String(200))
    label_prints = Column(Integer, nullable=False, default=0)
    items = relationship(LabOrderItem, back_populates="sample")

    def __str__(self) -> str:
        return self.sample_number


class LabResult(FacilityOwned, Model):
    """One analyte's value for an ordered test, as entered and as released. Each
    amendment after release is a new version; the older ones stay."""
    __tablename__ = "lab_result"
    __table_args__ = (
        UniqueConstraint("item_id", "analyte_id", "version"),
        Index("ix_lab_result_history", "patient_id", "analyte_id", "released_at"),
    )
    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("lab_order_item.id"), nullable=False, index=True)
    item = relationship(LabOrderItem, back_populates="results")
    analyte_id = Column(Integer, ForeignKey("lab_test.id"), nullable=False)
    analyte = relationship(LabTest)
    order_id = Column(Integer, ForeignKey("lab_order.id"), nullable=False, index=True)
    order = relationship(LabOrder)
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False)
    patient = relationship(Patient)
    position = Column(Integer, nullable=False, default=0)
    version = Column(Integer, nullable=False, default=1)
    value = Column(String(200), nullable=False)
    value_number = Column(Numeric(14, 4))
    unit = Column(String(20))
    flag = Column(String(2))
    range_low = Column(Numeric(12, 4))
    range_high = Column(Numeric(12, 4))
    range_text = Column(String(60))
    delta_from = Column(String(200))   # the previous value, when the change is beyond the limit
    confirmed_implausible = Column(Boolean, nullable=False, default=False)
    critical_called_to = Column(String(100))
    critical_called_at = Column(DateTime(timezone=True))
    status = Column(String(10), nullable=False, default="entered")  # entered|released|superseded
    entered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    entered_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    entered_by = relationship(User, foreign_keys=[entered_by_id])
    released_at = Column(DateTime(timezone=True))
    released_by_id = Column(Integer, ForeignKey("ab_user.id"))
    released_by = relationship(User, foreign_keys=[released_by_id])
    amend_reason = Column(String(200))

    def __str__(self) -> str:
        return f"{self.analyte.code if self.analyte else ''} {self.value}"
