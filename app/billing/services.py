"""Prices and exemptions, asked for by the clinical departments."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select

from app.extensions import db

from .models import Exemption, Tariff

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Quote:
    code: str
    price: Decimal          # the tariff's price
    amount: Decimal         # what the patient pays (0 when exempt)
    scheme_en: str | None   # the exemption's scheme, when exempt
    scheme_hi: str | None

    @property
    def exempt(self) -> bool:
        return self.scheme_en is not None


class NoTariff(LookupError):
    """The facility has no tariff for this service on this date."""


def tariff_on(facility_id: int, code: str, on: date) -> Tariff | None:
    return db.session.execute(
        select(Tariff).where(Tariff.facility_id == facility_id, Tariff.code == code,
                             Tariff.valid_from <= on,
                             or_(Tariff.valid_to.is_(None), Tariff.valid_to >= on))
        .order_by(Tariff.valid_from.desc()).limit(1)).scalar_one_or_none()


def quote(facility_id: int, code: str, category_code: str | None, on: date) -> Quote:
    tariff = tariff_on(facility_id, code, on)
    if tariff is None:
        raise NoTariff(code)
    exemption = None
    if category_code:
        exemption = db.session.execute(
            select(Exemption).where(Exemption.facility_id == facility_id,
                                    Exemption.category_code == category_code,
                                    Exemption.active.is_(True),
                                    or_(Exemption.kind.is_(None), Exemption.kind == tariff.kind))
            .order_by(Exemption.kind.is_(None)).limit(1)).scalar_one_or_none()
    if exemption is not None:
        return Quote(code, tariff.price, ZERO, exemption.scheme_en, exemption.scheme_hi)
    return Quote(code, tariff.price, tariff.price, None, None)
