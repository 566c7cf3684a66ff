import pytest

from app.billing import words
from app.billing.words import words_en, words_hi


@pytest.mark.parametrize("amount,en,hi", [
    ("0", "Rupees Zero Only", "शून्य रुपये मात्र"),
    ("10", "Rupees Ten Only", "दस रुपये मात्र"),
    ("10.50", "Rupees Ten and Fifty Paise Only", "दस रुपये और पचास पैसे मात्र"),
    ("101", "Rupees One Hundred One Only", "एक सौ एक रुपये मात्र"),
    ("1234.05", "Rupees One Thousand Two Hundred Thirty Four and Five Paise Only",
     "एक हज़ार दो सौ चौंतीस रुपये और पाँच पैसे मात्र"),
    ("120050", "Rupees One Lakh Twenty Thousand Fifty Only", "एक लाख बीस हज़ार पचास रुपये मात्र"),
    ("10000000", "Rupees One Crore Only", "एक करोड़ रुपये मात्र"),
    ("123456789.99", "Rupees Twelve Crore Thirty Four Lakh Fifty Six Thousand Seven Hundred "
     "Eighty Nine and Ninety Nine Paise Only",
     "बारह करोड़ चौंतीस लाख छप्पन हज़ार सात सौ नवासी रुपये और निन्यानवे पैसे मात्र"),
    ("0.005", "Rupees Zero and One Paise Only", "शून्य रुपये और एक पैसे मात्र"),  # half up
])
def test_indian_system_in_both_languages(amount, en, hi):
    assert words_en(amount) == en
    assert words_hi(amount) == hi


def test_every_hindi_number_word_below_hundred():
    assert len(words._HI) == 100 and len(set(words._HI)) == 100
    assert words._HI[45] == "पैंतालीस" and words._HI[99] == "निन्यानवे"


def test_negative_refused():
    with pytest.raises(ValueError):
        words_en("-1")
