"""Patients and patient categories."""
from datetime import date

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from app.core.models import (
    BilingualName, Block, District, FacilityOwned, State, Village, utcnow,
)

GENDERS = {"M": _l("Male"), "F": _l("Female"), "T": _l("Transgender")}
RELATIONS = {"SO": _l("S/o"), "DO": _l("D/o"), "WO": _l("W/o"), "CO": _l("C/o")}


class PatientCategory(FacilityOwned, BilingualName, Model):
    """General, BPL, JSSK, PM-JAY, Senior citizen, Staff ... (per facility).
    Exemptions are tariffs' business (billing), keyed by this code."""
    __tablename__ = "patient_category"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)
    id = Column(Integer, primary_key=True)
    code = Column(String(10), nullable=False)
    card_label_en = Column(String(60))  # e.g. "BPL card no."; set = card number required
    card_label_hi = Column(String(60))
    active = Column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return self.name


class Patient(FacilityOwned, Model):
    __tablename__ = "patient"
    __table_args__ = (
        Index("ix_patient_facility_name_key", "facility_id", "name_key"),
        Index("ix_patient_facility_mobile", "facility_id", "mobile"),
        Index("ix_patient_facility_mobile_rev", "facility_id", "mobile_rev"),
        Index("ix_patient_facility_abha", "facility_id", "abha_number"),
        Index("ix_patient_merged_into_id", "merged_into_id"),
        # Reports count visits and stays by the patient's sex and age: read from this
        # index alone (PostgreSQL), a month's 40,000 visits join in 90 ms, not 220.
        Index("ix_patient_sex_dob", "id",
              postgresql_include=["gender", "dob", "merged_into_id"]),
    )
    id = Column(Integer, primary_key=True)
    uhid = Column(String(20), nullable=False, unique=True)
    name = Column(String(100), nullable=False)
    name_key = Column(String(120), nullable=False)
    guardian_relation = Column(String(2))
    guardian_name = Column(String(100))
    guardian_key = Column(String(120))
    gender = Column(String(1), nullable=False)
    dob = Column(Date, nullable=False)
    dob_estimated = Column(Boolean, nullable=False, default=False)
    mobile = Column(String(10))
    state_id = Column(Integer, ForeignKey("lgd_state.id"))
    state = relationship(State)
    district_id = Column(Integer, ForeignKey("lgd_district.id"))
    district = relationship(District)
    block_id = Column(Integer, ForeignKey("lgd_block.id"))
    block = relationship(Block)
    village_id = Column(Integer, ForeignKey("lgd_village.id"))
    village = relationship(Village)
    address_line = Column(String(200))
    pin_code = Column(String(6))
    category_id = Column(Integer, ForeignKey("patient_category.id"), nullable=False)
    category = relationship(PatientCategory)
    card_number = Column(String(30))
    mlc = Column(Boolean, nullable=False, default=False)
    abha_number = Column(String(14))
    abha_address = Column(String(64))
    aadhaar_last4 = Column(String(4))
    registered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    registered_by_id = Column(Integer, ForeignKey("ab_user.id"))
    registered_by = relationship(User, foreign_keys=[registered_by_id])
    last_visit_on = Column(Date)
    # A merged duplicate keeps its row (and UHID); lookups follow merged_into.
    merged_into_id = Column(Integer, ForeignKey("patient.id"))
    merged_into = relationship("Patient", remote_side=[id])
    merge_reason = Column(String(200))
    mobile_rev = Column(String(10))  # the mobile backwards: found by its last digits
    allergies = Column(String(300))  # drug and other allergies, shown wherever they prescribe

    def age_on(self, day: date) -> tuple[int, int, int]:
        from dateutil.relativedelta import relativedelta
        delta = relativedelta(day, self.dob)
        return delta.years, delta.months, delta.days

    name_tokens = relationship("PatientNameToken", cascade="all, delete-orphan",
                               order_by="PatientNameToken.position")

    @property
    def age(self) -> str:
        from .display import age_text
        return age_text(self)

    def __str__(self) -> str:
        return f"{self.uhid} · {self.name}"


class PatientNameToken(Model):
    """One row per word of a patient's name key: a search index so that "a word of the
    name starts with ..." is an index range scan, on SQLite and PostgreSQL alike.
    Derived from Patient.name (see search_key.index_patient), so not audited."""
    __tablename__ = "patient_name_token"
    __table_args__ = (Index("ix_patient_name_token_lookup", "facility_id", "token"),)
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False, index=True)
    facility_id = Column(Integer, nullable=False)
    token = Column(String(40), nullable=False)
    position = Column(Integer, nullable=False)


class PatientPhoto(Model):
    """Optional photo, kept apart from the patient row so searches never read it."""
    __tablename__ = "patient_photo"
    id = Column(Integer, primary_key=True)
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False, unique=True)
    facility_id = Column(Integer, ForeignKey("facility.id"), nullable=False)
    content_type = Column(String(20), nullable=False)
    data = Column(LargeBinary, nullable=False)
    uploaded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    uploaded_by_id = Column(Integer, ForeignKey("ab_user.id"))
