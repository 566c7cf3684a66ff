"""IPD: wards and beds (masters), admissions with their bed stays (transfers), discharges."""
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text,
    UniqueConstraint, text,
)
from sqlalchemy.orm import backref, declared_attr, relationship

from app.billing.models import Account, Charge
from app.core.models import BilingualName, Department, FacilityOwned, utcnow
from app.opd.models import Drug, Icd10, OpdVisit
from app.registration.models import Patient

WARD_GENDERS = {"": _l("Any"), "M": _l("Male"), "F": _l("Female")}
STATUSES = {"admitted": _l("Admitted"), "discharged": _l("Discharged"),
            "cancelled": _l("Cancelled (entered in error)")}
ARRIVALS = {"OPD": _l("From OPD"), "EMERGENCY": _l("Emergency"),
            "REFERRED": _l("Referred from another facility")}
DISCHARGE_TYPES = {
    "recovered": _l("Discharged (improved / recovered)"),
    "referred": _l("Referred to another facility"),
    "lama": _l("Left against medical advice (LAMA)"),
    "absconded": _l("Absconded"),
    "death": _l("Death"),
}


class StruckOut:
    """A line of the ward's record entered in error is struck out, never deleted: when,
    by whom and why (services.strike_out)."""
    voided_at = Column(DateTime(timezone=True))
    void_reason = Column(String(300))

    @declared_attr
    def voided_by_id(cls):
        return Column(Integer, ForeignKey("ab_user.id"))

    @declared_attr
    def voided_by(cls):
        return relationship(User, foreign_keys=lambda: [cls.voided_by_id])


class Ward(FacilityOwned, BilingualName, Model):
    __tablename__ = "ward"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)
    id = Column(Integer, primary_key=True)
    code = Column(String(10), nullable=False)
    department_id = Column(Integer, ForeignKey("department.id"))
    department = relationship(Department)
    gender = Column(String(1), nullable=False, default="", server_default="")
    # The ages the ward takes, in completed years (a children's ward: 0 to 12); either
    # end open. A patient outside them, or of the other sex, is admitted only when the
    # admitting staff confirm the warning.
    min_age = Column(Integer)
    max_age = Column(Integer)
    active = Column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


# Between patients a bed is cleaned; it may be blocked (repair) or held for someone.
BED_STATES = {"free": _l("Free"), "cleaning": _l("Being cleaned"),
              "blocked": _l("Blocked (repair)"), "reserved": _l("Reserved")}


class Bed(FacilityOwned, Model):
    __tablename__ = "bed"
    __table_args__ = (UniqueConstraint("ward_id", "number"),)
    id = Column(Integer, primary_key=True)
    ward_id = Column(Integer, ForeignKey("ward.id"), nullable=False, index=True)
    ward = relationship(Ward, backref="beds")
    number = Column(String(10), nullable=False)
    # The bed-day service charged for each night in this bed (a tariff of kind bed_day).
    tariff_code = Column(String(20), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    # When empty: free, being cleaned (after a patient left), blocked or reserved.
    state = Column(String(10), nullable=False, default="free", server_default="free")
    state_note = Column(String(200))
    state_since = Column(DateTime(timezone=True))

    def __str__(self) -> str:
        return f"{self.ward.code if self.ward else ''}/{self.number}"


class Admission(FacilityOwned, Model):
    __tablename__ = "admission"
    __table_args__ = (UniqueConstraint("facility_id", "ipd_number"),
                      Index("ix_admission_status", "facility_id", "status"),
                      # reports count a month's admissions and departures
                      Index("ix_admission_facility_admitted", "facility_id", "admitted_at"),
                      Index("ix_admission_facility_discharged", "facility_id", "discharged_at"),
                      # A patient is in one bed at a time.
                      Index("ux_admission_current", "patient_id", unique=True,
                            sqlite_where=text("status = 'admitted'"),
                            postgresql_where=text("status = 'admitted'")))
    id = Column(Integer, primary_key=True)
    ipd_number = Column(String(30), nullable=False)   # DHR-IPD-2026-000012
    patient_id = Column(Integer, ForeignKey("patient.id"), nullable=False, index=True)
    patient = relationship(Patient)
    account_id = Column(Integer, ForeignKey("billing_account.id"), nullable=False, unique=True)
    account = relationship(Account)
    opd_visit_id = Column(Integer, ForeignKey("opd_visit.id"))
    opd_visit = relationship(OpdVisit)
    department_id = Column(Integer, ForeignKey("department.id"), nullable=False)
    department = relationship(Department)
    doctor_id = Column(Integer, ForeignKey("ab_user.id"))
    doctor = relationship(User, foreign_keys=[doctor_id])
    arrival = Column(String(10), nullable=False, default="OPD")
    provisional_diagnosis = Column(String(300))
    mlc = Column(Boolean, nullable=False, default=False)
    attendant_name = Column(String(100))
    attendant_mobile = Column(String(10))
    bed_id = Column(Integer, ForeignKey("bed.id"))    # the current (or last) bed
    bed = relationship(Bed)
    status = Column(String(12), nullable=False, default="admitted")
    admitted_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    admitted_by_id = Column(Integer, ForeignKey("ab_user.id"))
    admitted_by = relationship(User, foreign_keys=[admitted_by_id])
    discharged_at = Column(DateTime(timezone=True))
    discharge_type = Column(String(12))
    discharge_note = Column(String(500))
    discharged_by_id = Column(Integer, ForeignKey("ab_user.id"))
    discharged_by = relationship(User, foreign_keys=[discharged_by_id])
    # Nights before this IST date are already on the account as bed-day charges.
    bed_days_posted_until = Column(Date, nullable=False)
    slip_prints = Column(Integer, nullable=False, default=0)
    stays = relationship("BedStay", order_by="BedStay.from_at", back_populates="admission")

    def __str__(self) -> str:
        return self.ipd_number


class BedStay(FacilityOwned, Model):
    """A stretch of an admission in one bed; a transfer ends one and starts the next.
    At most one open stay per bed and per admission: the partial unique indexes make two
    clerks admitting into the same bed at once fail cleanly instead of sharing it."""
    __tablename__ = "bed_stay"
    __table_args__ = (Index("ux_bed_stay_occupied", "bed_id", unique=True,
                            sqlite_where=text("to_at IS NULL"),
                            postgresql_where=text("to_at IS NULL")),
                      # and one open stay per admission: a patient is in one bed.
                      Index("ux_bed_stay_current", "admission_id", unique=True,
                            sqlite_where=text("to_at IS NULL"),
                            postgresql_where=text("to_at IS NULL")))
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False, index=True)
    admission = relationship(Admission, back_populates="stays")
    bed_id = Column(Integer, ForeignKey("bed.id"), nullable=False)
    bed = relationship(Bed)
    from_at = Column(DateTime(timezone=True), nullable=False)
    to_at = Column(DateTime(timezone=True))
    moved_by_id = Column(Integer, ForeignKey("ab_user.id"))
    reason = Column(String(200))


# Who is in the bed now (for the bed API): the admitted patient whose current bed it is.
# The partial unique index on bed stays keeps that to one.
Bed.occupant = relationship(
    Admission, primaryjoin=(Admission.bed_id == Bed.id) & (Admission.status == "admitted"),
    foreign_keys=[Admission.bed_id], uselist=False, viewonly=True)


# ACVPU, as NEWS2 scores consciousness: alert, or new confusion / voice / pain / unresponsive.
CONSCIOUSNESS = {"A": _l("Alert"), "C": _l("New confusion"), "V": _l("Responds to voice"),
                 "P": _l("Responds to pain"), "U": _l("Unresponsive")}
NEWS2_RISKS = {"low": _l("Low"), "low-medium": _l("Low–medium (a 3 in one parameter)"),
               "medium": _l("Medium"), "high": _l("High")}


class VitalSign(FacilityOwned, Model):
    """One set of vitals taken at the bedside, with its NEWS2 score. Never changed or
    deleted: a wrong set is followed by a right one (both audited)."""
    __tablename__ = "vital_sign"
    __table_args__ = (Index("ix_vital_sign_admission_taken", "admission_id", "taken_at"),)
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission)
    taken_at = Column(DateTime(timezone=True), nullable=False)
    temperature_f = Column(Numeric(4, 1))
    pulse = Column(Integer)
    resp_rate = Column(Integer)
    bp_systolic = Column(Integer)
    bp_diastolic = Column(Integer)
    spo2 = Column(Integer)
    on_oxygen = Column(Boolean, nullable=False, default=False)
    consciousness = Column(String(1))
    pain_score = Column(Integer)
    rbs_mg_dl = Column(Integer)
    weight_kg = Column(Numeric(5, 1))
    news2 = Column(Integer)          # None when the set lacks a parameter NEWS2 needs
    news2_risk = Column(String(12))
    recorded_by_id = Column(Integer, ForeignKey("ab_user.id"))
    recorded_by = relationship(User, foreign_keys=[recorded_by_id])
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


NOTE_KINDS = {"round": _l("Doctor's round"), "nursing": _l("Nursing note")}
SHIFTS = {"morning": _l("Morning shift"), "evening": _l("Evening shift"),
          "night": _l("Night shift")}


class ClinicalNote(FacilityOwned, Model):
    """A doctor's round (subjective, examination, assessment, plan) or a nurse's shift
    note. Never edited or deleted: a correction is a new note amending the earlier one,
    with a reason; after discharge only a doctor's amendment is taken."""
    __tablename__ = "clinical_note"
    __table_args__ = (Index("ix_clinical_note_admission_written", "admission_id", "written_at"),)
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission)
    kind = Column(String(8), nullable=False)
    shift = Column(String(8))
    written_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    author_id = Column(Integer, ForeignKey("ab_user.id"))
    author = relationship(User, foreign_keys=[author_id])
    subjective = Column(String(4000))
    examination = Column(String(4000))
    assessment = Column(String(4000))
    plan = Column(String(4000))
    text = Column(String(4000))
    amends_id = Column(Integer, ForeignKey("clinical_note.id"))
    amends = relationship("ClinicalNote", remote_side=[id])
    amend_reason = Column(String(300))


MAR_OUTCOMES = {"given": _l("Given"), "held": _l("Held"), "refused": _l("Refused by patient")}


class MedicationOrder(FacilityOwned, Model):
    """A doctor's order for a medicine during the stay. Never edited or deleted: stopped
    early with a reason (a changed dose is a stop and a new order)."""
    __tablename__ = "medication_order"
    __table_args__ = (Index("ix_medication_order_admission", "admission_id", "start_at"),)
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission)
    drug_id = Column(Integer, ForeignKey("drug.id"))
    drug = relationship(Drug)
    drug_name = Column(String(160), nullable=False)   # as printed: the master's or free text
    dose = Column(String(40), nullable=False)
    route = Column(String(20), nullable=False)
    frequency = Column(String(20), nullable=False)
    days = Column(Integer)                            # None: until stopped
    start_at = Column(DateTime(timezone=True), nullable=False)
    end_at = Column(DateTime(timezone=True))          # start + days; None: until stopped
    instructions = Column(String(200))
    ordered_by_id = Column(Integer, ForeignKey("ab_user.id"))
    ordered_by = relationship(User, foreign_keys=[ordered_by_id])
    ordered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    stopped_at = Column(DateTime(timezone=True))
    stopped_by_id = Column(Integer, ForeignKey("ab_user.id"))
    stopped_by = relationship(User, foreign_keys=[stopped_by_id])
    stop_reason = Column(String(300))

    def __str__(self) -> str:
        return f"{self.drug_name} {self.dose} {self.route} {self.frequency}"


class MedicationAdministration(StruckOut, FacilityOwned, Model):
    """One line of the medication administration record: a dose given, held or refused,
    with its time and the nurse. A scheduled dose is marked once (the partial unique index
    makes two nurses marking it at the same moment end with one record); a wrong mark is
    struck out with a reason ("entered in error"), never deleted, and may then be marked
    again."""
    __tablename__ = "medication_administration"
    __table_args__ = (Index("ux_mar_dose", "order_id", "due_at", unique=True,
                            sqlite_where=text("due_at IS NOT NULL AND voided_at IS NULL"),
                            postgresql_where=text("due_at IS NOT NULL AND voided_at IS NULL")),
                      Index("ix_mar_admission", "admission_id", "at"))
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("medication_order.id"), nullable=False)
    order = relationship(MedicationOrder, backref="administrations")
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission)
    due_at = Column(DateTime(timezone=True))         # the scheduled dose; None when needed
    outcome = Column(String(8), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False)   # given (or held, refused) at
    reason = Column(String(300))
    recorded_by_id = Column(Integer, ForeignKey("ab_user.id"))
    recorded_by = relationship(User, foreign_keys=[recorded_by_id])
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


DIAGNOSIS_KINDS = {"provisional": _l("Provisional"), "final": _l("Final")}


class AdmissionDiagnosis(FacilityOwned, Model):
    """A diagnosis of the stay (ICD-10), provisional until a doctor confirms it final; one
    ruled out is kept, struck out, with the reason. A code is on a stay once at a time
    (the partial unique index: two doctors adding it at once make one)."""
    __tablename__ = "admission_diagnosis"
    __table_args__ = (Index("ux_admission_diagnosis", "admission_id", "icd10_id", unique=True,
                            sqlite_where=text("ruled_out_at IS NULL"),
                            postgresql_where=text("ruled_out_at IS NULL")),
                      # every diagnosis of a stay, ruled out too (the HMIS, the auditors)
                      Index("ix_admission_diagnosis_admission", "admission_id"))
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission, backref="diagnoses")
    icd10_id = Column(Integer, ForeignKey("icd10.id"), nullable=False)
    icd10 = relationship(Icd10)
    kind = Column(String(12), nullable=False, default="provisional")
    note = Column(String(200))
    noted_by_id = Column(Integer, ForeignKey("ab_user.id"))
    noted_by = relationship(User, foreign_keys=[noted_by_id])
    noted_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    confirmed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    confirmed_at = Column(DateTime(timezone=True))
    ruled_out_by_id = Column(Integer, ForeignKey("ab_user.id"))
    ruled_out_at = Column(DateTime(timezone=True))
    ruled_out_reason = Column(String(300))


SUMMARY_STATUSES = {"draft": _l("Draft"), "signed": _l("Signed")}
SUMMARY_TEXTS = {"complaints": 2000, "course": 4000, "procedures": 2000,
                 "investigations": 2000, "treatment": 2000, "condition": 300, "advice": 2000}


class DischargeSummary(FacilityOwned, Model):
    """The doctor's summary of a stay: a draft edited freely, then signed; after signing
    a change is an amendment with its reason, signed again as the next version (each
    signed version is kept whole in discharge_summary_version)."""
    __tablename__ = "discharge_summary"
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False, unique=True)
    admission = relationship(Admission, backref=backref("summary", uselist=False))
    status = Column(String(8), nullable=False, default="draft")
    version = Column(Integer, nullable=False, default=1)
    complaints = Column(Text)
    course = Column(Text)
    procedures = Column(Text)
    investigations = Column(Text)
    treatment = Column(Text)
    condition = Column(String(300))
    advice = Column(Text)
    follow_up_on = Column(Date)
    follow_up_department_id = Column(Integer, ForeignKey("department.id"))
    follow_up_department = relationship(Department)
    written_by_id = Column(Integer, ForeignKey("ab_user.id"))
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    signed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    signed_by = relationship(User, foreign_keys=[signed_by_id])
    signed_at = Column(DateTime(timezone=True))
    amend_reason = Column(String(300))
    prints = Column(Integer, nullable=False, default=0)
    medicines = relationship("DischargeMedicine", order_by="DischargeMedicine.position",
                             cascade="all, delete-orphan", back_populates="summary")


class DischargeMedicine(FacilityOwned, Model):
    """A line of the medicines to take home, as a prescription."""
    __tablename__ = "discharge_medicine"
    id = Column(Integer, primary_key=True)
    summary_id = Column(Integer, ForeignKey("discharge_summary.id"), nullable=False, index=True)
    summary = relationship(DischargeSummary, back_populates="medicines")
    position = Column(Integer, nullable=False)
    drug_id = Column(Integer, ForeignKey("drug.id"))
    drug = relationship(Drug)
    drug_name = Column(String(160), nullable=False)
    dose = Column(String(40))
    frequency = Column(String(20), nullable=False)
    days = Column(Integer)
    route = Column(String(20))
    instructions = Column(String(200))


class DischargeSummaryVersion(FacilityOwned, Model):
    """A signed version of a summary, whole (JSON), as it was signed."""
    __tablename__ = "discharge_summary_version"
    __table_args__ = (UniqueConstraint("summary_id", "version"),)
    id = Column(Integer, primary_key=True)
    summary_id = Column(Integer, ForeignKey("discharge_summary.id"), nullable=False)
    version = Column(Integer, nullable=False)
    content = Column(Text, nullable=False)
    signed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    signed_by = relationship(User, foreign_keys=[signed_by_id])
    signed_at = Column(DateTime(timezone=True), nullable=False)
    amend_reason = Column(String(300))


# The manner of death as Form 4 (MCCD) asks it.
MANNERS = {"natural": _l("Natural"), "accident": _l("Accident"), "suicide": _l("Suicide"),
           "homicide": _l("Homicide"), "pending": _l("Pending investigation")}


class DeathRecord(FacilityOwned, Model):
    """A death in the ward, as the Medical Certificate of Cause of Death (Form 4) records it:
    the time; part I, the chain of causes from the immediate one (a) back to the underlying
    one, with the interval from onset of each and the underlying cause's ICD-10 code; part
    II, other significant conditions; the manner; the certifying doctor; and to whom the
    body was handed over."""
    __tablename__ = "death_record"
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False, unique=True)
    admission = relationship(Admission, backref=backref("death", uselist=False))
    died_at = Column(DateTime(timezone=True), nullable=False)
    cause_a = Column(String(300), nullable=False)
    interval_a = Column(String(40))
    cause_b = Column(String(300))
    interval_b = Column(String(40))
    cause_c = Column(String(300))
    interval_c = Column(String(40))
    underlying_icd10_id = Column(Integer, ForeignKey("icd10.id"), nullable=False)
    underlying_icd10 = relationship(Icd10)
    other_conditions = Column(String(300))
    manner = Column(String(10), nullable=False)
    certified_by_id = Column(Integer, ForeignKey("ab_user.id"))
    certified_by = relationship(User, foreign_keys=[certified_by_id])
    certified_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    handed_over_to = Column(String(100))
    handed_over_relation = Column(String(40))
    handed_over_at = Column(DateTime(timezone=True))
    handed_over_by_id = Column(Integer, ForeignKey("ab_user.id"))
    certificate_prints = Column(Integer, nullable=False, default=0)


class MedicoLegalCase(FacilityOwned, Model):
    """The medico-legal details of an MLC admission: the police station informed and its
    general diary (GD/DD) entry, who brought the patient, the injuries noted. Kept up to
    date as the police's details arrive (every change audited)."""
    __tablename__ = "medico_legal_case"
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False, unique=True)
    admission = relationship(Admission, backref=backref("medico_legal", uselist=False))
    police_station = Column(String(100), nullable=False)
    gd_entry = Column(String(40))
    police_informed_at = Column(DateTime(timezone=True))
    brought_by = Column(String(150), nullable=False)
    injuries = Column(Text)
    recorded_by_id = Column(Integer, ForeignKey("ab_user.id"))
    recorded_by = relationship(User, foreign_keys=[recorded_by_id])
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    def __str__(self) -> str:
        return f"MLC {self.admission.ipd_number if self.admission else ''}"


CONSENT_KINDS = {"admission": _l("Admission and treatment (general)"),
                 "procedure": _l("Operation or procedure"), "anaesthesia": _l("Anaesthesia"),
                 "transfusion": _l("Blood transfusion"),
                 "high_risk": _l("High-risk treatment")}
CONSENT_RELATIONS = {"self": _l("Self (the patient)"), "spouse": _l("Husband or wife"),
                     "parent": _l("Father or mother"), "child": _l("Son or daughter"),
                     "sibling": _l("Brother or sister"), "guardian": _l("Guardian"),
                     "other": _l("Other relative")}


class Consent(FacilityOwned, Model):
    """A consent taken on the ward: what it is for, who signed (the patient or, for a
    child or a patient who cannot, a relative), when, the witness, the staff member who
    explained it. Never changed; printed as the bilingual form that is signed."""
    __tablename__ = "consent"
    __table_args__ = (Index("ix_consent_admission", "admission_id", "signed_at"),)
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission)
    kind = Column(String(12), nullable=False)
    procedure = Column(String(300))
    risks = Column(String(1000))
    signed_by = Column(String(100), nullable=False)
    relation = Column(String(10), nullable=False)
    signed_at = Column(DateTime(timezone=True), nullable=False)
    witness = Column(String(100), nullable=False)
    explained_by_id = Column(Integer, ForeignKey("ab_user.id"))
    explained_by = relationship(User, foreign_keys=[explained_by_id])
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    prints = Column(Integer, nullable=False, default=0)


TRANSPORTS = {"108": _l("Ambulance 108 / 102"), "hospital": _l("Hospital ambulance"),
              "own": _l("Own arrangement")}


class DepartureRecord(FacilityOwned, Model):
    """What a departure other than an ordinary discharge leaves on record, on its own
    form: a referral (to where, why, the condition, transport, who went along), leaving
    against medical advice (why, the risks explained, who signed, relation, witness) or
    absconding (when last seen, the search made, police and relatives informed)."""
    __tablename__ = "departure_record"
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False, unique=True)
    admission = relationship(Admission, backref=backref("departure", uselist=False))
    kind = Column(String(10), nullable=False)
    referred_to = Column(String(150))
    reason = Column(String(500))
    condition = Column(String(300))
    transport = Column(String(10))
    accompanied_by = Column(String(100))
    risks_explained = Column(String(500))
    signed_by = Column(String(100))
    relation = Column(String(10))
    witness = Column(String(100))
    last_seen_at = Column(DateTime(timezone=True))
    search_made = Column(String(300))
    police_informed = Column(Boolean)
    police_station = Column(String(100))
    relatives_informed = Column(Boolean)
    recorded_by_id = Column(Integer, ForeignKey("ab_user.id"))
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    prints = Column(Integer, nullable=False, default=0)


# Intake by route and output by kind, as the ward's intake/output chart has its columns.
FLUID_ROUTES = {"in": {"oral": _l("Oral"), "iv": _l("IV fluid"), "ryles": _l("Ryles tube feed"),
                       "blood": _l("Blood / blood product")},
                "out": {"urine": _l("Urine"), "vomit": _l("Vomit"), "drain": _l("Drain"),
                        "aspirate": _l("Ryles tube aspirate"), "stool": _l("Stool (liquid)")}}


class FluidEntry(StruckOut, FacilityOwned, Model):
    """A line of the intake/output chart: so many millilitres in (by mouth, IV, tube,
    blood) or out (urine, vomit, drain, aspirate, liquid stool) at a time, by a nurse. A
    wrong line is struck out with a reason, never deleted; the day's totals leave it out."""
    __tablename__ = "fluid_entry"
    __table_args__ = (Index("ix_fluid_admission", "admission_id", "at"),)
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission)
    at = Column(DateTime(timezone=True), nullable=False)
    direction = Column(String(3), nullable=False)     # in, out
    route = Column(String(10), nullable=False)
    volume_ml = Column(Integer, nullable=False)
    note = Column(String(200))
    recorded_by_id = Column(Integer, ForeignKey("ab_user.id"))
    recorded_by = relationship(User, foreign_keys=[recorded_by_id])
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


ORDER_KINDS = {"procedure": _l("Procedure"), "diet": _l("Diet"), "transfer": _l("Transfer"),
               "discharge": _l("Discharge planned")}
DIETS = {"normal": _l("Normal diet"), "soft": _l("Soft diet"), "liquid": _l("Liquid diet"),
         "diabetic": _l("Diabetic diet"), "low_salt": _l("Low-salt diet"),
         "renal": _l("Renal diet (low protein, low potassium)"),
         "high_protein": _l("High-protein diet"), "npo": _l("Nil by mouth (NPO)")}


class WardOrder(FacilityOwned, Model):
    """An order a doctor writes with a round note, besides lab tests and medicines: a
    procedure (charged to the stay's account as it is ordered), the diet, a transfer to
    another ward, the day discharge is planned. The latest diet, transfer and discharge
    order of a stay are the ones in force; none is edited or deleted."""
    __tablename__ = "ward_order"
    __table_args__ = (Index("ix_ward_order_admission", "admission_id", "ordered_at"),
                      Index("ix_ward_order_charge", "charge_id"))
    id = Column(Integer, primary_key=True)
    admission_id = Column(Integer, ForeignKey("admission.id"), nullable=False)
    admission = relationship(Admission)
    note_id = Column(Integer, ForeignKey("clinical_note.id"))
    note = relationship(ClinicalNote, backref="orders")
    kind = Column(String(10), nullable=False)
    tariff_code = Column(String(20))                  # procedure
    quantity = Column(Integer)
    charge_id = Column(Integer, ForeignKey("charge.id"))
    charge = relationship(Charge)
    diet = Column(String(12))                         # diet
    ward_id = Column(Integer, ForeignKey("ward.id"))  # transfer to
    ward = relationship(Ward)
    planned_on = Column(Date)                         # discharge
    detail = Column(String(300))                      # what the procedure was, diet notes, why
    ordered_by_id = Column(Integer, ForeignKey("ab_user.id"))
    ordered_by = relationship(User, foreign_keys=[ordered_by_id])
    ordered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
