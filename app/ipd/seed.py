"""Demo wards and beds (idempotent): a male and a female medical ward (adults), a
children's ward, a surgical ward, private rooms and an ICU, each bed charged by its
bed-day tariff."""
from app.core.models import Department
from app.extensions import db

from .models import Bed, Ward

WARDS = [
    # code, English, Hindi, department, gender, ages (years), beds, bed-day tariff
    ("MMW", "Male Medical Ward", "पुरुष मेडिकल वार्ड", "MED", "M", (13, None), 12, "BED-GEN"),
    ("FMW", "Female Medical Ward", "महिला मेडिकल वार्ड", "MED", "F", (13, None), 12, "BED-GEN"),
    ("PW", "Children's Ward", "बाल वार्ड", "PED", "", (0, 12), 6, "BED-GEN"),
    ("SW", "Surgical Ward", "सर्जिकल वार्ड", "SUR", "", (None, None), 8, "BED-GEN"),
    ("PVT", "Private Rooms", "निजी कमरे", None, "", (None, None), 4, "BED-PVT"),
    ("ICU", "Intensive Care Unit", "गहन चिकित्सा इकाई (आईसीयू)", "MED", "", (None, None), 4,
     "BED-ICU"),
]


def seed_wards(facility) -> None:
    have = {w.code for w in db.session.query(Ward).filter_by(facility_id=facility.id)}
    depts = {d.code: d for d in db.session.query(Department).filter_by(facility_id=facility.id)}
    for code, en, hi, dept, gender, (youngest, oldest), beds, tariff in WARDS:
        if code in have:
            continue
        ward = Ward(facility_id=facility.id, code=code, name_en=en, name_hi=hi,
                    department=depts.get(dept), gender=gender, min_age=youngest,
                    max_age=oldest, active=True)
        db.session.add(ward)
        for n in range(1, beds + 1):
            db.session.add(Bed(facility_id=facility.id, ward=ward, number=f"{n:02d}",
                               tariff_code=tariff, active=True))
    db.session.commit()
