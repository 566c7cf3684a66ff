"""Core masters: address hierarchy (LGD), facilities, departments, staff profiles, audit log."""
from datetime import datetime, timezone

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text,
    UniqueConstraint, event,
)
from sqlalchemy.orm import declared_attr, relationship
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


FACILITY_TYPES = {
    "MC": _l("Medical college"),
    "DH": _l("District hospital"),
    "SDH": _l("Sadar hospital"),
    "ZH": _l("Zonal hospital"),
    "CHC": _l("Community health centre"),
    "PHC": _l("Primary health centre"),
}


def in_user_language(english: str, hindi: str | None) -> str:
    """The Hindi text for a user working in Hindi (when there is one), else the English."""
    from flask_babel import get_locale
    locale = get_locale()
    return hindi if locale is not None and locale.language == "hi" and hindi else english


class BilingualName:
    """English and Hindi names; `name` follows the user's language."""

    name_en = Column(String(150), nullable=False)
    name_hi = Column(String(150), nullable=False)

    @property
    def name(self) -> str:
        return in_user_language(self.name_en, self.name_hi)

    def __str__(self) -> str:
        return self.name


class State(BilingualName, Model):
    __tablename__ = "lgd_state"
    id = Column(Integer, primary_key=True)
    lgd_code = Column(Integer, nullable=False, unique=True)


class District(BilingualName, Model):
    __tablename__ = "lgd_district"
    id = Column(Integer, primary_key=True)
    lgd_code = Column(Integer, nullable=False, unique=True)
    state_id = Column(Integer, ForeignKey("lgd_state.id"), nullable=False, index=True)
    state = relationship(State)


class Block(BilingualName, Model):
    """Block or tehsil (LGD sub-district / development block)."""
    __tablename__ = "lgd_block"
    id = Column(Integer, primary_key=True)
    lgd_code = Column(Integer, nullable=False, unique=True)
    district_id = Column(Integer, ForeignKey("lgd_district.id"), nullable=False, index=True)
    district = relationship(District)


class Village(BilingualName, Model):
    """Village or urban ward."""
    __tablename__ = "lgd_village"
    id = Column(Integer, primary_key=True)
    lgd_code = Column(Integer, nullable=False, unique=True)
    block_id = Column(Integer, ForeignKey("lgd_block.id"), nullable=False, index=True)
    block = relationship(Block)
    pin_code = Column(String(6))


class Facility(BilingualName, Model):
    __tablename__ = "facility"
    id = Column(Integer, primary_key=True)
    code = Column(String(6), nullable=False, unique=True)
    facility_type = Column(String(4), nullable=False)
    state_id = Column(Integer, ForeignKey("lgd_state.id"), nullable=False)
    state = relationship(State)
    district_id = Column(Integer, ForeignKey("lgd_district.id"), nullable=False)
    district = relationship(District)
    hfr_id = Column(String(12), unique=True)
    address = Column(String(300))
    address_hi = Column(String(300))  # the address as the Hindi half of a paper prints it
    pin_code = Column(String(6))
    phone = Column(String(15))
    active = Column(Boolean, nullable=False, default=True)

    @property
    def type_label(self) -> str:
        return str(FACILITY_TYPES.get(self.facility_type, self.facility_type))

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class FacilityOwned:
    """Every row of facility data carries facility_id; scoping keys on this column."""

    @declared_attr
    def facility_id(cls):
        return Column(Integer, ForeignKey("facility.id"), nullable=False, index=True)

    @declared_attr
    def facility(cls):
        return relationship(Facility)


class Department(FacilityOwned, BilingualName, Model):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)
    id = Column(Integer, primary_key=True)
    code = Column(String(8), nullable=False)
    is_clinical = Column(Boolean, nullable=False, default=True)
    active = Column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.facility.code})" if self.facility else self.name


staff_department = Table(
    "staff_department",
    Model.metadata,
    Column("staff_id", Integer, ForeignKey("staff_profile.id"), primary_key=True),
    Column("department_id", Integer, ForeignKey("department.id"), primary_key=True),
)


class StaffProfile(Model):
    """Links a login (FAB user) to a facility, designation, departments and HPR ID.

    facility_id is empty only for state-level users (state IT cell, auditors).
    """
    __tablename__ = "staff_profile"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False, unique=True)
    user = relationship(User)
    facility_id = Column(Integer, ForeignKey("facility.id"), index=True)
    facility = relationship(Facility)
    designation = Column(String(100))
    hpr_id = Column(String(14), unique=True)
    # Printed under a signature (a lab report): "MD (Pathology)", "HPMC/2011/4521".
    qualification = Column(String(100))
    council_registration = Column(String(40))
    language = Column(String(5))
    departments = relationship(Department, secondary=staff_department)

    def __str__(self) -> str:
        return str(self.user.username) if self.user else str(self.id)


class AuditLog(Model):
    """Append-only: rows are only ever inserted (a trigger refuses UPDATE and DELETE)."""
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_record", "table_name", "row_id"),
        Index("ix_audit_log_facility_at", "facility_id", "at"),
    )
    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    user_id = Column(Integer, index=True)
    username = Column(String(100))
    facility_id = Column(Integer, ForeignKey("facility.id"))
    facility = relationship(Facility)
    action = Column(String(20), nullable=False)
    table_name = Column(String(64), nullable=False)
    row_id = Column(String(64))
    field = Column(String(64))
    old_value = Column(Text)
    new_value = Column(Text)
    ip = Column(String(45))

    # What the log's pages show: the codes in words, in the user's language.
    @property
    def action_text(self) -> str:
        from .audit_words import ACTIONS
        return str(ACTIONS.get(self.action, self.action))

    @property
    def table_text(self) -> str:
        from .audit_words import TABLES
        return str(TABLES.get(self.table_name, self.table_name))

    @property
    def field_text(self) -> str:
        from .audit_words import field_text
        return field_text(self.table_name, self.field)

    @property
    def old_text(self) -> str:
        from .audit_words import value_text
        return value_text(self.table_name, self.field, self.old_value)

    @property
    def new_text(self) -> str:
        from .audit_words import value_text
        return value_text(self.table_name, self.field, self.new_value)


# Flask-AppBuilder's account, extended in place: the generation of its sessions and
# tokens (see core.sessions). Bumped when the password changes, the account is locked or
# deactivated, or its user logs out; every session or token of an older one ends.
User.session_generation = Column(Integer, nullable=False, default=0, server_default="0")


@event.listens_for(User.password, "set", active_history=True)
def _password_changed(user, value, old, _initiator):
    if old not in (None, NO_VALUE, NEVER_SET) and value != old:
        user.session_generation = (user.session_generation or 0) + 1


@event.listens_for(User.active, "set", active_history=True)
def _deactivated(user, value, old, _initiator):
    if old is True and not value:
        user.session_generation = (user.session_generation or 0) + 1
