"""Reference and demo data: LGD address masters, the two pilot facilities, demo users.

Everything here is idempotent: rows are found by their natural key and left alone when
present, so running the commands twice changes nothing.
"""
import csv
import re
from pathlib import Path

from app.extensions import appbuilder, db

from . import roles as R
from .models import Block, Department, District, Facility, StaffProfile, State, Village

LGD_CSV = Path(__file__).parent / "data" / "lgd_seed.csv"
_LEVELS = {"state": (State, None, None), "district": (District, State, "state_id"),
           "block": (Block, District, "district_id"), "village": (Village, Block, "block_id")}

DEPARTMENTS = [
    ("MED", "Medicine", "मेडिसिन (सामान्य चिकित्सा)", True),
    ("SUR", "Surgery", "सर्जरी (शल्य चिकित्सा)", True),
    ("PED", "Paediatrics", "शिशु एवं बाल रोग", True),
    ("OBG", "Obstetrics & Gynaecology", "प्रसूति एवं स्त्री रोग", True),
    ("ORT", "Orthopaedics", "हड्डी रोग", True),
    ("ENT", "ENT", "नाक, कान, गला (ENT)", True),
    ("EYE", "Ophthalmology", "नेत्र रोग", True),
    ("DEN", "Dental", "दंत रोग", True),
    ("DER", "Skin", "त्वचा रोग", True),
    ("PSY", "Psychiatry", "मनोरोग", True),
    ("EMR", "Emergency", "आपातकालीन", True),
    ("LAB", "Laboratory", "प्रयोगशाला (लैब)", False),
    ("RAD", "Radiology", "रेडियोलॉजी (एक्स-रे)", False),
]

FACILITIES = [
    dict(code="DHR", name_en="Zonal Hospital Dharamshala", name_hi="क्षेत्रीय अस्पताल धर्मशाला",
         facility_type="ZH", state_lgd=2, district_lgd=18, hfr_id=None,
         address="Civil Lines, Dharamshala, Kangra", address_hi="सिविल लाइन्स, धर्मशाला, कांगड़ा",
         pin_code="176215", phone="01892224868"),
    dict(code="RNC", name_en="Sadar Hospital Ranchi", name_hi="सदर अस्पताल राँची",
         facility_type="SDH", state_lgd=20, district_lgd=339, hfr_id=None,
         address="Sadar Hospital Road, Ranchi", address_hi="सदर अस्पताल रोड, राँची",
         pin_code="834001", phone="06512200000"),
]

FACILITY_ROLES = [
    ("supervisor", R.SUPERVISOR, "Medical Superintendent", "चिकित्सा अधीक्षक"),
    ("clerk", R.CLERK, "Registration Clerk", "पंजीकरण लिपिक"),
    ("doctor", R.DOCTOR, "Medical Officer", "चिकित्सा अधिकारी"),
    ("nurse", R.NURSE, "Staff Nurse", "स्टाफ नर्स"),
    ("labtech", R.LAB_TECH, "Lab Technician", "लैब तकनीशियन"),
    ("pathologist", R.PATHOLOGIST, "Pathologist", "पैथोलॉजिस्ट"),
    ("cashier", R.CASHIER, "Cashier", "कैशियर"),
]


# The LGD export writes census numbers after some names: "Sidhbari (391)", "Ram Nagar (OG)"
# (an outgrowth), "(CT)" (a census town). Clerks pick villages by name: the codes go.
CENSUS_MARK = re.compile(r"\s*\((?:\d+|OG|CT|ओजी|सीटी)\)\s*$")


def place_name(text: str) -> str:
    return CENSUS_MARK.sub("", text.strip())


def load_lgd(path: Path = LGD_CSV) -> int:
    """Load LGD rows (level,lgd_code,parent_lgd_code,name_en,name_hi); returns rows added."""
    added = 0
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for level in ("state", "district", "block", "village"):
        model, parent_model, parent_col = _LEVELS[level]
        existing = {m.lgd_code for m in db.session.query(model.lgd_code)}
        parents = {p.lgd_code: p.id for p in db.session.query(parent_model)} if parent_model else {}
        for row in rows:
            if row["level"] != level or int(row["lgd_code"]) in existing:
                continue
            obj = model(lgd_code=int(row["lgd_code"]), name_en=place_name(row["name_en"]),
                        name_hi=place_name(row["name_hi"]))
            if parent_model:
                setattr(obj, parent_col, parents[int(row["parent_lgd_code"])])
            db.session.add(obj)
            added += 1
        db.session.flush()
    db.session.commit()
    return added


def seed_facilities() -> dict:
    states = {s.lgd_code: s.id for s in db.session.query(State)}
    districts = {d.lgd_code: d.id for d in db.session.query(District)}
    result = {}
    for spec in FACILITIES:
        facility = db.session.query(Facility).filter_by(code=spec["code"]).one_or_none()
        if facility is None:
            data = {k: v for k, v in spec.items() if k not in ("state_lgd", "district_lgd")}
            facility = Facility(state_id=states[spec["state_lgd"]],
                                district_id=districts[spec["district_lgd"]], active=True, **data)
            db.session.add(facility)
            db.session.flush()
        elif facility.address_hi is None and facility.address == spec["address"]:
            facility.address_hi = spec["address_hi"]  # seeded before addresses had Hindi
        have = {d.code for d in db.session.query(Department).filter_by(facility_id=facility.id)}
        for code, en, hi, clinical in DEPARTMENTS:
            if code not in have:
                db.session.add(Department(facility_id=facility.id, code=code, name_en=en,
                                          name_hi=hi, is_clinical=clinical, active=True))
        result[spec["code"]] = facility
    db.session.commit()
    return result


def ensure_user(username, role_name, password, first, last, facility=None,
                designation=None, departments=(), **profile_fields):
    """Create the user (and staff profile) if missing; never touches an existing one."""
    sm = appbuilder.sm
    user = sm.find_user(username=username)
    if user is None:
        user = sm.add_user(username, first, last, f"{username}@hmis.invalid",
                           sm.find_role(role_name), password=password)
        if not user:
            raise RuntimeError(f"could not create user {username}")
    profile = db.session.query(StaffProfile).filter_by(user_id=user.id).one_or_none()
    if profile is None:
        profile = StaffProfile(user_id=user.id, facility_id=facility.id if facility else None,
                               designation=designation, departments=list(departments),
                               **profile_fields)
        db.session.add(profile)
        db.session.commit()
    return user


def demo_usernames() -> list[str]:
    names = ["admin", "auditor"]
    for spec in FACILITIES:
        names += [f"{prefix}.{spec['code'].lower()}" for prefix, *_ in FACILITY_ROLES]
    return names


def seed_demo(password: str) -> None:
    load_lgd()
    facilities = seed_facilities()
    from app.billing.seed import seed_opd_tariffs
    from app.ipd.seed import seed_wards
    from app.lab.seed import seed_lab
    from app.opd.consultation import load_icd10
    from app.opd.seed import seed_drugs
    from app.registration.seed import seed_categories
    load_icd10()
    seed_drugs()
    for facility in facilities.values():
        seed_categories(facility)
        seed_opd_tariffs(facility)
        seed_wards(facility)
        seed_lab(facility)
    ensure_user("admin", R.ADMIN, password, "State", "IT Cell", designation="State IT cell")
    ensure_user("auditor", R.AUDITOR, password, "State", "Auditor", designation="Auditor")
    for code, facility in facilities.items():
        depts = {d.code: d for d in db.session.query(Department).filter_by(facility_id=facility.id)}
        for prefix, role, designation, _hi in FACILITY_ROLES:
            mine = [depts["MED"]] if prefix in ("doctor", "nurse") else \
                [depts["LAB"]] if prefix in ("labtech", "pathologist") else []
            # The demo pathologist signs lab reports: a made-up qualification and number.
            signs = {"qualification": "MD (Pathology)",
                     "council_registration": f"DEMO-{code}-0001"} if prefix == "pathologist" \
                else {}
            ensure_user(f"{prefix}.{code.lower()}", role, password, designation, code,
                        facility=facility, designation=designation, departments=mine, **signs)
