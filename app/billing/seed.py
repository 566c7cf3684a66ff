"""Demo OPD fees and the usual exemptions (idempotent)."""
from datetime import date
from decimal import Decimal

from app.extensions import db

from .models import Exemption, Tariff

OPD_TARIFFS = [
    # The OPD slip ("parchi") fee is a registration fee, new or follow-up; the day-end
    # counts it so.
    ("OPD-NEW", "registration", "OPD registration (new)", "ओपीडी पंजीकरण (नया)", "10.00"),
    ("OPD-FU", "registration", "OPD follow-up", "ओपीडी फॉलो-अप", "5.00"),
    ("BED-GEN", "bed_day", "General ward bed (per day)", "जनरल वार्ड बिस्तर (प्रति दिन)", "50.00"),
    ("BED-PVT", "bed_day", "Private room (per day)", "निजी कमरा (प्रति दिन)", "300.00"),
    ("BED-ICU", "bed_day", "ICU bed (per day)", "आईसीयू बिस्तर (प्रति दिन)", "500.00"),
    ("ADM-FEE", "admission", "IPD admission fee", "भर्ती शुल्क", "25.00"),
    ("ECG", "procedure", "ECG", "ईसीजी", "50.00"),
    ("DRESSING", "procedure", "Dressing", "मरहम-पट्टी", "20.00"),
    ("XRAY-CHEST", "procedure", "X-ray chest (PA view)", "छाती का एक्स-रे (PA)", "70.00"),
]
EXEMPTIONS = [
    ("BPL", "BPL free treatment", "बीपीएल निःशुल्क उपचार"),
    ("JSSK", "JSSK", "जननी शिशु सुरक्षा कार्यक्रम"),
    ("PMJAY", "PM-JAY (Ayushman Bharat)", "आयुष्मान भारत पीएम-जेएवाई"),
    ("SR", "Senior citizen exemption", "वरिष्ठ नागरिक छूट"),
    ("STAFF", "Staff exemption", "कर्मचारी छूट"),
]


def seed_opd_tariffs(facility) -> None:
    codes = {t.code for t in db.session.query(Tariff).filter_by(facility_id=facility.id)}
    for code, kind, en, hi, price in OPD_TARIFFS:
        if code not in codes:
            db.session.add(Tariff(facility_id=facility.id, code=code, kind=kind, name_en=en,
                                  name_hi=hi, price=Decimal(price), valid_from=date(2026, 4, 1)))
    have = {e.category_code for e in db.session.query(Exemption).filter_by(facility_id=facility.id)}
    for category, en, hi in EXEMPTIONS:
        if category not in have:
            db.session.add(Exemption(facility_id=facility.id, category_code=category,
                                     scheme_en=en, scheme_hi=hi, active=True))
    db.session.commit()
