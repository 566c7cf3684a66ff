"""Demo lab catalogue (idempotent): the common tests of a district hospital lab, each
with its tariff. HIV and sputum AFB are free under the national programmes."""
from datetime import date
from decimal import Decimal

from app.billing.models import Tariff
from app.extensions import db

from .models import LabTest

LAB_TESTS = [
    # code, English, Hindi, section, sample, price (₹)
    ("CBC", "Complete blood count (CBC)", "पूर्ण रक्त गणना (सीबीसी)", "haematology", "blood", "50.00"),
    ("HB", "Haemoglobin", "हीमोग्लोबिन", "haematology", "blood", "10.00"),
    ("ESR", "ESR", "ईएसआर", "haematology", "blood", "10.00"),
    ("BGRP", "Blood group and Rh", "ब्लड ग्रुप व आरएच", "haematology", "blood", "10.00"),
    ("RBS", "Blood sugar (random)", "रक्त शर्करा (रैंडम)", "biochemistry", "blood", "15.00"),
    ("FBS", "Blood sugar (fasting)", "रक्त शर्करा (खाली पेट)", "biochemistry", "blood", "15.00"),
    ("LFT", "Liver function test (LFT)", "लिवर फंक्शन टेस्ट (एलएफटी)", "biochemistry", "blood", "100.00"),
    ("KFT", "Kidney function test (KFT)", "किडनी फंक्शन टेस्ट (केएफटी)", "biochemistry", "blood", "100.00"),
    ("CREAT", "Serum creatinine", "सीरम क्रिएटिनिन", "biochemistry", "blood", "25.00"),
    ("LIPID", "Lipid profile", "लिपिड प्रोफाइल", "biochemistry", "blood", "100.00"),
    ("TSH", "TSH (thyroid)", "टीएसएच (थायराइड)", "biochemistry", "blood", "100.00"),
    ("URINE-R", "Urine routine and microscopy", "मूत्र की सामान्य जाँच", "clinical_pathology", "urine", "10.00"),
    ("STOOL-R", "Stool routine and microscopy", "मल की सामान्य जाँच", "clinical_pathology", "stool", "10.00"),
    ("MP-RDT", "Malaria antigen (rapid test)", "मलेरिया जाँच (रैपिड टेस्ट)", "serology", "blood", "30.00"),
    ("WIDAL", "Widal test", "विडाल टेस्ट", "serology", "blood", "30.00"),
    ("DENGUE", "Dengue NS1 antigen", "डेंगू एनएस1 एंटीजन", "serology", "blood", "150.00"),
    ("HBSAG", "Hepatitis B (HBsAg)", "हेपेटाइटिस बी (एचबीएसएजी)", "serology", "blood", "50.00"),
    ("HIV", "HIV 1 and 2 antibodies", "एचआईवी 1 व 2 जाँच", "serology", "blood", "0.00"),
    ("AFB", "Sputum for AFB", "बलगम जाँच (एएफबी)", "microbiology", "sputum", "0.00"),
]


def seed_lab(facility) -> None:
    tariffs = {t.code for t in db.session.query(Tariff).filter_by(facility_id=facility.id)}
    tests = {t.code for t in db.session.query(LabTest).filter_by(facility_id=facility.id)}
    for code, en, hi, section, sample, price in LAB_TESTS:
        if code not in tariffs:
            db.session.add(Tariff(facility_id=facility.id, code=code, kind="lab", name_en=en,
                                  name_hi=hi, price=Decimal(price), valid_from=date(2026, 4, 1)))
        if code not in tests:
            db.session.add(LabTest(facility_id=facility.id, code=code, name_en=en, name_hi=hi,
                                   section=section, sample=sample, active=True))
    db.session.commit()
