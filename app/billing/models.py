"""Tariffs (price of a service at a facility over a validity period) and fee exemptions
by patient category (the scheme is shown on the slip and the bill)."""
from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, Date, Integer, Numeric, String, UniqueConstraint

from app.core.models import BilingualName, FacilityOwned

SERVICE_KINDS = ("registration", "consultation", "lab", "bed_day", "procedure", "package",
                 "consumable")


class Tariff(FacilityOwned, BilingualName, Model):
    __tablename__ = "tariff"
    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False)
    kind = Column(String(20), nullable=False)
    price = Column(Numeric(12, 2), nullable=False)
    valid_from = Column(Date, nullable=False)
    valid_to = Column(Date)  # inclusive; empty = open-ended


class Exemption(FacilityOwned, Model):
    """Patients of this category pay nothing for services of this kind (all kinds when
    kind is empty), under the named scheme."""
    __tablename__ = "fee_exemption"
    __table_args__ = (UniqueConstraint("facility_id", "category_code", "kind"),)
    id = Column(Integer, primary_key=True)
    category_code = Column(String(10), nullable=False)
    kind = Column(String(20))
    scheme_en = Column(String(80), nullable=False)
    scheme_hi = Column(String(80), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
