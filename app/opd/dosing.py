"""A prescription line's dosing in words a patient reads, in Hindi and English, and the
total to hand over: "1-0-1" with "1 tab" for 5 days is "सुबह, रात: 1 गोली / morning, night:
1 tablet", 10 tablets in all."""
import re
from dataclasses import dataclass
from fractions import Fraction

TIMES = {3: (("सुबह", "morning"), ("दोपहर", "afternoon"), ("रात", "night")),
         4: (("सुबह", "morning"), ("दोपहर", "afternoon"), ("शाम", "evening"),
             ("रात", "night"))}
NAMED = {  # code: (times a day, Hindi, English)
    "OD": (1, "दिन में एक बार (सुबह)", "once a day (morning)"),
    "BD": (2, "दिन में दो बार (सुबह, रात)", "twice a day (morning, night)"),
    "TDS": (3, "दिन में तीन बार (सुबह, दोपहर, रात)", "three times a day (morning, afternoon, night)"),
    "QID": (4, "दिन में चार बार", "four times a day"),
    "HS": (1, "रात को सोते समय", "at bedtime"),
    "QHS": (1, "रात को सोते समय", "at bedtime"),
    "SOS": (None, "ज़रूरत पड़ने पर", "only when needed"),
    "PRN": (None, "ज़रूरत पड़ने पर", "only when needed"),
    "STAT": (None, "अभी तुरंत, एक बार", "at once, one time"),
}
# Units counted out by the piece: (words in a dose, Hindi, English).
PIECES = ((("tab", "tabs", "tablet", "tablets", "गोली"), "गोली", "tablet"),
          (("cap", "caps", "capsule", "capsules", "कैप्सूल"), "कैप्सूल", "capsule"),
          (("sachet", "sachets", "पाउच"), "पाउच", "sachet"))
_AMOUNT = re.compile(r"^\s*(½|\d+\s*/\s*\d+|\d+(?:\.\d+)?)\s*(.*)$")


@dataclass(frozen=True)
class Dosing:
    hi: str
    en: str
    total: Fraction | None    # pieces to hand over for the days given; None when not counted
    unit_hi: str = ""
    unit_en: str = ""


def _amount(text: str) -> Fraction | None:
    text = text.replace(" ", "")
    if text == "½":
        return Fraction(1, 2)
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None


def _piece(dose: str | None) -> tuple[Fraction | None, str, str]:
    """(how many pieces a time, unit in Hindi, in English), or (None, "", "") when the dose
    is not counted in pieces (5 ml, 1 puff)."""
    match = _AMOUNT.match(dose or "")
    if not match:
        return None, "", ""
    count, rest = _amount(match[1]), match[2].strip().lower().rstrip(".")
    for words, hindi, english in PIECES:
        if rest in words:
            return count, hindi, english
    return (count, "", "") if not rest else (None, "", "")


def _en(unit: str, value: Fraction) -> str:
    return f"{unit}s" if unit and value > 1 else unit


def _number(value: Fraction) -> str:
    return "½" if value == Fraction(1, 2) else str(value.numerator) if value.denominator == 1 \
        else f"{float(value):g}"


def in_words(frequency: str, dose: str | None, days: int | None) -> Dosing | None:
    """The dosing of a line in words; None for a frequency written some other way (it then
    prints as written)."""
    code = (frequency or "").strip().upper()
    each, unit_hi, unit_en = _piece(dose)
    parts = code.split("-")
    if len(parts) in TIMES and all(_amount(p) is not None for p in parts):
        counts = [_amount(p) for p in parts]
        taken = [(t, c) for t, c in zip(TIMES[len(parts)], counts) if c]
        if not taken:
            return None
        per_dose = each if each is not None else Fraction(1)
        if len({c for _t, c in taken}) == 1:  # the same at every time: say it once
            value = taken[0][1] * per_dose
            hi = ", ".join(t[0] for t, _c in taken) + f": {_number(value)} {unit_hi}".rstrip()
            en = ", ".join(t[1] for t, _c in taken) + \
                f": {_number(value)} {_en(unit_en, value)}".rstrip()
        else:
            most = max(c for _t, c in taken) * per_dose
            hi = ", ".join(f"{t[0]} {_number(c * per_dose)}" for t, c in taken) + f" {unit_hi}"
            en = ", ".join(f"{t[1]} {_number(c * per_dose)}" for t, c in taken) + \
                f" {_en(unit_en, most)}"
        daily = sum(counts) * per_dose
    elif code in NAMED or re.fullmatch(r"Q(\d{1,2})H", code):
        hours = re.fullmatch(r"Q(\d{1,2})H", code)
        if hours:
            times = 24 // int(hours[1]) if 0 < int(hours[1]) <= 24 else None
            hi, en = f"हर {hours[1]} घंटे पर", f"every {hours[1]} hours"
        else:
            times, hi, en = NAMED[code]
        if each is not None:
            hi, en = f"{hi}: {_number(each)} {unit_hi}".rstrip(), \
                f"{en}: {_number(each)} {_en(unit_en, each)}".rstrip()
        daily = each * times if each is not None and times else None
    else:
        return None
    counted = unit_en and daily is not None and days
    return Dosing(hi.strip(), en.strip(), daily * days if counted else None, unit_hi, unit_en)
