"""When a ward's doses fall due: the frequency's IST hours from the order's start to its
end or stop; SOS never, STAT once at the start."""
from datetime import datetime, timedelta, timezone

import pytest

from app.core.formatting import IST
from app.ipd.medication import doses, hours_of_day
from app.ipd.models import MedicationOrder


@pytest.mark.parametrize("frequency, hours", [
    ("OD", (8,)), ("bd", (8, 20)), ("TDS", (8, 14, 20)), ("QID", (6, 12, 18, 22)),
    ("HS", (21,)), ("Q6H", (0, 6, 12, 18)), ("Q8H", (6, 14, 22)), ("Q12H", (6, 18)),
    ("1-0-1", (8, 20)), ("0-0-1", (20,)), ("1-1-1-1", (6, 12, 18, 22)), ("½-0-½", (8, 20)),
    ("SOS", ()), ("STAT", ()),
    ("Q5H", None), ("Q0H", None), ("0-0-0", None), ("twice", None), ("", None),
])
def test_a_frequency_gives_its_hours_of_the_day(frequency, hours):
    assert hours_of_day(frequency) == hours


def _ist(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=IST).astimezone(timezone.utc)


def _order(frequency, start, days=None, stopped=None):
    return MedicationOrder(frequency=frequency, start_at=start, stopped_at=stopped,
                           end_at=start + timedelta(days=days) if days else None)


def test_doses_run_from_the_start_to_the_end_of_the_course():
    # TDS ordered at 10:30 for two days: the first dose is at 2 pm, the last the
    # morning two days on, before 10:30.
    order = _order("TDS", _ist(20, 10, 30), days=2)
    got = doses(order, _ist(19, 0), _ist(25, 0))
    assert [(t.astimezone(IST).day, t.astimezone(IST).hour) for t in got] == [
        (20, 14), (20, 20), (21, 8), (21, 14), (21, 20), (22, 8)]
    # A window shows only its part.
    assert doses(order, _ist(21, 0), _ist(21, 12)) == [_ist(21, 8)]


def test_a_stopped_order_has_no_more_doses_and_sos_and_stat_have_their_own():
    order = _order("BD", _ist(20, 7), stopped=_ist(21, 9))
    assert doses(order, _ist(20, 0), _ist(30, 0)) == [_ist(20, 8), _ist(20, 20), _ist(21, 8)]
    assert doses(_order("SOS", _ist(20, 7)), _ist(20, 0), _ist(30, 0)) == []
    stat = _order("STAT", _ist(20, 7, 15))
    assert doses(stat, _ist(20, 0), _ist(21, 0)) == [_ist(20, 7, 15)]
    assert doses(stat, _ist(20, 8), _ist(21, 0)) == []
