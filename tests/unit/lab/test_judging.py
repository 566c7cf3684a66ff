"""Reading a result against the catalogue: the patient's range by sex and age band, H/L
and critical flags, plausibility, decimals, choice lists and the delta check."""
from decimal import Decimal
from types import SimpleNamespace as Row

import pytest

from app.lab import judging

YEAR = 365


def _hb(**over):
    ranges = [Row(sex=None, age_from_days=0, age_to_days=30, low=Decimal("14.0"),
                  high=Decimal("24.0")),
              Row(sex=None, age_from_days=30, age_to_days=12 * YEAR, low=Decimal("11.0"),
                  high=Decimal("14.5")),
              Row(sex="M", age_from_days=12 * YEAR, age_to_days=None, low=Decimal("13.0"),
                  high=Decimal("17.0")),
              Row(sex="F", age_from_days=12 * YEAR, age_to_days=None, low=Decimal("12.0"),
                  high=Decimal("15.0"))]
    test = dict(result_type="numeric", decimals=1, ranges=ranges, unit="g/dL",
                critical_low=Decimal("7"), critical_high=Decimal("20"),
                plausible_low=Decimal("1"), plausible_high=Decimal("25"),
                delta_limit=Decimal("2"), choice_list=[], normal_list=[])
    test.update(over)
    return Row(**test)


@pytest.mark.parametrize("sex, age_days, value, flag, shown_range", [
    ("F", 40 * YEAR, "12.5", None, "12.0 – 15.0"),
    ("M", 40 * YEAR, "12.5", "L", "13.0 – 17.0"),   # the same value is low for a man
    ("M", 10, "15.0", None, "14.0 – 24.0"),         # a newborn's range
    ("F", 5 * YEAR, "15.0", "H", "11.0 – 14.5"),    # a child's
    ("M", 40 * YEAR, "6.8", "LL", "13.0 – 17.0"),   # critical beats low
    ("F", 40 * YEAR, "21", "HH", "12.0 – 15.0"),
    ("T", 40 * YEAR, "12.5", None, "12.0 – 17.0"),  # neither M nor F: the widest band
])
def test_flags_follow_the_patients_sex_and_age(sex, age_days, value, flag, shown_range):
    judged = judging.judge(_hb(), value, sex, age_days)
    assert (judged.flag, judged.range_text) == (flag, shown_range)
    assert judged.critical == (flag in ("LL", "HH"))


def test_values_are_refused_with_a_reason():
    hb = _hb()
    for raw, message in [("abc", "Enter a number"), ("12.55", "At most 1 decimal"),
                         ("", "Enter the result"), ("NaN", "Enter a number"),
                         ("1e12", "Enter a number")]:
        with pytest.raises(judging.Refused, match=message):
            judging.judge(hb, raw, "F", 40 * YEAR)
    with pytest.raises(judging.Refused, match="whole number"):
        judging.judge(_hb(decimals=0), "7.5", "F", 40 * YEAR)
    assert judging.judge(hb, "30", "F", 40 * YEAR).implausible
    with pytest.raises(judging.Refused, match="Use a point for decimals"):
        judging.judge(hb, "13,0", "F", 40 * YEAR)  # not 130
    tlc = _hb(decimals=0, ranges=[], critical_low=None, critical_high=None,
              plausible_low=None, plausible_high=None)
    assert judging.judge(tlc, "1,20,000", "F", 40 * YEAR).number == Decimal("120000")
    assert judging.judge(tlc, "12,000", "F", 40 * YEAR).number == Decimal("12000")


def test_choices_and_titres_are_taken_from_their_list_only():
    hiv = _hb(result_type="choice", choice_list=["Reactive", "Non-reactive"],
              normal_list=["Non-reactive"])
    assert judging.judge(hiv, "non-reactive", "F", 40 * YEAR).value == "Non-reactive"
    assert judging.judge(hiv, "Reactive", "F", 40 * YEAR).flag == "A"
    with pytest.raises(judging.Refused, match="Choose one of: Reactive, Non-reactive"):
        judging.judge(hiv, "Positive", "F", 40 * YEAR)
    widal = _hb(result_type="titre", choice_list=["<1:20", "1:40", "1:80", "1:160"],
                normal_list=["<1:20", "1:40"])
    assert judging.judge(widal, "1:160", "M", 20 * YEAR).flag == "A"
    assert judging.judge(widal, "1:40", "M", 20 * YEAR).flag is None


def test_a_change_beyond_the_delta_limit_is_noticed():
    hb = _hb()
    assert judging.beyond_delta(hb, Decimal("9.0"), Decimal("12.0"))
    assert not judging.beyond_delta(hb, Decimal("11.0"), Decimal("12.0"))
    assert not judging.beyond_delta(hb, Decimal("9.0"), None)
    assert not judging.beyond_delta(_hb(delta_limit=None), Decimal("1"), Decimal("12"))
