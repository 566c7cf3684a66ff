"""A referral, a LAMA and an absconding each end the stay with their own form's fields,
checked with the discharge (nothing saved when one is missing) and printed in both
languages."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.core.formatting import IST
from app.core.models import utcnow
from app.extensions import db
from app.ipd.models import Admission, DepartureRecord


def _local(value) -> str:
    return value.astimezone(IST).strftime("%d-%m-%Y %H:%M")


REFERRAL = {"discharge_type": "referred", "referred_to": "IGMC Shimla",
            "reason": "Head injury: needs CT and a neurosurgeon", "condition": "GCS 13, stable",
            "transport": "108", "accompanied_by": "Staff nurse Anita"}
LAMA = {"discharge_type": "lama", "lama_reason": "Wants treatment nearer home",
        "risks_explained": "Fever may return; infection may spread", "signed_by": "Mohan Lal",
        "relation": "child", "witness": "Ward sister Kamla"}


def _absconded():
    return {"discharge_type": "absconded", "last_seen_at": _local(utcnow() - timedelta(hours=3)),
            "search_made": "Ward, toilets and campus searched", "police_informed": "1",
            "police_station": "PS Kotwali", "relatives_informed": "1"}


@pytest.mark.parametrize("form, words", [
    (REFERRAL, ("REFERRAL SLIP", "IGMC Shimla", "needs CT", "108")),
    (LAMA, ("AGAINST MEDICAL ADVICE", "Mohan Lal", "Ward sister Kamla", "infection may spread")),
    (None, ("ABSCONDING REPORT", "campus searched", "PS Kotwali")),
])
def test_each_departure_has_its_form_and_paper(app, as_user, admitted, form, words):
    admission_id = admitted(days_ago=1)
    form = form or _absconded()
    nurse = as_user("nurse.dhr")
    assert nurse.post(f"/ipd/admission/{admission_id}/discharge", data=form).status_code == 302
    with app.app_context():
        admission = db.session.get(Admission, admission_id)
        record = db.session.execute(select(DepartureRecord).where(
            DepartureRecord.admission_id == admission_id)).scalar_one()
        assert (admission.status, admission.discharge_type, record.kind) == \
            ("discharged", form["discharge_type"], form["discharge_type"])
        assert admission.discharge_note  # the lists and slips show why
    pdf = nurse.get(f"/print/departure/{admission_id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    for word in words:
        assert word in text, word


@pytest.mark.parametrize("form, field, message", [
    ({**REFERRAL, "referred_to": ""}, "referred_to", "facility the patient is referred to"),
    ({**REFERRAL, "reason": ""}, "reason", "why the patient is referred"),
    ({**REFERRAL, "transport": "cart"}, "transport", "allowed choices"),
    ({**LAMA, "signed_by": ""}, "signed_by", "who signed the LAMA form"),
    ({**LAMA, "witness": ""}, "witness", "name of the witness"),
    ({**LAMA, "relation": ""}, "relation", "Choose who signed"),
    ({"discharge_type": "absconded", "search_made": "Ward"}, "last_seen_at",
     "when the patient was last seen"),
    ({"discharge_type": "absconded", "search_made": "Ward", "last_seen_at": "01-01-2020 10:00"},
     "last_seen_at", "during the stay"),
    ({"discharge_type": "absconded", "last_seen_at": "", "search_made": ""}, "search_made",
     "what search was made"),
])
def test_a_departure_without_its_form_is_refused(app, as_user, admitted, form, field, message):
    admission_id = admitted(days_ago=1)
    resp = as_user("nurse.dhr").post(f"/ipd/admission/{admission_id}/discharge", data=form)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Admission, admission_id).status == "admitted"
        assert db.session.execute(select(DepartureRecord).where(
            DepartureRecord.admission_id == admission_id)).first() is None
