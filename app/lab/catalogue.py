"""Demo lab catalogue of a district hospital lab: the tests an Indian district hospital
laboratory actually runs, with what the lab needs to report and check them.

Why the values are what they are:
- Units are the conventional ones printed on Indian lab reports (g/dL, mg/dL, cells/cumm,
  lakh/cumm, %, fL, pg, U/L, mEq/L, µIU/mL, ng/dL, µg/dL), not SI.
- Reference ranges are standard textbook adult and paediatric ranges (Dacie & Lewis for
  haematology; Tietz / Harriet Lane / manufacturer inserts for biochemistry; NCEP ATP III
  and NHLBI paediatric cut-offs for lipids; ADA for glucose and HbA1c). Methods and their
  ranges vary by kit: a hospital replaces them with its own once validated.
- An age band is (sex, from_days, to_days, low, high): from inclusive, to exclusive, to None
  = no upper age; sex None = both. low or high None = a one-sided range, printed "< high"
  or "> low": lipids keep the guideline cut-off as printed ("< 200") and flag from
  "borderline high" on (total cholesterol 200, triglycerides 150, LDL 130; NHLBI cut-offs
  under 20 years). HbA1c is two-sided, 4.0-5.6 %, so that the prediabetes cut-off (5.7 %)
  is flagged; fasting sugar 70-99 mg/dL likewise (ADA: 100 is impaired fasting glucose).
- critical: values the lab telephones to the ward at once; plausible: values outside which
  a result is more likely a typing or sample error and must be confirmed before it is
  verified; delta: the absolute change (in the test's own unit) between two results of the
  same patient that needs a look (e.g. creatinine 0.3 mg/dL, the KDIGO AKI rise).
- tat: turnaround target in minutes from order to verified result.
- price: tariff in rupees for a test that can be ordered alone; None for an analyte that is
  only reported inside a panel (not orderable, not charged). HIV, sputum AFB and sickle
  cell screening are free under the national programmes (NACO, NTEP, NSCAEM).
- A panel lists its member codes in PANELS; an analyte reported in a panel and also
  orderable alone (HB in CBC, CREAT in KFT, TSH in TFT ...) is one entry.
Tests sharing a sample and a container are drawn in one tube.
"""
DAY, MONTH, YEAR = 1, 30, 365   # age bands are in days: [from, to)

_NEG_POS = ["Negative", "Positive"]
_NR_R = ["Non-reactive", "Reactive"]
_GRADES = ["Nil", "Trace", "1+", "2+", "3+", "4+"]
_ABS_PRES = ["Absent", "Present"]
_WIDAL_TITRES = ["<1:20", "1:20", "1:40", "1:80", "1:160", "1:320", "1:640"]

CATALOGUE = [
    # ------------------------------------------------------------------ haematology
    dict(code="CBC", en="Complete blood count (CBC)", hi="पूर्ण रक्त गणना (सीबीसी)",
         section="haematology", sample="blood", container="edta", unit=None,
         method="Automated haematology analyser", type="panel", decimals=0,
         loinc="58410-2", price="50.00", tat=120),
    dict(code="HB", en="Haemoglobin", hi="हीमोग्लोबिन", section="haematology", sample="blood",
         container="edta", unit="g/dL", method="Automated haematology analyser", type="numeric",
         decimals=1, loinc="718-7", price="10.00", tat=120,
         critical=(7.0, 22.0), plausible=(1.0, 25.0), delta=2.0,
         ranges=[(None, 0, 1 * MONTH, 13.5, 21.5), (None, 1 * MONTH, 1 * YEAR, 9.5, 14.0),
                 (None, 1 * YEAR, 6 * YEAR, 11.0, 14.0), (None, 6 * YEAR, 12 * YEAR, 11.5, 15.5),
                 ("M", 12 * YEAR, None, 13.0, 17.0), ("F", 12 * YEAR, None, 12.0, 15.0)]),
    dict(code="TLC", en="Total leucocyte count (TLC)", hi="कुल श्वेत रक्त कोशिका गणना (टीएलसी)",
         section="haematology", sample="blood", container="edta", unit="cells/cumm",
         method="Automated haematology analyser", type="numeric", decimals=0,
         loinc="6690-2", price=None, tat=120,
         critical=(2000, 50000), plausible=(100, 500000), delta=5000,
         ranges=[(None, 0, 1 * MONTH, 9000, 30000), (None, 1 * MONTH, 1 * YEAR, 6000, 17500),
                 (None, 1 * YEAR, 6 * YEAR, 5000, 15500), (None, 6 * YEAR, 12 * YEAR, 4500, 13500),
                 (None, 12 * YEAR, None, 4000, 11000)]),
    dict(code="NEUT", en="Neutrophils", hi="न्यूट्रोफिल", section="haematology", sample="blood",
         container="edta", unit="%", method="Automated analyser / Leishman smear",
         type="numeric", decimals=0, loinc="770-8", price=None, tat=120,
         critical=(None, None), plausible=(0, 100), delta=None,
         ranges=[(None, 0, 1 * MONTH, 30, 70), (None, 1 * MONTH, 2 * YEAR, 20, 50),
                 (None, 2 * YEAR, 6 * YEAR, 30, 60), (None, 6 * YEAR, 12 * YEAR, 40, 70),
                 (None, 12 * YEAR, None, 40, 80)]),
    dict(code="LYMPH", en="Lymphocytes", hi="लिम्फोसाइट", section="haematology", sample="blood",
         container="edta", unit="%", method="Automated analyser / Leishman smear",
         type="numeric", decimals=0, loinc="736-9", price=None, tat=120,
         critical=(None, None), plausible=(0, 100), delta=None,
         ranges=[(None, 0, 1 * MONTH, 20, 60), (None, 1 * MONTH, 2 * YEAR, 45, 75),
                 (None, 2 * YEAR, 6 * YEAR, 35, 65), (None, 6 * YEAR, 12 * YEAR, 25, 50),
                 (None, 12 * YEAR, None, 20, 40)]),
    dict(code="MONO", en="Monocytes", hi="मोनोसाइट", section="haematology", sample="blood",
         container="edta", unit="%", method="Automated analyser / Leishman smear",
         type="numeric", decimals=0, loinc="5905-5", price=None, tat=120,
         critical=(None, None), plausible=(0, 100), delta=None,
         ranges=[(None, 0, None, 2, 10)]),
    dict(code="EOS", en="Eosinophils", hi="इओसिनोफिल", section="haematology", sample="blood",
         container="edta", unit="%", method="Automated analyser / Leishman smear",
         type="numeric", decimals=0, loinc="713-8", price=None, tat=120,
         critical=(None, None), plausible=(0, 100), delta=None,
         ranges=[(None, 0, None, 1, 6)]),
    dict(code="BASO", en="Basophils", hi="बेसोफिल", section="haematology", sample="blood",
         container="edta", unit="%", method="Automated analyser / Leishman smear",
         type="numeric", decimals=0, loinc="706-2", price=None, tat=120,
         critical=(None, None), plausible=(0, 100), delta=None,
         ranges=[(None, 0, None, 0, 2)]),
    dict(code="RBC", en="Total RBC count", hi="कुल लाल रक्त कोशिका गणना (आरबीसी)",
         section="haematology", sample="blood", container="edta", unit="million/cumm",
         method="Automated haematology analyser", type="numeric", decimals=2,
         loinc="789-8", price=None, tat=120,
         critical=(None, None), plausible=(0.5, 10.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 3.6, 6.6), (None, 1 * MONTH, 1 * YEAR, 2.7, 5.4),
                 (None, 1 * YEAR, 12 * YEAR, 3.9, 5.3), ("M", 12 * YEAR, None, 4.5, 5.5),
                 ("F", 12 * YEAR, None, 3.8, 4.8)]),
    dict(code="PCV", en="Haematocrit (PCV)", hi="हीमैटोक्रिट (पीसीवी)", section="haematology",
         sample="blood", container="edta", unit="%", method="Automated haematology analyser",
         type="numeric", decimals=1, loinc="4544-3", price=None, tat=120,
         critical=(20.0, 65.0), plausible=(5.0, 80.0), delta=6.0,
         ranges=[(None, 0, 1 * MONTH, 42.0, 65.0), (None, 1 * MONTH, 1 * YEAR, 28.0, 42.0),
                 (None, 1 * YEAR, 12 * YEAR, 33.0, 45.0), ("M", 12 * YEAR, None, 40.0, 50.0),
                 ("F", 12 * YEAR, None, 36.0, 46.0)]),
    dict(code="MCV", en="MCV (mean corpuscular volume)", hi="एमसीवी (औसत कणिका आयतन)",
         section="haematology", sample="blood", container="edta", unit="fL",
         method="Automated haematology analyser", type="numeric", decimals=1,
         loinc="787-2", price=None, tat=120,
         critical=(None, None), plausible=(40.0, 150.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 88.0, 123.0), (None, 1 * MONTH, 1 * YEAR, 70.0, 108.0),
                 (None, 1 * YEAR, 6 * YEAR, 72.0, 88.0), (None, 6 * YEAR, 12 * YEAR, 77.0, 95.0),
                 (None, 12 * YEAR, None, 83.0, 101.0)]),
    dict(code="MCH", en="MCH (mean corpuscular haemoglobin)",
         hi="एमसीएच (औसत कणिका हीमोग्लोबिन)", section="haematology", sample="blood",
         container="edta", unit="pg", method="Calculated (Hb / RBC)", type="numeric",
         decimals=1, loinc="785-6", price=None, tat=120,
         critical=(None, None), plausible=(10.0, 50.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 28.0, 40.0), (None, 1 * MONTH, 1 * YEAR, 25.0, 35.0),
                 (None, 1 * YEAR, 6 * YEAR, 23.0, 31.0), (None, 6 * YEAR, 12 * YEAR, 25.0, 33.0),
                 (None, 12 * YEAR, None, 27.0, 32.0)]),
    dict(code="MCHC", en="MCHC (mean corpuscular haemoglobin concentration)",
         hi="एमसीएचसी (औसत कणिका हीमोग्लोबिन सांद्रता)", section="haematology", sample="blood",
         container="edta", unit="g/dL", method="Calculated (Hb / PCV)", type="numeric",
         decimals=1, loinc="786-4", price=None, tat=120,
         critical=(None, None), plausible=(20.0, 40.0), delta=None,
         ranges=[(None, 0, 1 * YEAR, 29.0, 37.0), (None, 1 * YEAR, 12 * YEAR, 31.0, 37.0),
                 (None, 12 * YEAR, None, 31.5, 34.5)]),
    dict(code="RDW-CV", en="RDW-CV (red cell distribution width)",
         hi="आरडीडब्ल्यू-सीवी (लाल कोशिका वितरण चौड़ाई)", section="haematology", sample="blood",
         container="edta", unit="%", method="Automated haematology analyser", type="numeric",
         decimals=1, loinc="788-0", price=None, tat=120,
         critical=(None, None), plausible=(8.0, 40.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 13.0, 18.0), (None, 1 * MONTH, None, 11.6, 14.0)]),
    dict(code="PLT", en="Platelet count", hi="प्लेटलेट गणना", section="haematology",
         sample="blood", container="edta", unit="lakh/cumm",
         method="Automated analyser (impedance), smear check", type="numeric", decimals=2,
         loinc="777-3", price="20.00", tat=120,
         critical=(0.20, 10.00), plausible=(0.01, 20.00), delta=0.50,
         ranges=[(None, 0, 1 * MONTH, 1.50, 4.50), (None, 1 * MONTH, 2 * YEAR, 2.00, 5.50),
                 (None, 2 * YEAR, None, 1.50, 4.50)]),
    dict(code="ESR", en="ESR", hi="ईएसआर", section="haematology", sample="blood",
         container="edta", unit="mm/hr", method="Modified Westergren (EDTA blood)",
         type="numeric", decimals=0, loinc="4537-7", price="10.00", tat=120,
         critical=(None, None), plausible=(0, 150), delta=None,
         ranges=[(None, 0, 1 * MONTH, 0, 2), (None, 1 * MONTH, 12 * YEAR, 0, 10),
                 ("M", 12 * YEAR, 50 * YEAR, 0, 15), ("M", 50 * YEAR, None, 0, 20),
                 ("F", 12 * YEAR, 50 * YEAR, 0, 20), ("F", 50 * YEAR, None, 0, 30)]),
    dict(code="BGRP", en="Blood group and Rh", hi="ब्लड ग्रुप व आरएच", section="haematology",
         sample="blood", container="edta", unit=None,
         method="Slide/tube agglutination (forward and reverse)", type="choice",
         loinc="882-1", price="10.00", tat=60,
         choices=["A Positive", "A Negative", "B Positive", "B Negative", "AB Positive",
                  "AB Negative", "O Positive", "O Negative"], normal=None),
    dict(code="RETIC", en="Reticulocyte count", hi="रेटिकुलोसाइट गणना", section="haematology",
         sample="blood", container="edta", unit="%",
         method="Supravital stain (new methylene blue), manual", type="numeric", decimals=1,
         loinc="4679-7", price="30.00", tat=240,
         critical=(None, None), plausible=(0.0, 50.0), delta=None,
         ranges=[(None, 0, 7 * DAY, 2.0, 7.0), (None, 7 * DAY, None, 0.5, 2.5)]),
    dict(code="MP-SMEAR", en="Peripheral smear for malaria parasite (MP)",
         hi="मलेरिया परजीवी जाँच (स्लाइड)", section="haematology", sample="blood",
         container="edta", unit=None, method="Thick and thin smear, JSB / Giemsa stain",
         type="choice", loinc="32700-7", price="10.00", tat=60,
         choices=["No malaria parasite seen", "P. falciparum seen", "P. vivax seen",
                  "Mixed (Pf + Pv) seen", "P. malariae seen", "P. ovale seen"],
         normal="No malaria parasite seen"),
    dict(code="SICKLING", en="Sickling test (sickle cell screening)",
         hi="सिकलिंग टेस्ट (सिकल सेल जाँच)", section="haematology", sample="blood",
         container="edta", unit=None, method="Solubility test (sodium dithionite)",
         type="choice", loinc=None, price="0.00", tat=120,
         choices=_NEG_POS, normal="Negative"),
    dict(code="PT-INR", en="Prothrombin time with INR (PT/INR)",
         hi="प्रोथ्रोम्बिन टाइम (पीटी/आईएनआर)", section="haematology", sample="blood",
         container="citrate", unit=None, method="Coagulometer (clot detection)", type="panel",
         decimals=0, loinc=None, price="80.00", tat=120),
    dict(code="PT", en="Prothrombin time (PT)", hi="प्रोथ्रोम्बिन टाइम (पीटी)",
         section="haematology", sample="blood", container="citrate", unit="sec",
         method="Clot detection (thromboplastin)", type="numeric", decimals=1,
         loinc="5902-2", price=None, tat=120,
         critical=(None, None), plausible=(5.0, 150.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 10.0, 16.0), (None, 1 * MONTH, None, 11.0, 13.5)]),
    dict(code="INR", en="INR", hi="आईएनआर", section="haematology", sample="blood",
         container="citrate", unit=None, method="Calculated: (PT / mean normal PT) ^ ISI",
         type="numeric", decimals=2, loinc="6301-6", price=None, tat=120,
         critical=(None, 5.00), plausible=(0.50, 20.00), delta=None,
         ranges=[(None, 0, 1 * MONTH, 0.90, 1.60), (None, 1 * MONTH, None, 0.80, 1.20)]),
    dict(code="APTT", en="Activated partial thromboplastin time (APTT)", hi="एपीटीटी",
         section="haematology", sample="blood", container="citrate", unit="sec",
         method="Clot detection (kaolin / ellagic acid activator)", type="numeric",
         decimals=1, loinc="14979-9", price="80.00", tat=120,
         critical=(None, 100.0), plausible=(10.0, 250.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 31.0, 55.0), (None, 1 * MONTH, 6 * MONTH, 28.0, 50.0),
                 (None, 6 * MONTH, None, 26.0, 40.0)]),
    # BT and CT are done at the collection desk by finger prick (CT in a capillary tube),
    # not from a venous tube; "plain" is the nearest container of the list.
    dict(code="BT-CT", en="Bleeding time and clotting time (BT/CT)",
         hi="ब्लीडिंग टाइम व क्लॉटिंग टाइम (बीटी/सीटी)", section="haematology",
         sample="blood", container="plain", unit=None, method="Bedside, finger prick",
         type="panel", decimals=0, loinc=None, price="20.00", tat=60),
    dict(code="BT", en="Bleeding time (BT)", hi="ब्लीडिंग टाइम (बीटी)", section="haematology",
         sample="blood", container="plain", unit="min", method="Duke method (finger prick)",
         type="numeric", decimals=1, loinc=None, price=None, tat=60,
         critical=(None, None), plausible=(0.5, 30.0), delta=None,
         ranges=[(None, 0, None, 1.0, 5.0)]),
    dict(code="CT", en="Clotting time (CT)", hi="क्लॉटिंग टाइम (सीटी)", section="haematology",
         sample="blood", container="plain", unit="min", method="Capillary tube method",
         type="numeric", decimals=1, loinc=None, price=None, tat=60,
         critical=(None, None), plausible=(0.5, 60.0), delta=None,
         ranges=[(None, 0, None, 3.0, 8.0)]),
    dict(code="HBA1C", en="HbA1c (glycated haemoglobin)", hi="एचबीए1सी (ग्लाइकेटेड हीमोग्लोबिन)",
         section="biochemistry", sample="blood", container="edta", unit="%",
         method="Immunoturbidimetry / HPLC (NGSP certified)", type="numeric", decimals=1,
         loinc="4548-4", price="150.00", tat=240,
         critical=(None, None), plausible=(3.0, 20.0), delta=None,
         ranges=[(None, 0, None, 4.0, 5.6)]),

    # ------------------------------------------------------------------ biochemistry
    dict(code="RBS", en="Blood sugar (random)", hi="रक्त शर्करा (रैंडम)", section="biochemistry",
         sample="blood", container="fluoride", unit="mg/dL",
         method="Glucose oxidase-peroxidase (GOD-POD)", type="numeric", decimals=0,
         loinc="2345-7", price="15.00", tat=60,
         critical=(40, 450), plausible=(5, 1500), delta=None,
         ranges=[(None, 0, 1 * MONTH, 45, 120), (None, 1 * MONTH, 12 * YEAR, 60, 140),
                 (None, 12 * YEAR, None, 70, 140)]),
    dict(code="FBS", en="Blood sugar (fasting)", hi="रक्त शर्करा (खाली पेट)", section="biochemistry",
         sample="blood", container="fluoride", unit="mg/dL",
         method="Glucose oxidase-peroxidase (GOD-POD)", type="numeric", decimals=0,
         loinc="1558-6", price="15.00", tat=60,
         critical=(40, 450), plausible=(5, 1500), delta=None,
         ranges=[(None, 0, 1 * MONTH, 45, 99), (None, 1 * MONTH, 12 * YEAR, 60, 99),
                 (None, 12 * YEAR, None, 70, 99)]),
    dict(code="LFT", en="Liver function test (LFT)", hi="लिवर फंक्शन टेस्ट (एलएफटी)",
         section="biochemistry", sample="blood", container="plain", unit=None,
         method="Semi-automated biochemistry analyser", type="panel", decimals=0,
         loinc=None, price="100.00", tat=240),
    dict(code="TBIL", en="Serum bilirubin (total)", hi="सीरम बिलीरुबिन (कुल)",
         section="biochemistry", sample="blood", container="plain", unit="mg/dL",
         method="Diazo (Jendrassik-Grof)", type="numeric", decimals=1, loinc="1975-2",
         price="30.00", tat=240,
         critical=(None, 15.0), plausible=(0.0, 50.0), delta=None,
         # Newborn bands are indicative only: phototherapy is decided on the
         # hour-specific (Bhutani) nomogram, not on a reference range.
         ranges=[(None, 0, 1 * DAY, None, 6.0), (None, 1 * DAY, 2 * DAY, None, 10.0),
                 (None, 2 * DAY, 7 * DAY, None, 12.0), (None, 7 * DAY, 1 * MONTH, None, 5.0),
                 (None, 1 * MONTH, None, 0.2, 1.2)]),
    dict(code="DBIL", en="Serum bilirubin (direct)", hi="सीरम बिलीरुबिन (डायरेक्ट)",
         section="biochemistry", sample="blood", container="plain", unit="mg/dL",
         method="Diazo (direct reacting)", type="numeric", decimals=1, loinc="1968-7",
         price=None, tat=240,
         critical=(None, None), plausible=(0.0, 40.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, None, 1.0), (None, 1 * MONTH, None, None, 0.3)]),
    dict(code="IBIL", en="Serum bilirubin (indirect)", hi="सीरम बिलीरुबिन (इनडायरेक्ट)",
         section="biochemistry", sample="blood", container="plain", unit="mg/dL",
         method="Calculated (total - direct)", type="numeric", decimals=1, loinc="1971-1",
         price=None, tat=240,
         critical=(None, None), plausible=(0.0, 50.0), delta=None,
         ranges=[(None, 0, 1 * DAY, None, 6.0), (None, 1 * DAY, 2 * DAY, None, 10.0),
                 (None, 2 * DAY, 7 * DAY, None, 12.0), (None, 7 * DAY, 1 * MONTH, None, 5.0),
                 (None, 1 * MONTH, None, 0.1, 0.9)]),
    dict(code="AST", en="SGOT (AST)", hi="एसजीओटी (एएसटी)", section="biochemistry",
         sample="blood", container="plain", unit="U/L", method="IFCC kinetic (without P5P)",
         type="numeric", decimals=0, loinc="1920-8", price=None, tat=240,
         critical=(None, None), plausible=(0, 20000), delta=None,
         ranges=[(None, 0, 1 * MONTH, None, 150), (None, 1 * MONTH, 1 * YEAR, None, 80),
                 (None, 1 * YEAR, 12 * YEAR, None, 50), ("M", 12 * YEAR, None, None, 40),
                 ("F", 12 * YEAR, None, None, 32)]),
    dict(code="ALT", en="SGPT (ALT)", hi="एसजीपीटी (एएलटी)", section="biochemistry",
         sample="blood", container="plain", unit="U/L", method="IFCC kinetic (without P5P)",
         type="numeric", decimals=0, loinc="1742-6", price=None, tat=240,
         critical=(None, None), plausible=(0, 20000), delta=None,
         ranges=[(None, 0, 1 * YEAR, None, 55), (None, 1 * YEAR, 12 * YEAR, None, 45),
                 ("M", 12 * YEAR, None, None, 41), ("F", 12 * YEAR, None, None, 33)]),
    dict(code="ALP", en="Alkaline phosphatase (ALP)", hi="एल्कलाइन फॉस्फेटेज़ (एएलपी)",
         section="biochemistry", sample="blood", container="plain", unit="U/L",
         method="IFCC kinetic (pNPP, AMP buffer)", type="numeric", decimals=0,
         loinc="6768-6", price=None, tat=240,
         critical=(None, None), plausible=(5, 5000), delta=None,
         # Bone growth: children and adolescents run far above adult values.
         ranges=[(None, 0, 15 * DAY, 83, 248), (None, 15 * DAY, 1 * YEAR, 122, 469),
                 (None, 1 * YEAR, 10 * YEAR, 142, 335), (None, 10 * YEAR, 13 * YEAR, 129, 417),
                 ("M", 13 * YEAR, 15 * YEAR, 116, 468), ("F", 13 * YEAR, 15 * YEAR, 57, 254),
                 ("M", 15 * YEAR, 17 * YEAR, 82, 331), ("F", 15 * YEAR, 17 * YEAR, 50, 117),
                 ("M", 17 * YEAR, 19 * YEAR, 55, 149), ("F", 17 * YEAR, 19 * YEAR, 45, 87),
                 ("M", 19 * YEAR, None, 40, 129), ("F", 19 * YEAR, None, 35, 104)]),
    dict(code="TP", en="Total protein", hi="कुल प्रोटीन", section="biochemistry",
         sample="blood", container="plain", unit="g/dL", method="Biuret", type="numeric",
         decimals=1, loinc="2885-2", price=None, tat=240,
         critical=(None, None), plausible=(1.0, 15.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 4.6, 7.4), (None, 1 * MONTH, 1 * YEAR, 5.1, 7.3),
                 (None, 1 * YEAR, 12 * YEAR, 6.0, 8.0), (None, 12 * YEAR, None, 6.4, 8.3)]),
    dict(code="ALB", en="Albumin", hi="एल्ब्यूमिन", section="biochemistry", sample="blood",
         container="plain", unit="g/dL", method="Bromocresol green (BCG)", type="numeric",
         decimals=1, loinc="1751-7", price=None, tat=240,
         critical=(None, None), plausible=(0.5, 7.0), delta=None,
         ranges=[(None, 0, 1 * MONTH, 2.6, 3.9), (None, 1 * MONTH, 1 * YEAR, 2.8, 5.0),
                 (None, 1 * YEAR, None, 3.5, 5.2)]),
    dict(code="GLOB", en="Globulin", hi="ग्लोब्युलिन", section="biochemistry", sample="blood",
         container="plain", unit="g/dL", method="Calculated (total protein - albumin)",
         type="numeric", decimals=1, loinc="10834-0", price=None, tat=240,
         critical=(None, None), plausible=(0.1, 12.0), delta=None,
         ranges=[(None, 0, 12 * YEAR, 1.5, 3.5), (None, 12 * YEAR, None, 2.0, 3.5)]),
    dict(code="AGR", en="A/G ratio", hi="ए/जी अनुपात", section="biochemistry", sample="blood",
         container="plain", unit=None, method="Calculated (albumin / globulin)", type="numeric",
         decimals=1, loinc="1759-0", price=None, tat=240,
         critical=(None, None), plausible=(0.1, 10.0), delta=None,
         ranges=[(None, 0, None, 1.0, 2.2)]),
    dict(code="KFT", en="Kidney function test (KFT)", hi="किडनी फंक्शन टेस्ट (केएफटी)",
         section="biochemistry", sample="blood", container="plain", unit=None,
         method="Semi-automated biochemistry analyser and ISE", type="panel", decimals=0,
         loinc=None, price="100.00", tat=240),
    dict(code="UREA", en="Blood urea", hi="ब्लड यूरिया", section="biochemistry", sample="blood",
         container="plain", unit="mg/dL", method="Urease-GLDH, kinetic UV", type="numeric",
         decimals=0, loinc="3091-6", price=None, tat=240,
         critical=(None, 200), plausible=(1, 600), delta=30,
         ranges=[(None, 0, 1 * YEAR, 6, 40), (None, 1 * YEAR, 12 * YEAR, 10, 40),
                 (None, 12 * YEAR, None, 15, 40)]),
    dict(code="CREAT", en="Serum creatinine", hi="सीरम क्रिएटिनिन", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL", method="Jaffe kinetic (alkaline picrate)",
         type="numeric", decimals=2, loinc="2160-0", price="25.00", tat=240,
         critical=(None, 6.00), plausible=(0.10, 30.00), delta=0.30,
         ranges=[(None, 0, 1 * MONTH, 0.30, 1.00), (None, 1 * MONTH, 1 * YEAR, 0.20, 0.40),
                 (None, 1 * YEAR, 12 * YEAR, 0.30, 0.70), (None, 12 * YEAR, 18 * YEAR, 0.50, 1.00),
                 ("M", 18 * YEAR, None, 0.70, 1.30), ("F", 18 * YEAR, None, 0.60, 1.10)]),
    dict(code="URIC", en="Serum uric acid", hi="सीरम यूरिक एसिड", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL", method="Uricase-peroxidase (enzymatic)",
         type="numeric", decimals=1, loinc="3084-1", price=None, tat=240,
         critical=(None, 13.0), plausible=(0.0, 30.0), delta=None,
         ranges=[(None, 0, 12 * YEAR, 2.0, 5.5), ("M", 12 * YEAR, None, 3.5, 7.2),
                 ("F", 12 * YEAR, None, 2.6, 6.0)]),
    dict(code="SODIUM", en="Serum sodium", hi="सीरम सोडियम", section="biochemistry",
         sample="blood", container="plain", unit="mEq/L", method="Ion-selective electrode (ISE)",
         type="numeric", decimals=0, loinc="2951-2", price=None, tat=240,
         critical=(120, 160), plausible=(80, 200), delta=8,
         ranges=[(None, 0, 1 * MONTH, 133, 146), (None, 1 * MONTH, None, 135, 145)]),
    dict(code="POTASSIUM", en="Serum potassium", hi="सीरम पोटैशियम", section="biochemistry",
         sample="blood", container="plain", unit="mEq/L", method="Ion-selective electrode (ISE)",
         type="numeric", decimals=1, loinc="2823-3", price=None, tat=240,
         critical=(2.8, 6.2), plausible=(1.0, 10.0), delta=1.0,
         ranges=[(None, 0, 1 * MONTH, 3.7, 5.9), (None, 1 * MONTH, 1 * YEAR, 4.1, 5.3),
                 (None, 1 * YEAR, None, 3.5, 5.1)]),
    dict(code="CHLORIDE", en="Serum chloride", hi="सीरम क्लोराइड", section="biochemistry",
         sample="blood", container="plain", unit="mEq/L", method="Ion-selective electrode (ISE)",
         type="numeric", decimals=0, loinc="2075-0", price=None, tat=240,
         critical=(80, 120), plausible=(50, 150), delta=None,
         ranges=[(None, 0, None, 98, 107)]),
    dict(code="CALCIUM", en="Serum calcium", hi="सीरम कैल्शियम", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL", method="Arsenazo III (photometric)",
         type="numeric", decimals=1, loinc="17861-6", price="40.00", tat=240,
         critical=(6.5, 13.0), plausible=(2.0, 20.0), delta=None,
         ranges=[(None, 0, 10 * DAY, 7.6, 10.4), (None, 10 * DAY, 2 * YEAR, 9.0, 11.0),
                 (None, 2 * YEAR, 12 * YEAR, 8.8, 10.8), (None, 12 * YEAR, None, 8.5, 10.5)]),
    dict(code="AMYLASE", en="Serum amylase", hi="सीरम एमाइलेज", section="biochemistry",
         sample="blood", container="plain", unit="U/L", method="Enzymatic (CNPG3), kinetic",
         type="numeric", decimals=0, loinc="1798-8", price="100.00", tat=240,
         critical=(None, None), plausible=(0, 10000), delta=None,
         ranges=[(None, 0, 1 * YEAR, None, 50), (None, 1 * YEAR, None, None, 100)]),
    dict(code="LIPID", en="Lipid profile", hi="लिपिड प्रोफाइल", section="biochemistry",
         sample="blood", container="plain", unit=None,
         method="Enzymatic, semi-automated analyser (10-12 h fasting)", type="panel",
         decimals=0, loinc=None, price="100.00", tat=240),
    dict(code="CHOL", en="Total cholesterol", hi="कुल कोलेस्ट्रॉल", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL", method="CHOD-PAP (enzymatic)",
         type="numeric", decimals=0, loinc="2093-3", price=None, tat=240,
         critical=(None, None), plausible=(20, 1000), delta=None,
         ranges=[(None, 0, 20 * YEAR, None, 170), (None, 20 * YEAR, None, None, 200)]),
    dict(code="TG", en="Triglycerides", hi="ट्राइग्लिसराइड", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL", method="GPO-PAP (enzymatic)",
         type="numeric", decimals=0, loinc="2571-8", price=None, tat=240,
         critical=(None, 1000), plausible=(10, 10000), delta=None,
         ranges=[(None, 0, 10 * YEAR, None, 75), (None, 10 * YEAR, 20 * YEAR, None, 90),
                 (None, 20 * YEAR, None, None, 150)]),
    dict(code="HDL", en="HDL cholesterol", hi="एचडीएल कोलेस्ट्रॉल", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL", method="Direct enzymatic",
         type="numeric", decimals=0, loinc="2085-9", price=None, tat=240,
         critical=(None, None), plausible=(2, 200), delta=None,
         ranges=[(None, 0, 20 * YEAR, 40, None), ("M", 20 * YEAR, None, 40, None),
                 ("F", 20 * YEAR, None, 50, None)]),
    dict(code="LDL", en="LDL cholesterol", hi="एलडीएल कोलेस्ट्रॉल", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL",
         method="Calculated (Friedewald); not valid if TG > 400", type="numeric",
         decimals=0, loinc="13457-7", price=None, tat=240,
         critical=(None, None), plausible=(0, 600), delta=None,
         ranges=[(None, 0, 20 * YEAR, None, 110), (None, 20 * YEAR, None, None, 130)]),
    dict(code="VLDL", en="VLDL cholesterol", hi="वीएलडीएल कोलेस्ट्रॉल", section="biochemistry",
         sample="blood", container="plain", unit="mg/dL", method="Calculated (TG / 5)",
         type="numeric", decimals=0, loinc="13458-5", price=None, tat=240,
         critical=(None, None), plausible=(0, 400), delta=None,
         ranges=[(None, 0, None, None, 30)]),
    dict(code="TFT", en="Thyroid function test (T3, T4, TSH)",
         hi="थायराइड फंक्शन टेस्ट (टी3, टी4, टीएसएच)", section="biochemistry", sample="blood",
         container="plain", unit=None, method="CLIA / ELISA", type="panel", decimals=0,
         loinc=None, price="250.00", tat=1440),
    dict(code="T3", en="Total T3 (triiodothyronine)", hi="टोटल टी3 (ट्राईआयोडोथायरोनिन)",
         section="biochemistry", sample="blood", container="plain", unit="ng/dL",
         method="CLIA / ELISA", type="numeric", decimals=0, loinc="3053-6", price=None,
         tat=1440,
         critical=(None, None), plausible=(10, 1000), delta=None,
         ranges=[(None, 0, 1 * YEAR, 105, 245), (None, 1 * YEAR, 12 * YEAR, 94, 269),
                 (None, 12 * YEAR, None, 80, 200)]),
    dict(code="T4", en="Total T4 (thyroxine)", hi="टोटल टी4 (थायरॉक्सिन)", section="biochemistry",
         sample="blood", container="plain", unit="µg/dL", method="CLIA / ELISA",
         type="numeric", decimals=1, loinc="3026-2", price=None, tat=1440,
         critical=(None, None), plausible=(0.5, 40.0), delta=None,
         ranges=[(None, 0, 7 * DAY, 11.0, 21.5), (None, 7 * DAY, 1 * MONTH, 8.2, 16.6),
                 (None, 1 * MONTH, 1 * YEAR, 5.9, 16.3), (None, 1 * YEAR, 12 * YEAR, 6.4, 15.0),
                 (None, 12 * YEAR, None, 5.1, 14.1)]),
    dict(code="TSH", en="TSH (thyroid)", hi="टीएसएच (थायराइड)", section="biochemistry",
         sample="blood", container="plain", unit="µIU/mL", method="CLIA / ELISA",
         type="numeric", decimals=2, loinc="3016-3", price="100.00", tat=1440,
         critical=(None, None), plausible=(0.0, 500.0), delta=None,
         # Newborn TSH surge in the first week; pregnancy needs trimester-specific limits
         # (not encoded here).
         ranges=[(None, 0, 7 * DAY, 1.00, 39.00), (None, 7 * DAY, 5 * MONTH, 1.70, 9.10),
                 (None, 5 * MONTH, 12 * YEAR, 0.70, 6.40), (None, 12 * YEAR, None, 0.40, 4.50)]),

    # ------------------------------------------------------------ clinical pathology
    dict(code="URINE-R", en="Urine routine and microscopy", hi="मूत्र की सामान्य जाँच",
         section="clinical_pathology", sample="urine", container="urine", unit=None,
         method="Physical, chemical (strip) and microscopic examination", type="panel",
         decimals=0, loinc="24356-8", price="10.00", tat=120),
    dict(code="U-COLOUR", en="Colour", hi="रंग", section="clinical_pathology", sample="urine",
         container="urine", unit=None, method="Visual", type="choice", loinc="5778-6",
         price=None, tat=120,
         choices=["Pale yellow", "Colourless", "Dark yellow", "Amber", "Red", "Brown",
                  "Milky", "Greenish"], normal="Pale yellow"),
    dict(code="U-APPEAR", en="Appearance", hi="दिखावट", section="clinical_pathology",
         sample="urine", container="urine", unit=None, method="Visual", type="choice",
         loinc="5767-9", price=None, tat=120,
         choices=["Clear", "Slightly turbid", "Turbid"], normal="Clear"),
    dict(code="U-PH", en="Reaction (pH)", hi="पीएच (रिएक्शन)", section="clinical_pathology",
         sample="urine", container="urine", unit=None, method="Reagent strip", type="numeric",
         decimals=1, loinc="5803-2", price=None, tat=120,
         critical=(None, None), plausible=(4.0, 9.0), delta=None,
         ranges=[(None, 0, None, 4.5, 8.0)]),
    dict(code="U-SG", en="Specific gravity", hi="विशिष्ट गुरुत्व (स्पेसिफिक ग्रैविटी)",
         section="clinical_pathology", sample="urine", container="urine", unit=None,
         method="Reagent strip", type="numeric", decimals=3, loinc="5811-5", price=None,
         tat=120,
         critical=(None, None), plausible=(1.000, 1.060), delta=None,
         ranges=[(None, 0, 1 * MONTH, 1.001, 1.020), (None, 1 * MONTH, None, 1.005, 1.030)]),
    dict(code="U-ALB", en="Albumin (protein)", hi="एल्ब्यूमिन (प्रोटीन)",
         section="clinical_pathology", sample="urine", container="urine", unit=None,
         method="Reagent strip / heat and acetic acid", type="choice", loinc="20454-5",
         price=None, tat=120, choices=_GRADES, normal="Nil"),
    dict(code="U-SUGAR", en="Sugar", hi="शुगर (शर्करा)", section="clinical_pathology",
         sample="urine", container="urine", unit=None, method="Reagent strip / Benedict's test",
         type="choice", loinc="25428-4", price=None, tat=120, choices=_GRADES, normal="Nil"),
    dict(code="U-KET", en="Ketone bodies", hi="कीटोन बॉडीज़", section="clinical_pathology",
         sample="urine", container="urine", unit=None, method="Reagent strip / Rothera's test",
         type="choice", loinc="2514-8", price=None, tat=120,
         choices=["Absent", "Trace", "1+", "2+", "3+"], normal="Absent"),
    dict(code="U-BILE", en="Bile pigments", hi="पित्त वर्णक (बाइल पिगमेंट)",
         section="clinical_pathology", sample="urine", container="urine", unit=None,
         method="Fouchet's test / reagent strip", type="choice", loinc="5770-3", price=None,
         tat=120, choices=_ABS_PRES, normal="Absent"),
    dict(code="U-BSALT", en="Bile salts", hi="पित्त लवण (बाइल साल्ट)",
         section="clinical_pathology", sample="urine", container="urine", unit=None,
         method="Hay's sulphur test", type="choice", loinc=None, price=None, tat=120,
         choices=_ABS_PRES, normal="Absent"),
    dict(code="U-PUS", en="Pus cells", hi="पस सेल (मवाद कोशिकाएँ)", section="clinical_pathology",
         sample="urine", container="urine", unit="/hpf", method="Microscopy of centrifuged deposit",
         type="text", loinc="5821-4", price=None, tat=120, normal="0-5"),
    dict(code="U-RBC", en="Red blood cells", hi="लाल रक्त कोशिकाएँ (आरबीसी)",
         section="clinical_pathology", sample="urine", container="urine", unit="/hpf",
         method="Microscopy of centrifuged deposit", type="text", loinc="13945-1",
         price=None, tat=120, normal="0-2"),
    dict(code="U-EPI", en="Epithelial cells", hi="एपिथीलियल सेल", section="clinical_pathology",
         sample="urine", container="urine", unit="/hpf", method="Microscopy of centrifuged deposit",
         type="text", loinc="5787-7", price=None, tat=120, normal="0-5"),
    dict(code="U-CAST", en="Casts", hi="कास्ट", section="clinical_pathology", sample="urine",
         container="urine", unit=None, method="Microscopy of centrifuged deposit", type="text",
         loinc=None, price=None, tat=120, normal="Nil"),
    dict(code="U-CRYST", en="Crystals", hi="क्रिस्टल", section="clinical_pathology",
         sample="urine", container="urine", unit=None, method="Microscopy of centrifuged deposit",
         type="text", loinc=None, price=None, tat=120, normal="Nil"),
    dict(code="UPT", en="Urine pregnancy test (UPT)", hi="मूत्र गर्भावस्था जाँच (यूपीटी)",
         section="clinical_pathology", sample="urine", container="urine", unit=None,
         method="Rapid hCG card (immunochromatography)", type="choice", loinc="2106-3",
         price="20.00", tat=30,
         # A positive test is not "abnormal": nothing is flagged.
         choices=_NEG_POS, normal=None),
    dict(code="STOOL-R", en="Stool routine and microscopy", hi="मल की सामान्य जाँच",
         section="clinical_pathology", sample="stool", container="stool", unit=None,
         method="Physical and microscopic (saline and iodine mount)", type="panel",
         decimals=0, loinc=None, price="10.00", tat=120),
    dict(code="S-COLOUR", en="Colour", hi="रंग", section="clinical_pathology", sample="stool",
         container="stool", unit=None, method="Visual", type="choice", loinc=None, price=None,
         tat=120,
         choices=["Brown", "Yellow", "Green", "Black", "Clay-coloured", "Red"], normal="Brown"),
    dict(code="S-CONSIST", en="Consistency", hi="गाढ़ापन", section="clinical_pathology",
         sample="stool", container="stool", unit=None, method="Visual", type="choice",
         loinc=None, price=None, tat=120,
         choices=["Formed", "Semi-formed", "Soft", "Loose", "Watery", "Hard"], normal="Formed"),
    dict(code="S-MUCUS", en="Mucus", hi="आँव (म्यूकस)", section="clinical_pathology",
         sample="stool", container="stool", unit=None, method="Visual", type="choice",
         loinc=None, price=None, tat=120, choices=_ABS_PRES, normal="Absent"),
    dict(code="S-OVA", en="Ova and cysts", hi="कृमि के अंडे व सिस्ट (ओवा/सिस्ट)",
         section="clinical_pathology", sample="stool", container="stool", unit=None,
         method="Saline and iodine wet mount", type="text", loinc="10704-5", price=None,
         tat=120, normal="Not seen"),
    dict(code="S-PUS", en="Pus cells", hi="पस सेल (मवाद कोशिकाएँ)", section="clinical_pathology",
         sample="stool", container="stool", unit="/hpf", method="Saline wet mount", type="text",
         loinc=None, price=None, tat=120, normal="Nil"),
    dict(code="S-RBC", en="Red blood cells", hi="लाल रक्त कोशिकाएँ (आरबीसी)",
         section="clinical_pathology", sample="stool", container="stool", unit="/hpf",
         method="Saline wet mount", type="text", loinc=None, price=None, tat=120, normal="Nil"),
    dict(code="S-OCCULT", en="Occult blood", hi="गुप्त रक्त (ऑकल्ट ब्लड)",
         section="clinical_pathology", sample="stool", container="stool", unit=None,
         method="Guaiac or immunochemical card test", type="choice", loinc="2335-8",
         price=None, tat=120, choices=_NEG_POS, normal="Negative"),

    # -------------------------------------------------------------------- serology
    dict(code="MP-RDT", en="Malaria antigen (rapid test)", hi="मलेरिया जाँच (रैपिड टेस्ट)",
         section="serology", sample="blood", container="edta", unit=None,
         method="Rapid immunochromatography (bivalent Pf/Pv)", type="choice", loinc=None,
         price="30.00", tat=30,
         choices=["Negative", "P. falciparum positive", "P. vivax positive",
                  "Mixed (Pf + Pv) positive"], normal="Negative"),
    dict(code="WIDAL", en="Widal test", hi="विडाल टेस्ट", section="serology", sample="blood",
         container="plain", unit=None, method="Slide / tube agglutination", type="panel",
         decimals=0, loinc=None, price="30.00", tat=120),
    # Titres significant in an endemic area: O from 1:80, H from 1:160.
    dict(code="WIDAL-TO", en="S. Typhi O (TO)", hi="एस. टाइफी 'ओ' (टीओ)", section="serology",
         sample="blood", container="plain", unit=None, method="Slide / tube agglutination",
         type="titre", loinc=None, price=None, tat=120,
         choices=_WIDAL_TITRES, normal=["<1:20", "1:20", "1:40"]),
    dict(code="WIDAL-TH", en="S. Typhi H (TH)", hi="एस. टाइफी 'एच' (टीएच)", section="serology",
         sample="blood", container="plain", unit=None, method="Slide / tube agglutination",
         type="titre", loinc=None, price=None, tat=120,
         choices=_WIDAL_TITRES, normal=["<1:20", "1:20", "1:40", "1:80"]),
    dict(code="WIDAL-AH", en="S. Paratyphi A H (AH)", hi="एस. पैराटाइफी 'ए' एच (एएच)",
         section="serology", sample="blood", container="plain", unit=None,
         method="Slide / tube agglutination", type="titre", loinc=None, price=None, tat=120,
         choices=_WIDAL_TITRES, normal=["<1:20", "1:20", "1:40", "1:80"]),
    dict(code="WIDAL-BH", en="S. Paratyphi B H (BH)", hi="एस. पैराटाइफी 'बी' एच (बीएच)",
         section="serology", sample="blood", container="plain", unit=None,
         method="Slide / tube agglutination", type="titre", loinc=None, price=None, tat=120,
         choices=_WIDAL_TITRES, normal=["<1:20", "1:20", "1:40", "1:80"]),
    dict(code="TYPHI-IGM", en="Typhoid IgM antibody (rapid)", hi="टाइफाइड आईजीएम (रैपिड टेस्ट)",
         section="serology", sample="blood", container="plain", unit=None,
         method="Rapid immunochromatography (IgM)", type="choice", loinc=None,
         price="100.00", tat=60, choices=_NEG_POS, normal="Negative"),
    dict(code="DENGUE", en="Dengue NS1 antigen", hi="डेंगू एनएस1 एंटीजन", section="serology",
         sample="blood", container="plain", unit=None,
         method="Rapid immunochromatography (card)", type="choice", loinc=None,
         price="150.00", tat=60, choices=_NEG_POS, normal="Negative"),
    dict(code="HBSAG", en="Hepatitis B (HBsAg)", hi="हेपेटाइटिस बी (एचबीएसएजी)",
         section="serology", sample="blood", container="plain", unit=None,
         method="Rapid immunochromatography (card)", type="choice", loinc="5196-1",
         price="50.00", tat=60, choices=_NR_R, normal="Non-reactive"),
    dict(code="HCV", en="Hepatitis C antibody (anti-HCV)", hi="हेपेटाइटिस सी (एंटी-एचसीवी)",
         section="serology", sample="blood", container="plain", unit=None,
         method="Rapid immunochromatography (card)", type="choice", loinc="16128-1",
         price="50.00", tat=60, choices=_NR_R, normal="Non-reactive"),
    dict(code="HIV", en="HIV 1 and 2 antibodies", hi="एचआईवी 1 व 2 जाँच", section="serology",
         sample="blood", container="plain", unit=None,
         method="Rapid test (NACO); reactive sample referred to ICTC", type="choice",
         loinc="31201-7", price="0.00", tat=60, choices=_NR_R, normal="Non-reactive"),
    dict(code="VDRL", en="VDRL / RPR (syphilis)", hi="वीडीआरएल (सिफलिस जाँच)", section="serology",
         sample="blood", container="plain", unit=None, method="RPR card test (qualitative)",
         type="choice", loinc="20507-0", price="20.00", tat=60,
         choices=_NR_R, normal="Non-reactive"),
    dict(code="CRP", en="C-reactive protein (CRP)", hi="सी-रिएक्टिव प्रोटीन (सीआरपी)",
         section="serology", sample="blood", container="plain", unit="mg/L",
         method="Latex-enhanced immunoturbidimetry", type="numeric", decimals=1,
         loinc="1988-5", price="100.00", tat=240,
         critical=(None, None), plausible=(0.0, 500.0), delta=None,
         ranges=[(None, 0, None, None, 6.0)]),
    dict(code="RA", en="RA factor", hi="आरए फैक्टर", section="serology", sample="blood",
         container="plain", unit=None, method="Latex agglutination (slide), cut-off 8 IU/mL",
         type="choice", loinc=None, price="50.00", tat=120, choices=_NEG_POS, normal="Negative"),
    dict(code="ASO", en="ASO titre (anti-streptolysin O)", hi="एएसओ टाइटर", section="serology",
         sample="blood", container="plain", unit=None,
         method="Latex agglutination (slide), cut-off 200 IU/mL", type="choice", loinc=None,
         price="50.00", tat=120, choices=_NEG_POS, normal="Negative"),

    # ---------------------------------------------------------------- microbiology
    dict(code="AFB", en="Sputum for AFB", hi="बलगम जाँच (एएफबी)", section="microbiology",
         sample="sputum", container="sputum", unit=None,
         method="Ziehl-Neelsen stain (NTEP grading)", type="choice", loinc="11545-1",
         price="0.00", tat=1440,
         # NTEP grading; for "Scanty" the number of bacilli seen goes in the remark.
         choices=["Negative", "Scanty", "1+", "2+", "3+"], normal="Negative"),
]

PANELS = {
    "CBC": ["HB", "TLC", "NEUT", "LYMPH", "MONO", "EOS", "BASO", "RBC", "PCV", "MCV", "MCH",
            "MCHC", "RDW-CV", "PLT"],
    "LFT": ["TBIL", "DBIL", "IBIL", "AST", "ALT", "ALP", "TP", "ALB", "GLOB", "AGR"],
    "KFT": ["UREA", "CREAT", "URIC", "SODIUM", "POTASSIUM", "CHLORIDE"],
    "LIPID": ["CHOL", "TG", "HDL", "LDL", "VLDL"],
    "TFT": ["T3", "T4", "TSH"],
    "PT-INR": ["PT", "INR"],
    "BT-CT": ["BT", "CT"],
    "URINE-R": ["U-COLOUR", "U-APPEAR", "U-PH", "U-SG", "U-ALB", "U-SUGAR", "U-KET", "U-BILE",
                "U-BSALT", "U-PUS", "U-RBC", "U-EPI", "U-CAST", "U-CRYST"],
    "STOOL-R": ["S-COLOUR", "S-CONSIST", "S-MUCUS", "S-OVA", "S-PUS", "S-RBC", "S-OCCULT"],
    "WIDAL": ["WIDAL-TO", "WIDAL-TH", "WIDAL-AH", "WIDAL-BH"],
}


if __name__ == "__main__":   # self-check: python3 app/lab/catalogue.py
    import re
    from collections import Counter

    EXISTING = [
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
    SECTIONS = {"haematology", "biochemistry", "clinical_pathology", "serology", "microbiology",
                "histopathology"}
    SAMPLES = {"blood", "urine", "stool", "sputum", "swab", "fluid", "tissue"}
    CONTAINERS = {"edta", "plain", "fluoride", "citrate", "urine", "stool", "sputum", "swab"}
    COMMON = {"code", "en", "hi", "section", "sample", "container", "unit", "method", "type",
              "loinc", "price", "tat"}
    KEYS = {"numeric": COMMON | {"decimals", "critical", "plausible", "delta", "ranges"},
            "choice": COMMON | {"choices", "normal"}, "titre": COMMON | {"choices", "normal"},
            "text": COMMON | {"normal"}, "panel": COMMON | {"decimals"}}
    END = 120 * YEAR

    def loinc_ok(code):
        """LOINC check digit: Luhn (mod 10) over the number part."""
        number, check = code.split("-")
        total = 0
        for i, ch in enumerate(reversed(number)):
            d = int(ch) * (2 if i % 2 == 0 else 1)
            total += d // 10 + d % 10
        return (10 - total % 10) % 10 == int(check)

    def fits(value, decimals):
        return value is None or round(value, decimals) == value

    by_code = {}
    for t in CATALOGUE:
        c = t["code"]
        assert c not in by_code, f"duplicate code {c}"
        by_code[c] = t
        assert re.fullmatch(r"[A-Z0-9-]{1,20}", c), c
        assert set(t) == KEYS[t["type"]], (c, set(t) ^ KEYS[t["type"]])
        assert 0 < len(t["en"]) <= 150 and 0 < len(t["hi"]) <= 150, c
        assert re.search("[\u0900-\u097f]", t["hi"]), f"{c}: Hindi name not in Devanagari"
        assert t["section"] in SECTIONS and t["sample"] in SAMPLES, c
        assert t["container"] in CONTAINERS, c
        assert t["unit"] is None or (isinstance(t["unit"], str) and 0 < len(t["unit"]) <= 20), c
        assert isinstance(t["method"], str) and 0 < len(t["method"]) <= 60, (c, len(t["method"]))
        assert isinstance(t["tat"], int) and t["tat"] > 0, c
        assert t["price"] is None or re.fullmatch(r"\d+\.\d\d", t["price"]), c
        if t["loinc"] is not None:
            assert re.fullmatch(r"\d{1,7}-\d", t["loinc"]) and loinc_ok(t["loinc"]), (c, t["loinc"])
        kind = t["type"]
        if kind == "numeric":
            dec = t["decimals"]
            assert isinstance(dec, int) and 0 <= dec <= 3, c
            crit, plaus, delta = t["critical"], t["plausible"], t["delta"]
            assert len(crit) == 2 and len(plaus) == 2, c
            assert None not in plaus and plaus[0] < plaus[1], c
            assert delta is None or delta > 0, c
            for lim in crit:
                assert lim is None or plaus[0] <= lim <= plaus[1], f"{c}: critical outside plausible"
            if None not in crit:
                assert crit[0] < crit[1], c
            assert t["ranges"], f"{c}: numeric test without a reference range"
            for sex, start, stop, low, high in t["ranges"]:
                assert sex in (None, "M", "F"), c
                assert isinstance(start, int) and start >= 0, c
                assert stop is None or (isinstance(stop, int) and stop > start), c
                assert low is not None or high is not None, c
                assert low is None or high is None or low < high, c
                assert fits(low, dec) and fits(high, dec), f"{c}: range finer than {dec} decimals"
                for v in (low, high):
                    if v is not None:
                        assert plaus[0] <= v <= plaus[1], f"{c}: range outside plausible"
                assert crit[0] is None or low is None or crit[0] <= low, f"{c}: critical low above range"
                assert crit[1] is None or high is None or crit[1] >= high, f"{c}: critical high below range"
            for sex in ("M", "F"):  # every age 0..120 years covered once, no gap, no overlap
                bands = sorted((s, e) for x, s, e, _, _ in t["ranges"] if x in (None, sex))
                at = 0
                for start, stop in bands:
                    assert start == at, f"{c} {sex}: gap or overlap at day {at}"
                    at = END + 1 if stop is None else stop
                assert at > END and bands[-1][1] is None, f"{c} {sex}: ages not covered to the end"
        elif kind in ("choice", "titre"):
            ch = t["choices"]
            assert 1 <= len(ch) <= 12 and len(set(ch)) == len(ch), c
            assert all(isinstance(x, str) and 0 < len(x) <= 30 for x in ch), c
            if kind == "choice":
                assert t["normal"] is None or t["normal"] in ch, c
            else:
                assert all(re.fullmatch(r"<?1:\d+", x) for x in ch), c
                assert t["normal"] and set(t["normal"]) <= set(ch), c
                assert ch[:len(t["normal"])] == t["normal"], f"{c}: normal titres not the lowest"
        elif kind == "text":
            assert t["normal"] is None or isinstance(t["normal"], str), c
        elif kind == "panel":
            assert t["unit"] is None and t["decimals"] == 0 and t["price"] is not None, c
            assert c in PANELS, f"{c}: panel without members"
        else:
            raise AssertionError(f"{c}: unknown type {kind}")

    members = Counter()
    for panel, codes in PANELS.items():
        p = by_code[panel]
        assert p["type"] == "panel", panel
        assert codes and len(set(codes)) == len(codes), panel
        for m in codes:
            assert m in by_code, f"{panel}: unknown member {m}"
            t = by_code[m]
            assert t["type"] != "panel", f"{panel}: nested panel {m}"
            for key in ("section", "sample", "container"):
                assert t[key] == p[key], f"{panel}/{m}: {key} differs from the panel"
            members[m] += 1
    for t in CATALOGUE:
        if t["price"] is None:
            assert members[t["code"]], f"{t['code']}: neither orderable nor in a panel"

    for code, en, hi, section, sample, price in EXISTING:
        t = by_code[code]
        assert (t["en"], t["hi"], t["section"], t["sample"], t["price"]) == \
            (en, hi, section, sample, price), f"existing test {code} changed"
    assert "CREAT" in PANELS["KFT"] and "HB" in PANELS["CBC"] and "TSH" in PANELS["TFT"]
    assert all(by_code[c]["price"] for c in ("CREAT", "HB", "TSH"))

    orderable = [t for t in CATALOGUE if t["price"] is not None]
    print(f"{len(CATALOGUE)} entries: {len(orderable)} orderable "
          f"({len(PANELS)} panels), {len(CATALOGUE) - len(orderable)} panel-only analytes; "
          f"{sum(1 for t in CATALOGUE if t['loinc'])} with LOINC")
    print("by section:", dict(Counter(t["section"] for t in CATALOGUE)))
    print("by type:   ", dict(Counter(t["type"] for t in CATALOGUE)))
    print("in two places (orderable and in a panel):",
          sorted(c for c in members if by_code[c]["price"] is not None))
    print("OK")
