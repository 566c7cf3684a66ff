"""Standard patient categories of a facility (idempotent)."""
from app.extensions import db

from .models import PatientCategory

CATEGORIES = [
    ("GEN", "General", "सामान्य", None, None),
    ("BPL", "BPL", "बीपीएल (गरीबी रेखा से नीचे)", "BPL card no.", "बीपीएल कार्ड संख्या"),
    ("JSSK", "JSSK (mother and infant)", "जेएसएसके (माँ और शिशु)", None, None),
    ("PMJAY", "PM-JAY (Ayushman Bharat)", "पीएम-जेएवाई (आयुष्मान भारत)", "PM-JAY ID",
     "पीएम-जेएवाई आईडी"),
    ("SR", "Senior citizen", "वरिष्ठ नागरिक", None, None),
    ("STAFF", "Hospital staff", "अस्पताल कर्मचारी", None, None),
]


def seed_categories(facility) -> None:
    have = {c.code for c in db.session.query(PatientCategory).filter_by(facility_id=facility.id)}
    for code, en, hi, card_en, card_hi in CATEGORIES:
        if code not in have:
            db.session.add(PatientCategory(facility_id=facility.id, code=code, name_en=en,
                                           name_hi=hi, card_label_en=card_en,
                                           card_label_hi=card_hi, active=True))
    db.session.commit()
