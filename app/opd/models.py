"""OPD visits: one per patient per department per day, with its token and fee."""
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text,
    UniqueConstraint, text,
)
from sqlalchemy.orm import backref, relationship

from app.core.models import Department, FacilityOwned, in_user_language, utcnow
from app.registration.models import Patient

VISIT_TYPES = {"NEW": _l("New"), "FU": _l("Follow-up")}
STATUSES = {
    "waiting": _l("Waiting"), "called": _l("Called"), "in_consultation": _l("In consultation"),
    "done": _l("Done"), "referred": _l("Referred"), "admitted": _l("Admitted"),
    "left": _l("Left without consultation"),
}
# A patient has at most one visit in these per department and day.
OPEN_STATUSES = ("waiting", "called", "in_consultation")
OPEN_WHERE = "status IN ('waiting', 'called', 'in_consultation')"


class OpdVisit(FacilityOwned, Model):
    __tablename__ = "opd_visit"
    __table_args__ = (
        UniqueConstraint("facility_id", "department_id", "visit_date", "token"),
        Index("ix_opd_visit_queue", "facility_id", "department_id", "visit_date", "status"),
        Index("ux_opd_visit_open", "patient_id", "department_id", "visit_date", unique=True,
              sqlite_where=text(OPEN_WHERE), postgresql_where=text(OPEN_WHERE)),
        # Reports and registers read a facility's days; the dashboard counts them from
        # the index alone (PostgreSQL), without visiting the table.
        Index("ix_opd_visit_facility_date", "facility_id", "visit_date",
              postgresql_include=["visit_type", "department_id", "patient_id"]),
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
    exemption_scheme_hi = Column(String(80))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))
    created_by = relationship(User, foreign_keys=[created_by_id])
    slip_prints = Column(Integer, nullable=False, default=0)

    @property
    def scheme(self) -> str | None:
        """The exemption scheme in the user's language."""
        return in_user_language(self.exemption_scheme, self.exemption_scheme_hi) \
            if self.exemption_scheme else None

    def __str__(self) -> str:
        return f"{self.visit_date:%d-%m-%Y} #{self.token} {self.patient.uhid if self.patient else ''}"


class Icd10(Model):
    """WHO ICD-10 categories and subcategories (loaded by `hmis load-icd10`)."""
    __tablename__ = "icd10"
    id = Column(Integer, primary_key=True)
    code = Column(String(8), nullable=False, unique=True)   # "J18.9"
    title = Column(String(255), nullable=False)
    title_key = Column(String(255), nullable=False, index=True)  # lower-case, for search
    # The common diagnoses of an Indian district hospital (app/opd/data/common_diagnoses.csv):
    # their place in that list (1 = most common) and their name in Hindi.
    common_rank = Column(Integer)
    title_hi = Column(String(120))

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Icd10Use(Model):
    """How often a facility's doctors have given each diagnosis (a finished consultation
    counts its diagnoses once): the suggestions put the facility's own first."""
    __tablename__ = "icd10_use"
    facility_id = Column(Integer, ForeignKey("facility.id"), primary_key=True)
    icd10_id = Column(Integer, ForeignKey("icd10.id"), primary_key=True)
    uses = Column(Integer, nullable=False, default=0)


class Icd10Favourite(Model):
    """A doctor's own favourite diagnoses, suggested before any other."""
    __tablename__ = "icd10_favourite"
    user_id = Column(Integer, ForeignKey("ab_user.id"), primary_key=True)
    icd10_id = Column(Integer, ForeignKey("icd10.id"), primary_key=True)


class Drug(Model):
    """State drug master (generic names as on the essential medicines list)."""
    __tablename__ = "drug"
    __table_args__ = (UniqueConstraint("name", "strength", "form"),)
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False, index=True)
    strength = Column(String(40))
    form = Column(String(30), nullable=False)       # tablet, capsule, syrup, injection ...
    route = Column(String(20), nullable=False, default="oral")
    active = Column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return " ".join(p for p in (self.name, self.strength, self.form) if p)


class Consultation(FacilityOwned, Model):
    """The doctor's record of one OPD visit: vitals, findings, diagnoses, prescription."""
    __tablename__ = "consultation"
    __table_args__ = (Index("ix_consultation_facility_completed", "facility_id", "completed_at"),)
    id = Column(Integer, primary_key=True)
    visit_id = Column(Integer, ForeignKey("opd_visit.id"), nullable=False, unique=True)
    visit = relationship(OpdVisit, backref=backref("consultation", uselist=False))
    doctor_id = Column(Integer, ForeignKey("ab_user.id"))
    doctor = relationship(User)
    bp_systolic = Column(Integer)
    bp_diastolic = Column(Integer)
    pulse = Column(Integer)
    temperature_f = Column(Numeric(4, 1))
    spo2 = Column(Integer)
    resp_rate = Column(Integer)
    weight_kg = Column(Numeric(5, 1))
    height_cm = Column(Numeric(5, 1))
    rbs_mg_dl = Column(Integer)
    vitals_confirmed = Column(Boolean, nullable=False, default=False)
    complaints = Column(Text)
    history = Column(Text)
    examination = Column(Text)
    advice = Column(Text)
    follow_up_on = Column(Date)
    referral_department_id = Column(Integer, ForeignKey("department.id"))
    referral_department = relationship(Department)
    referral_facility = Column(String(150))
    referral_note = Column(String(300))
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    completed_at = Column(DateTime(timezone=True))
    prescription_prints = Column(Integer, nullable=False, default=0)
    diagnoses = relationship("Diagnosis", cascade="all, delete-orphan",
                             order_by="Diagnosis.position")
    prescription = relationship("PrescriptionLine", cascade="all, delete-orphan",
                                order_by="PrescriptionLine.position")


class Diagnosis(FacilityOwned, Model):
    __tablename__ = "diagnosis"
    id = Column(Integer, primary_key=True)
    consultation_id = Column(Integer, ForeignKey("consultation.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    icd10_id = Column(Integer, ForeignKey("icd10.id"), nullable=False)
    icd10 = relationship(Icd10)
    kind = Column(String(12), nullable=False)  # provisional | final
    note = Column(String(200))


class PrescriptionLine(FacilityOwned, Model):
    __tablename__ = "prescription_line"
    id = Column(Integer, primary_key=True)
    consultation_id = Column(Integer, ForeignKey("consultation.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    drug_id = Column(Integer, ForeignKey("drug.id"))
    drug = relationship(Drug)
    drug_name = Column(String(160), nullable=False)  # as printed, master or free text
    dose = Column(String(40))
    frequency = Column(String(20), nullable=False)
    days = Column(Integer)
    route = Column(String(20))
    instructions = Column(String(200))
