"""Dosing in words a patient reads, and the total to hand over."""
from fractions import Fraction

import pytest

from app.opd.dosing import in_words


@pytest.mark.parametrize("frequency, dose, days, hi, en, total", [
    ("1-1-1", "1 tab", 5, "सुबह, दोपहर, रात: 1 गोली", "morning, afternoon, night: 1 tablet", 15),
    ("1-0-1", "1 tab", 5, "सुबह, रात: 1 गोली", "morning, night: 1 tablet", 10),
    ("1-0-½", "1 tab", 10, "सुबह 1, रात ½ गोली", "morning 1, night ½ tablet", 15),
    ("BD", "1 cap", 7, "दिन में दो बार (सुबह, रात): 1 कैप्सूल",
     "twice a day (morning, night): 1 capsule", 14),
    ("Q6H", "1 tab", 2, "हर 6 घंटे पर: 1 गोली", "every 6 hours: 1 tablet", 8),
    ("1-1-1-1", "2 tabs", 3, "सुबह, दोपहर, शाम, रात: 2 गोली",
     "morning, afternoon, evening, night: 2 tablets", 24),
    ("OD", "5 ml", 3, "दिन में एक बार (सुबह)", "once a day (morning)", None),  # not pieces
    ("SOS", "1 tab", None, "ज़रूरत पड़ने पर: 1 गोली", "only when needed: 1 tablet", None),
    ("hs", None, None, "रात को सोते समय", "at bedtime", None),
])
def test_dosing_in_words(frequency, dose, days, hi, en, total):
    words = in_words(frequency, dose, days)
    assert (words.hi, words.en) == (hi, en)
    assert words.total == (Fraction(total) if total is not None else None)


@pytest.mark.parametrize("frequency", ["0-0-0", "as told", "1-x-1", ""])
def test_other_writings_print_as_written(frequency):
    assert in_words(frequency, "1 tab", 5) is None
