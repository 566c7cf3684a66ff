"""NEWS2 as the Royal College of Physicians scores it (2017, SpO2 scale 1): each
parameter's bands at their edges, the aggregate and the clinical risk it calls for."""
from decimal import Decimal

import pytest

from app.ipd.vitals import news2

NORMAL = dict(resp_rate=16, spo2=98, on_oxygen=False, bp_systolic=120, pulse=72,
              consciousness="A", temperature_f=Decimal("98.6"))


def score(**over):
    return news2(**{**NORMAL, **over})


def test_a_well_patient_scores_zero():
    assert score() == (0, "low")


@pytest.mark.parametrize("field, value, points", [
    ("resp_rate", 8, 3), ("resp_rate", 9, 1), ("resp_rate", 11, 1), ("resp_rate", 12, 0),
    ("resp_rate", 20, 0), ("resp_rate", 21, 2), ("resp_rate", 24, 2), ("resp_rate", 25, 3),
    ("spo2", 91, 3), ("spo2", 92, 2), ("spo2", 93, 2), ("spo2", 94, 1), ("spo2", 95, 1),
    ("spo2", 96, 0),
    ("bp_systolic", 90, 3), ("bp_systolic", 91, 2), ("bp_systolic", 100, 2),
    ("bp_systolic", 101, 1), ("bp_systolic", 110, 1), ("bp_systolic", 111, 0),
    ("bp_systolic", 219, 0), ("bp_systolic", 220, 3),
    ("pulse", 40, 3), ("pulse", 41, 1), ("pulse", 50, 1), ("pulse", 51, 0), ("pulse", 90, 0),
    ("pulse", 91, 1), ("pulse", 110, 1), ("pulse", 111, 2), ("pulse", 130, 2),
    ("pulse", 131, 3),
    ("consciousness", "C", 3), ("consciousness", "V", 3), ("consciousness", "U", 3),
    # °F as charted here, scored on °C: 95.0 °F = 35.0 °C, 96.8 = 36.0, 100.4 = 38.0,
    # 102.2 = 39.0
    ("temperature_f", Decimal("95.0"), 3), ("temperature_f", Decimal("95.2"), 1),
    ("temperature_f", Decimal("96.8"), 1), ("temperature_f", Decimal("97.0"), 0),
    ("temperature_f", Decimal("100.4"), 0), ("temperature_f", Decimal("100.6"), 1),
    ("temperature_f", Decimal("102.2"), 1), ("temperature_f", Decimal("102.4"), 2),
])
def test_each_parameter_scores_its_band(field, value, points):
    assert score(**{field: value})[0] == points


def test_oxygen_adds_two():
    assert score(on_oxygen=True) == (2, "low")


def test_risk_follows_the_aggregate_and_a_single_red_score():
    assert score(resp_rate=25)[1] == "low-medium"           # 3 in one parameter
    assert score(resp_rate=22, pulse=115, spo2=95) == (5, "medium")
    assert score(resp_rate=25, pulse=135, spo2=93) == (8, "high")


def test_a_set_missing_a_parameter_is_not_scored():
    assert score(resp_rate=None) is None
    assert score(consciousness=None) is None
