"""Demo lab catalogue (idempotent): the tests of a district hospital lab (catalogue.py),
each orderable one with its tariff, with units, methods, ranges by sex and age, limits and
panels. HIV and sputum AFB are free under the national programmes. A test already in the
catalogue keeps what the supervisor set; one never configured (an older demo database)
gets the catalogue's settings."""
from datetime import date
from decimal import Decimal

from app.billing.models import Tariff
from app.extensions import db

from .catalogue import CATALOGUE, PANELS
from .models import LabPanelMember, LabTest, LabTestRange


def _number(value):
    return None if value is None else Decimal(str(value))


def _joined(values):
    if values is None:
        return None
    return "|".join(values) if isinstance(values, (list, tuple)) else str(values)


def _configure(test: LabTest, spec: dict) -> None:
    critical = spec.get("critical") or (None, None)
    plausible = spec.get("plausible") or (None, None)
    test.container, test.unit, test.method = spec.get("container"), spec.get("unit"), \
        spec.get("method")
    test.result_type, test.decimals = spec["type"], spec.get("decimals") or 0
    test.choices, test.normal_values = _joined(spec.get("choices")), \
        _joined(spec.get("normal"))
    test.loinc, test.tat_minutes = spec.get("loinc"), spec.get("tat")
    test.critical_low, test.critical_high = map(_number, critical)
    test.plausible_low, test.plausible_high = map(_number, plausible)
    test.delta_limit = _number(spec.get("delta"))
    test.panel_only = spec.get("price") is None
    for sex, start, end, low, high in spec.get("ranges") or ():
        test.ranges.append(LabTestRange(facility_id=test.facility_id, sex=sex,
                                        age_from_days=start, age_to_days=end,
                                        low=_number(low), high=_number(high)))


def seed_lab(facility) -> None:
    tariffs = {t.code for t in db.session.query(Tariff).filter_by(facility_id=facility.id)}
    tests = {t.code: t for t in db.session.query(LabTest).filter_by(facility_id=facility.id)}
    for spec in CATALOGUE:
        code = spec["code"]
        if spec.get("price") is not None and code not in tariffs:
            db.session.add(Tariff(facility_id=facility.id, code=code, kind="lab",
                                  name_en=spec["en"], name_hi=spec["hi"],
                                  price=Decimal(spec["price"]), valid_from=date(2026, 4, 1)))
        test = tests.get(code)
        if test is None:
            test = tests[code] = LabTest(facility_id=facility.id, code=code, name_en=spec["en"],
                                         name_hi=spec["hi"], section=spec["section"],
                                         sample=spec["sample"], active=True)
            db.session.add(test)
        if test.method is None and test.unit is None and not test.ranges:
            _configure(test, spec)
    db.session.flush()
    for panel_code, members in PANELS.items():
        panel = tests[panel_code]
        if not panel.members:
            for position, code in enumerate(members, 1):
                db.session.add(LabPanelMember(facility_id=facility.id, panel=panel,
                                              member=tests[code], position=position))
    db.session.commit()
