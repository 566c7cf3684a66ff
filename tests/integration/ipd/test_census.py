"""The ward census counts what the bed stays say: who was in each ward at each midnight,
who came (admitted or moved in), who left and how, with occupancy and length of stay;
a cancelled admission counts nowhere; a bad range is refused naming the field."""
import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.core.formatting import IST
from app.core.models import Facility
from app.extensions import db
from app.ipd import census
from app.ipd import deaths
from app.ipd import services as ipd
from app.ipd.models import Admission, Bed


def at(day, hour=10):
    return datetime(2026, 11, day, hour, tzinfo=IST)


def test_the_census_matches_the_stays(app, new_ward, new_patient, medicine):
    medical = new_ward(beds=4)
    icu = new_ward(beds=2)
    patients = [new_patient(gender="M") for _ in range(4)]
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User
        dhr = db.session.execute(select(Facility).where(Facility.code == "DHR")).scalar_one()
        doctor = db.session.execute(select(User).where(User.username == "doctor.dhr")).scalar()
        dept = medicine()
        # A: in 10-11 (two midnights in the medical ward), home on the 12th.
        a = ipd.admit(dhr, patients[0], {"department": dept, "bed": medical[0]}, None,
                      now=at(10, 9))
        ipd.discharge(a, {"discharge_type": "recovered"}, None, now=at(12, 9))
        # B: admitted the 10th evening, moved to the ICU on the 11th, died there the 12th.
        b = ipd.admit(dhr, patients[1], {"department": dept, "bed": medical[1]}, None,
                      now=at(10, 20))
        ipd.transfer(b, icu[0], "Needs ventilation", None, now=at(11, 12))
        deaths.record_death(db.session.get(Admission, b.id), {
            "died_at": at(12, 3), "cause_a": "Respiratory failure", "underlying": "J18.9",
            "manner": "natural"}, doctor, now=at(12, 8))
        # C: still in, admitted the 11th; D: admitted the 11th in error, cancelled.
        ipd.admit(dhr, patients[2], {"department": dept, "bed": medical[2]}, None,
                  now=at(11, 15))
        d = ipd.admit(dhr, patients[3], {"department": dept, "bed": medical[3]}, None,
                      now=at(11, 16))
        d.status = "cancelled"
        db.session.commit()
        ward_of = {b_id: db.session.get(Bed, b_id).ward_id for b_id in (medical[0], icu[0])}
        result = census.census(dhr.id, date(2026, 11, 10), date(2026, 11, 12))
        rows = {w.id: r for w, r in result["wards"]}
        heads = result["midnights"]
    med, intensive = rows[ward_of[medical[0]]], rows[ward_of[icu[0]]]
    # Midnights ending the 10th, 11th, 12th: medical A+B, A+C, C; ICU -, B, -.
    assert heads[ward_of[medical[0]]] == [2, 2, 1]
    assert heads[ward_of[icu[0]]] == [0, 1, 0]
    assert (med.patient_days, med.admissions, med.transfers_out, med.transfers_in) == \
        (5, 3, 1, 0)
    assert (intensive.patient_days, intensive.admissions, intensive.transfers_in) == (1, 0, 1)
    assert med.discharges["recovered"] == 1 and intensive.discharges["death"] == 1
    assert med.alos == 2.0  # A: the 10th 9:00 to the 12th 9:00
    assert med.occupancy(3) == round(100 * 5 / (4 * 3), 1)


@pytest.mark.parametrize("query, field, message", [
    ("from=12-11-2026&to=10-11-2026", "to", "before the first"),
    ("from=01-01-2099&to=02-01-2099", "to", "days still to come"),
    ("from=01-01-2024&to=31-12-2025", "to", "At most 366 days"),
    ("from=31-02-2026", "from", "dd-mm-yyyy"),
])
def test_a_bad_range_is_refused_naming_it(as_user, query, field, message):
    resp = as_user("nurse.dhr").get(f"/ipd/census/?{query}")
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert as_user("nurse.dhr").get(f"/print/census?{query}").status_code == 422


def test_the_census_page_and_its_print(as_user):
    nurse = as_user("nurse.dhr", lang="hi")
    page = nurse.get("/ipd/census/?from=01-11-2026&to=30-11-2026")
    assert page.status_code == 200 and "बिस्तर उपयोग %" in page.get_data(as_text=True)
    pdf = nurse.get("/print/census?from=01-11-2026&to=30-11-2026")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "WARD CENSUS" in text and "30 " in text and "Bed occupancy" in text
