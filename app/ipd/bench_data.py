"""A year of synthetic admissions for benchmarks (part of `flask hmis bench-data`).

Each is discharged after 1 to 10 nights and settled: an inpatient account, one bed stay,
the admission fee and bed-day charges, a final bill paid in cash, and for stays longer
than five nights an interim bill for the first nights. Bulk inserts like the OPD's
(`app/opd/bench_data.py`): load for measuring, not clinical data.
"""
import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from app.billing.models import Account, Bill, BillLine, Charge, Payment
from app.billing.services import tariff_on
from app.core.models import Department
from app.core.numbering import financial_year, ist_today
from app.extensions import db
from app.opd.bench_data import _at, _issued, _record
from app.registration.models import Patient

from .models import Admission, Bed, BedStay

BATCH = 2000
_TABLES = (("accounts", Account), ("admissions", Admission), ("stays", BedStay),
           ("bills", Bill), ("charges", Charge), ("lines", BillLine), ("payments", Payment))


def generate_admissions(facility, count: int, seed: int = 2026) -> int:
    rng = random.Random(seed)
    today = ist_today()
    beds = db.session.execute(select(Bed).where(Bed.facility_id == facility.id,
                                                Bed.active.is_(True))).scalars().all()
    patients = db.session.execute(select(Patient.id).where(
        Patient.facility_id == facility.id)).scalars().all()
    departments = db.session.execute(select(Department.id).where(
        Department.facility_id == facility.id, Department.is_clinical.is_(True))).scalars().all()
    if not beds or not patients or not departments:
        return 0
    prices = {code: tariff_on(facility.id, code, today).price
              for code in {b.tariff_code for b in beds} | {"ADM-FEE"}}
    ids = {name: (db.session.execute(select(func.max(model.id))).scalar() or 0) + 1
           for name, model in _TABLES}
    ipd_numbers = _issued(facility.id, "ipd")
    bill_numbers = _issued(facility.id, "bill")
    rows = {name: [] for name, _model in _TABLES}

    def bill(day, patient_id, account_id, stage, items):
        fy = financial_year(day)
        seq = bill_numbers[fy] = bill_numbers.get(fy, 0) + 1
        bill_id = ids["bills"]
        ids["bills"] += 1
        total = sum(amount for _c, _q, _p, amount in items)
        rows["bills"].append(dict(
            id=bill_id, facility_id=facility.id, number=f"{facility.code}/{fy}/{seq:06d}",
            financial_year=fy, bill_date=day, patient_id=patient_id, gross=total, discount=0,
            net=total, paid=total, status="paid", created_at=_at(day), receipt_prints=1,
            account_id=account_id, stage=stage))
        for position, (code, quantity, price, amount) in enumerate(items, 1):
            rows["charges"].append(dict(
                id=ids["charges"], facility_id=facility.id, patient_id=patient_id,
                source=f"ipd:bench:{bill_id}:{position}", code=code,
                kind="bed_day" if code.startswith("BED") else "admission",
                description_en=code, description_hi=code, quantity=quantity,
                unit_price=price, amount=amount, posted_at=_at(day), bill_id=bill_id,
                account_id=account_id))
            ids["charges"] += 1
            rows["lines"].append(dict(
                bill_id=bill_id, facility_id=facility.id, bill_date=day, bill_kind="bill",
                cancelled=False, position=position, charge_id=ids["charges"] - 1, code=code,
                kind="bed_day" if code.startswith("BED") else "admission",
                description_en=code, description_hi=code, quantity=quantity,
                unit_price=price, amount=amount))
        rows["payments"].append(dict(facility_id=facility.id, bill_id=bill_id, kind="payment",
                                     mode="cash", amount=total, received_at=_at(day)))

    for _ in range(count):
        nights = rng.randint(1, 10)
        admitted_on = today - timedelta(days=rng.randint(nights + 1, 365))
        discharged_on = admitted_on + timedelta(days=nights)
        patient_id, bed = rng.choice(patients), rng.choice(beds)
        year = str(admitted_on.year)
        seq = ipd_numbers[year] = ipd_numbers.get(year, 0) + 1
        number = f"{facility.code}-IPD-{year}-{seq:06d}"
        account_id, admission_id = ids["accounts"], ids["admissions"]
        ids["accounts"] += 1
        ids["admissions"] += 1
        rows["accounts"].append(dict(
            id=account_id, facility_id=facility.id, patient_id=patient_id, reference=number,
            opened_at=_at(admitted_on), closed_at=_at(discharged_on),
            settled_at=_at(discharged_on)))
        rows["admissions"].append(dict(
            id=admission_id, facility_id=facility.id, ipd_number=number,
            patient_id=patient_id, account_id=account_id,
            department_id=rng.choice(departments), arrival=rng.choice(("OPD", "EMERGENCY")),
            mlc=False, bed_id=bed.id, status="discharged", admitted_at=_at(admitted_on),
            discharged_at=_at(discharged_on), discharge_type="recovered",
            bed_days_posted_until=discharged_on, slip_prints=1))
        rows["stays"].append(dict(
            id=ids["stays"], facility_id=facility.id, admission_id=admission_id,
            bed_id=bed.id, from_at=_at(admitted_on), to_at=_at(discharged_on)))
        ids["stays"] += 1
        price, fee = prices[bed.tariff_code], prices["ADM-FEE"]
        first = nights // 2 if nights > 5 else 0
        if first:
            bill(admitted_on + timedelta(days=first), patient_id, account_id, "interim",
                 [("ADM-FEE", Decimal(1), fee, fee),
                  (bed.tariff_code, Decimal(first), price, price * first)])
        items = [] if first else [("ADM-FEE", Decimal(1), fee, fee)]
        items.append((bed.tariff_code, Decimal(nights - first), price, price * (nights - first)))
        bill(discharged_on, patient_id, account_id, "final", items)
        if len(rows["admissions"]) >= BATCH:
            _flush(rows)
    _flush(rows)
    _record(facility.id, "ipd", ipd_numbers)
    _record(facility.id, "bill", bill_numbers)
    if db.session.get_bind().dialect.name == "postgresql":
        for table in ("billing_account", "admission", "bed_stay", "bill", "charge",
                      "bill_line", "payment"):
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
    db.session.commit()
    return count


def _flush(rows):
    for name, model in _TABLES:  # parents before children
        if rows[name]:
            db.session.execute(insert(model.__table__), rows[name])
    for batch in rows.values():
        batch.clear()
