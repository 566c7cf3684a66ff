"""Consents: what for, who signed (the patient or a relative), when, the witness; printed
as the bilingual form that is signed; a consent with no signer, no witness or (for a
procedure) nothing consented to is refused naming the field."""
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.ipd.models import Consent

CONSENT = {"kind": "transfusion", "procedure": "Two units of packed red cells",
           "risks": "Fever, allergic reaction, rarely infection", "signed_by": "Sita Devi",
           "relation": "spouse", "witness": "Ramesh Thakur"}


def _consents(app, admission_id):
    with app.app_context():
        return db.session.execute(select(Consent).where(
            Consent.admission_id == admission_id)).scalars().all()


def test_a_consent_is_recorded_and_printed(app, as_user, admitted):
    admission_id = admitted()
    nurse = as_user("nurse.dhr")
    resp = nurse.post(f"/ipd/consent/{admission_id}", data=CONSENT)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#consents")
    consent, = _consents(app, admission_id)
    assert (consent.kind, consent.relation, consent.explained_by_id is not None) == \
        ("transfusion", "spouse", True)
    page = as_user("nurse.dhr", lang="hi").get(f"/ipd/admission/{admission_id}")
    assert "रक्त चढ़ाना" in page.get_data(as_text=True)
    pdf = nurse.get(f"/print/consent/{consent.id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    for words in ("CONSENT FORM", "Two units of packed red cells", "Sita Devi",
                  "Ramesh Thakur", "free will"):
        assert words in text, words
    other = admitted("RNC")
    assert nurse.post(f"/ipd/consent/{other}", data=CONSENT).status_code == 404


@pytest.mark.parametrize("over, field, message", [
    ({"signed_by": " "}, "signed_by", "name of the person who signed"),
    ({"witness": ""}, "witness", "name of the witness"),
    ({"procedure": ""}, "procedure", "consented to"),
    ({"relation": "neighbour"}, "relation", "Choose who signed"),
    ({"kind": "anything"}, "kind", "what the consent is for"),
    ({"signed_at": "01-01-2020 10:00"}, "signed_at", "around the stay"),
])
def test_a_consent_without_a_signer_is_refused(app, as_user, admitted, over, field, message):
    admission_id = admitted()
    resp = as_user("nurse.dhr").post(f"/ipd/consent/{admission_id}", data={**CONSENT, **over})
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _consents(app, admission_id) == []


def test_the_general_consent_needs_no_procedure(app, as_user, admitted):
    admission_id = admitted()
    resp = as_user("clerk.dhr").post(f"/ipd/consent/{admission_id}", data={
        **CONSENT, "kind": "admission", "procedure": "", "relation": "self",
        "signed_by": "Ramesh Kumar"})
    assert resp.status_code == 302 and len(_consents(app, admission_id)) == 1
