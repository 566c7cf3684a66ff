"""How a result is read against the catalogue: the value typed (a number with the test's
decimals, a choice from its list, a titre, text), the reference range for the patient's
sex and age on the day, and the flags (low/high, critical, abnormal). Pure functions: the
entry screen, the API and the report all judge alike."""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _


class Refused(ValueError):
    """The value cannot be taken as typed; the message says why, in the user's language."""


@dataclass
class Judged:
    value: str
    number: Decimal | None = None
    flag: str | None = None            # L, H, LL, HH, A
    low: Decimal | None = None
    high: Decimal | None = None
    range_text: str | None = None
    implausible: bool = False
    critical: bool = False


def _plain(number: Decimal | None, decimals: int | None = None) -> str:
    if number is None:
        return ""
    if decimals is not None:
        return f"{number:.{decimals}f}"
    text = format(number.normalize(), "f")
    return text


def range_text(low, high, decimals: int | None = None) -> str | None:
    if low is not None and high is not None:
        return f"{_plain(low, decimals)} – {_plain(high, decimals)}"
    if high is not None:
        return f"< {_plain(high, decimals)}"
    if low is not None:
        return f"> {_plain(low, decimals)}"
    return None


def age_in_days(dob: date, on: date) -> int:
    return max((on - dob).days, 0)


def reference_range(ranges, sex: str, age_days: int):
    """(low, high) of the band for this sex and age; one for both sexes when the test has
    no band of the patient's own sex (or the patient is neither M nor F: then the widest
    of the bands that apply); (None, None) when the catalogue has none."""
    bands = [r for r in ranges if r.age_from_days <= age_days and
             (r.age_to_days is None or age_days < r.age_to_days)]
    own = [r for r in bands if r.sex == sex] or [r for r in bands if r.sex is None]
    if own:
        return own[0].low, own[0].high
    if not bands:
        return None, None
    lows = [r.low for r in bands]
    highs = [r.high for r in bands]
    return (None if None in lows else min(lows)), (None if None in highs else max(highs))


# Digits grouped by commas, the Indian way (1,20,000) or the Western (120,000): a comma
# anywhere else is a decimal comma, and "13,0" must not be read as 130.
_GROUPED = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d{1,2}(,\d{2})*,\d{3})(\.\d+)?$")


def _number(text: str, decimals: int) -> Decimal:
    cleaned = text.strip()
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise Refused(_("Use a point for decimals, e.g. %(example)s.", example="12.5"))
        cleaned = cleaned.replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise Refused(_("Enter a number, e.g. %(example)s.", example="12.5")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e9"):
        raise Refused(_("Enter a number, e.g. %(example)s.", example="12.5"))
    exponent = number.as_tuple().exponent
    if -exponent > decimals:
        raise Refused(_("At most %(n)s decimal places for this test.", n=decimals)
                      if decimals else _("A whole number for this test."))
    return number


def judge(test, raw, sex: str, age_days: int) -> Judged:
    """The typed value judged for this patient; Refused when it cannot be taken."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        raise Refused(_("Enter the result."))
    if len(text) > 200:
        raise Refused(_("Must be at most %(n)s characters.", n=200))
    kind = test.result_type
    if kind in ("choice", "titre"):
        choices = {c.casefold(): c for c in test.choice_list}
        value = choices.get(text.casefold())
        if value is None:
            raise Refused(_("Choose one of: %(choices)s.", choices=", ".join(test.choice_list)))
        normal = test.normal_list
        return Judged(value=value, flag="A" if normal and value not in normal else None,
                      range_text=" / ".join(normal) or None)
    if kind != "numeric":
        normal = test.normal_list
        return Judged(value=text, range_text=" / ".join(normal) or None)
    number = _number(text, test.decimals or 0)
    low, high = reference_range(test.ranges, sex, age_days)
    judged = Judged(value=_plain(number, test.decimals or 0), number=number, low=low,
                    high=high, range_text=range_text(low, high, test.decimals or 0))
    if (test.plausible_low is not None and number < test.plausible_low) or \
            (test.plausible_high is not None and number > test.plausible_high):
        judged.implausible = True
    if test.critical_low is not None and number < test.critical_low:
        judged.flag, judged.critical = "LL", True
    elif test.critical_high is not None and number > test.critical_high:
        judged.flag, judged.critical = "HH", True
    elif low is not None and number < low:
        judged.flag = "L"
    elif high is not None and number > high:
        judged.flag = "H"
    return judged


def beyond_delta(test, number: Decimal | None, previous: Decimal | None) -> bool:
    """A change since the patient's previous result larger than the test's delta limit."""
    return test.delta_limit is not None and number is not None and previous is not None \
        and abs(number - previous) > test.delta_limit
