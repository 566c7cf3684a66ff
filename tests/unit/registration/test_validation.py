"""Bad input at registration: each refused with a message naming the field."""
from datetime import date

import pytest

from app.registration.validation import clean_patient, format_abha, luhn_ok

TODAY = date(2026, 11, 29)


@pytest.fixture
def facility_id(app):
    from app.core.models import Facility
    from app.extensions import db
    with app.app_context():
        return db.session.query(Facility).filter_by(code="DHR").one().id


@pytest.fixture
def check(app, facility_id):
    def run(lang="en", **over):
        data = {"name": "Ram Kumar", "gender": "M", "age_years": "45"}
        data.update(over)
        with app.test_request_context(f"/?_l_={lang}"):
            values, errors, warnings = clean_patient(data, facility_id, TODAY)
            return values, {k: str(v) for k, v in errors.items()}, [str(w) for w in warnings]
    return run


def test_good_input_with_age_gives_estimated_dob(check):
    values, errors, _ = check()
    assert errors == {}
    assert values["dob"] == date(1981, 11, 29) and values["dob_estimated"] is True


def test_infant_age_in_months_and_days(check):
    values, errors, _ = check(age_years="", age_months="3", age_days="10")
    assert errors == {} and values["dob"] == date(2026, 8, 19)


@pytest.mark.parametrize("field,value,error_field,text", [
    ("mobile", "12345", "mobile", "10 digits"),
    ("mobile", "5123456789", "mobile", "6, 7, 8 or 9"),
    ("pin_code", "17621", "pin_code", "6 digits"),
    ("dob", "01-01-2030", "dob", "future"),
    ("dob", "31-02-1990", "dob", "dd-mm-yyyy"),
    ("age_years", "130", "age_years", "120"),
    ("age_years", "-3", "age_years", "negative"),
    ("name", "", "name", "required"),
    ("name", "12345", "name", "letters"),
    ("name", "x" * 101, "name", "100"),
    ("abha_number", "1234567890", "abha_number", "14 digits"),
    ("aadhaar_last4", "123456789012", "aadhaar_last4", "last 4"),
    ("abha_address", "1ram@abdm", "abha_address", "name@abdm"),
    ("gender", "X", "gender", "male"),
    ("guardian_relation", "XX", "guardian_relation", "S/o"),
])
def test_bad_input_is_refused(check, field, value, error_field, text):
    _, errors, _ = check(**{field: value})
    assert error_field in errors and text in errors[error_field], errors


def test_dob_and_age_contradicting(check):
    _, errors, _ = check(dob="01-01-2000", age_years="60")
    assert "do not agree" in errors["dob"]


def test_messages_in_hindi(check):
    _, errors, _ = check(lang="hi", mobile="12345", name="")
    assert "मोबाइल" in errors["mobile"] and "नाम" in errors["name"]


def test_mobile_normalised_and_aadhaar_kept_to_four(check):
    values, errors, _ = check(mobile="+91 98160 12345", aadhaar_last4="4321")
    assert errors == {} and values["mobile"] == "9816012345" and values["aadhaar_last4"] == "4321"


def test_abha_checked_with_luhn_as_a_warning(check):
    good = "91123456789012"
    while not luhn_ok(good):
        good = str(int(good) + 1)
    values, errors, warnings = check(abha_number=format_abha(good))
    assert errors == {} and warnings == [] and values["abha_number"] == good
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    values, errors, warnings = check(abha_number=bad)
    assert errors == {} and warnings and values["abha_number"] == bad
    assert format_abha(good) == f"{good[:2]}-{good[2:6]}-{good[6:10]}-{good[10:]}"


def test_card_number_needed_for_bpl(check, app, facility_id):
    from app.extensions import db
    from app.registration.models import PatientCategory
    with app.app_context():
        bpl = db.session.query(PatientCategory).filter_by(facility_id=facility_id,
                                                          code="BPL").one().id
    _, errors, _ = check(category=str(bpl))
    assert "card" in errors["card_number"].lower()
    _, errors, _ = check(category=str(bpl), card_number="HP/BPL/2231")
    assert errors == {}
