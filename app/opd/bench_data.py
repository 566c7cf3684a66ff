"""Synthetic patients, OPD visits, bills and payments for benchmarks
(`flask hmis bench-data N`).

Names in Devanagari and Latin script as registration clerks type them, guardians,
ages, mobiles, villages of the facility's district, categories, and past visits with
tokens that are gapless per department and day. Rows go in with bulk inserts, not
through the audited services: it is load for measuring, not clinical data.
"""
import random
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache

from sqlalchemy import func, insert, select, text

from app.billing.models import Bill, BillLine, Payment
from app.billing.services import quote
from app.core.models import Block, Department, Facility, Village
from app.core.numbering import Counter, financial_year, ist_today, reserve_numbers
from app.extensions import db
from app.registration.models import Patient, PatientCategory, PatientNameToken
from app.registration.search_key import mobile_key, name_key
from app.registration.search_key import name_tokens as tokens_of

from .models import OpdVisit

MEN = [("Ram", "राम"), ("Shyam", "श्याम"), ("Mohan", "मोहन"), ("Rajesh", "राजेश"),
       ("Suresh", "सुरेश"), ("Ramesh", "रमेश"), ("Anil", "अनिल"), ("Vijay", "विजय"),
       ("Sanjay", "संजय"), ("Ashok", "अशोक"), ("Prem", "प्रेम"), ("Kishan", "किशन"),
       ("Budhu", "बुधु"), ("Somra", "सोमरा"), ("Birsa", "बिरसा"), ("Manoj", "मनोज"),
       ("Deepak", "दीपक"), ("Rakesh", "राकेश"), ("Jagdish", "जगदीश"), ("Tilak", "तिलक"),
       ("Gyan", "ज्ञान"), ("Krishna", "कृष्ण"), ("Lakshman", "लक्ष्मण"), ("Bhagat", "भगत"),
       ("Harish", "हरीश"), ("Naresh", "नरेश"), ("Amit", "अमित"), ("Rohit", "रोहित"),
       ("Iqbal", "इकबाल"), ("Salim", "सलीम"), ("Tenzin", "तेनज़िन"), ("Karma", "कर्मा")]
WOMEN = [("Sunita", "सुनीता"), ("Savitri", "सावित्री"), ("Kamla", "कमला"),
         ("Anita", "अनीता"), ("Priyanka", "प्रियंका"), ("Pooja", "पूजा"), ("Rekha", "रेखा"),
         ("Sita", "सीता"), ("Gita", "गीता"), ("Lakshmi", "लक्ष्मी"), ("Bimla", "बिमला"),
         ("Santoshi", "संतोषी"), ("Phulmani", "फूलमनी"), ("Sukhmani", "सुखमनी"),
         ("Manju", "मंजू"), ("Asha", "आशा"), ("Usha", "उषा"), ("Neha", "नेहा"),
         ("Kiran", "किरण"), ("Shabnam", "शबनम"), ("Dolma", "डोलमा"), ("Radha", "राधा")]
SURNAMES = {
    "DHR": [("Thakur", "ठाकुर"), ("Sharma", "शर्मा"), ("Katoch", "कटोच"), ("Negi", "नेगी"),
            ("Rana", "राणा"), ("Chauhan", "चौहान"), ("Guleria", "गुलेरिया"),
            ("Dogra", "डोगरा"), ("Verma", "वर्मा"), ("Kumar", "कुमार"), ("Chand", "चंद"),
            ("Pathania", "पठानिया"), ("Bhardwaj", "भारद्वाज"), ("Sood", "सूद")],
    "RNC": [("Oraon", "उरांव"), ("Munda", "मुंडा"), ("Mahto", "महतो"), ("Singh", "सिंह"),
            ("Kumar", "कुमार"), ("Sahu", "साहू"), ("Yadav", "यादव"), ("Tirkey", "तिर्की"),
            ("Ekka", "एक्का"), ("Lakra", "लकड़ा"), ("Prasad", "प्रसाद"), ("Ansari", "अंसारी"),
            ("Toppo", "टोप्पो"), ("Gupta", "गुप्ता")],
}
CATEGORY_WEIGHTS = {"GEN": 60, "BPL": 15, "PMJAY": 10, "SR": 8, "JSSK": 5, "STAFF": 2}
BATCH = 5000


@lru_cache(maxsize=None)
def _key(text):
    return name_key(text)


def _person(rng, code):
    female = rng.random() < 0.52
    first = rng.choice(WOMEN if female else MEN)
    surname = rng.choice(SURNAMES[code])
    father = rng.choice(MEN)
    devanagari = rng.random() < 0.4
    pick = 1 if devanagari else 0
    age = min(int(rng.expovariate(1 / 32)), 95)
    if female and age >= 20 and rng.random() < 0.7:
        relation, guardian = "WO", rng.choice(MEN)
    else:
        relation, guardian = ("DO" if female else "SO"), father
    name = f"{first[pick]} {surname[pick]}"
    if female and rng.random() < 0.3:
        name = f"{first[pick]} {'देवी' if devanagari else 'Devi'}"
    guardian_name = f"{guardian[pick]} {surname[pick]}"
    return female, name, relation, guardian_name, age


def generate(n: int, seed: int = 2026, log=print) -> dict:
    """Add n patients (split over the facilities) and about one visit each."""
    rng = random.Random(seed)
    today = ist_today()
    # Only facilities with an OPD to visit (a new facility may have no departments yet).
    facilities = db.session.execute(
        select(Facility).where(Facility.id.in_(select(Department.facility_id).where(
            Department.is_clinical.is_(True), Department.active.is_(True))))
        .order_by(Facility.id)).scalars().all()
    next_patient = (db.session.execute(select(func.max(Patient.id))).scalar() or 0) + 1
    next_visit = (db.session.execute(select(func.max(OpdVisit.id))).scalar() or 0) + 1
    next_token_row = (db.session.execute(select(func.max(PatientNameToken.id))).scalar() or 0) + 1
    next_bill = (db.session.execute(select(func.max(Bill.id))).scalar() or 0) + 1
    totals = {"patients": 0, "visits": 0, "bills": 0}
    for index, facility in enumerate(facilities):
        count = n // len(facilities) + (1 if index < n % len(facilities) else 0)
        if count == 0:
            continue
        code = facility.code if facility.code in SURNAMES else rng.choice(list(SURNAMES))
        departments = db.session.execute(select(Department.id).where(
            Department.facility_id == facility.id, Department.is_clinical.is_(True),
            Department.active.is_(True))).scalars().all()
        villages = db.session.execute(select(Village.id).join(Block).where(
            Block.district_id == facility.district_id)).scalars().all()
        categories = {c.code: c for c in db.session.execute(select(PatientCategory).where(
            PatientCategory.facility_id == facility.id)).scalars()}
        weights = [(categories[c], w) for c, w in CATEGORY_WEIGHTS.items() if c in categories]
        fees = {}
        yy = f"{today.year % 100:02d}"
        first_seq = reserve_numbers(db.session, facility.id, "uhid", yy, count)
        tokens = _issued_tokens(facility.id)
        bill_numbers = _issued(facility.id, "bill")
        rows = {"patients": [], "visits": [], "tokens": [], "bills": [], "lines": [],
                "payments": []}
        patients, visits, name_tokens = rows["patients"], rows["visits"], rows["tokens"]
        for i in range(count):
            female, name, relation, guardian, age = _person(rng, code)
            category = rng.choices([c for c, _ in weights], [w for _, w in weights])[0]
            pid = next_patient
            next_patient += 1
            key = _key(name)
            dob = today - timedelta(days=age * 365 + rng.randrange(365))
            visit_days = sorted(rng.sample(range(1, 366), rng.choice((0, 1, 1, 1, 2))))
            mobile = f"{rng.choice('6789')}{rng.randrange(10**9):09d}" \
                if rng.random() < 0.7 else None
            patients.append(dict(
                id=pid, facility_id=facility.id, uhid=f"{facility.code}-{yy}-{first_seq + i:07d}",
                name=name, name_key=key, guardian_relation=relation, guardian_name=guardian,
                guardian_key=_key(guardian), gender="F" if female else "M", dob=dob,
                dob_estimated=True, mobile=mobile, mobile_rev=mobile_key(mobile),
                village_id=rng.choice(villages) if villages else None,
                address_line=f"Ward {rng.randrange(1, 20)}", category_id=category.id,
                card_number=(f"{category.code}-{rng.randrange(10**6):06d}"
                             if category.card_label_en else None),
                mlc=False, registered_at=_at(today - timedelta(days=visit_days[-1] if visit_days else 0)),
                last_visit_on=(today - timedelta(days=visit_days[0])) if visit_days else None))
            for token, position in tokens_of(name):
                name_tokens.append(dict(id=next_token_row, patient_id=pid,
                                        facility_id=facility.id, token=token,
                                        position=position))
                next_token_row += 1
            for days_ago in visit_days:
                day = today - timedelta(days=days_ago)
                dept = rng.choice(departments)
                token = tokens[(dept, day)] = tokens.get((dept, day), 0) + 1
                visit_type = "FU" if days_ago != visit_days[-1] else "NEW"
                fee_code = "OPD-NEW" if visit_type == "NEW" else "OPD-FU"
                if (fee_code, category.code) not in fees:
                    fees[(fee_code, category.code)] = quote(facility.id, fee_code, category.code,
                                                            today)
                fee = fees[(fee_code, category.code)]
                visits.append(dict(
                    id=next_visit, facility_id=facility.id, patient_id=pid, department_id=dept,
                    visit_type=visit_type, visit_date=day, token=token, status="done",
                    fee_code=fee_code, fee_amount=fee.amount, fee_exempt=fee.exempt,
                    exemption_scheme=fee.scheme_en,
                    exemption_scheme_hi=fee.scheme_hi, created_at=_at(day), slip_prints=1))
                next_visit += 1
                # The cash counter's side: a bill for the fee, paid in cash or by UPI.
                fy = financial_year(day)
                seq = bill_numbers[fy] = bill_numbers.get(fy, 0) + 1
                rows["bills"].append(dict(
                    id=next_bill, facility_id=facility.id, number=f"{facility.code}/{fy}/{seq:06d}",
                    financial_year=fy, bill_date=day, patient_id=pid, gross=fee.amount,
                    discount=0, net=fee.amount, paid=fee.amount, status="paid",
                    created_at=_at(day), receipt_prints=1 if fee.amount else 0))
                rows["lines"].append(dict(
                    bill_id=next_bill, facility_id=facility.id, bill_date=day, bill_kind="bill",
                    cancelled=False, position=1, code=fee_code, kind="registration",
                    description_en=fee_code, description_hi=fee_code, quantity=1,
                    unit_price=fee.price, amount=fee.amount, scheme_en=fee.scheme_en,
                    scheme_hi=fee.scheme_hi))
                if fee.amount:
                    upi = rng.random() < 0.3
                    rows["payments"].append(dict(
                        facility_id=facility.id, bill_id=next_bill, kind="payment",
                        mode="upi" if upi else "cash", amount=fee.amount,
                        reference=f"UPI{rng.randrange(10**9)}" if upi else None,
                        received_at=_at(day)))
                next_bill += 1
            if len(patients) >= BATCH:
                _flush(rows, totals)
        _flush(rows, totals)
        _record_tokens(facility.id, tokens)
        _record(facility.id, "bill", bill_numbers)
        db.session.commit()
        log(f"{facility.code}: {count} patients")
    _advance_sequences()
    db.session.commit()
    return totals


_TABLES = (("patients", Patient), ("tokens", PatientNameToken), ("visits", OpdVisit),
           ("bills", Bill), ("lines", BillLine), ("payments", Payment))


def _flush(rows, totals):
    for key, model in _TABLES:  # parents before children
        if rows[key]:
            db.session.execute(insert(model.__table__), rows[key])
    for key in ("patients", "visits", "bills"):
        totals[key] += len(rows[key])
    for batch in rows.values():
        batch.clear()


def _issued(facility_id, series) -> dict:
    """period → last number already issued in a counter series."""
    return {row.period: row.value for row in db.session.execute(select(Counter).where(
        Counter.facility_id == facility_id, Counter.series == series)).scalars()}


def _record(facility_id, series, last_by_period) -> None:
    rows = {r.period: r for r in db.session.execute(select(Counter).where(
        Counter.facility_id == facility_id, Counter.series == series)).scalars()}
    for period, last in last_by_period.items():
        if period in rows:
            rows[period].value = last
        else:
            db.session.add(Counter(facility_id=facility_id, series=series, period=period,
                                   value=last))


def _at(day):
    return datetime.combine(day, time(5, 0), tzinfo=timezone.utc)


def _issued_tokens(facility_id) -> dict:
    """(department, day) → last token already issued, so new ones carry on from it."""
    issued = {}
    for row in db.session.execute(select(Counter).where(
            Counter.facility_id == facility_id, Counter.series.like("token:%"))).scalars():
        issued[(int(row.series.split(":")[1]), datetime.fromisoformat(row.period).date())] = row.value
    return issued


def _record_tokens(facility_id, tokens):
    """Counters continue after the generated tokens of each department and day."""
    rows = {(r.series, r.period): r for r in db.session.execute(select(Counter).where(
        Counter.facility_id == facility_id, Counter.series.like("token:%"))).scalars()}
    for (dept, day), last in tokens.items():
        key = (f"token:{dept}", day.isoformat())
        if key in rows:
            rows[key].value = last
        else:
            db.session.add(Counter(facility_id=facility_id, series=key[0], period=key[1],
                                   value=last))


def _advance_sequences():
    """Explicit ids were used; PostgreSQL's serial sequences must catch up."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("patient", "patient_name_token", "opd_visit", "bill", "bill_line",
                  "payment"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
