"""Amounts in words, Indian system (lakh, crore), in English and Hindi, as receipts
print them: "Rupees One Lakh Twenty Thousand and Fifty Paise Only" /
"एक लाख बीस हज़ार रुपये और पचास पैसे मात्र"."""
from decimal import ROUND_HALF_UP, Decimal

_EN_ONES = ["", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
            "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
            "Eighteen", "Nineteen"]
_EN_TENS = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]

# Hindi has its own word for every number below 100.
_HI = ("शून्य एक दो तीन चार पाँच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह "
       "अठारह उन्नीस बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस तीस "
       "इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस चालीस इकतालीस "
       "बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास पचास इक्यावन "
       "बावन तिरपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ "
       "छियासठ सड़सठ अड़सठ उनहत्तर सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर "
       "सतहत्तर अठहत्तर उन्यासी अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी "
       "अट्ठासी नवासी नब्बे इक्यानवे बानवे तिरानवे चौरानवे पंचानवे छियानवे सत्तानवे "
       "अट्ठानवे निन्यानवे").split()

# (divisor, English, Hindi), largest first; the crore count may itself be large.
_SCALES = [(10**7, "Crore", "करोड़"), (10**5, "Lakh", "लाख"), (1000, "Thousand", "हज़ार"),
           (100, "Hundred", "सौ")]


def _en_below_100(n: int) -> str:
    if n < 20:
        return _EN_ONES[n]
    return (_EN_TENS[n // 10] + (" " + _EN_ONES[n % 10] if n % 10 else "")).strip()


def _words(n: int, below_100, index: int) -> list[str]:
    if n == 0:
        return []
    out = []
    for divisor, en, hi in _SCALES:
        if n >= divisor:
            count, n = divmod(n, divisor)
            out += _words(count, below_100, index) + [(en, hi)[index]]
    if n:
        out.append(below_100(n))
    return out


def _split(amount) -> tuple[int, int]:
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("amount in words needs a non-negative amount")
    rupees = int(value)
    return rupees, int((value - rupees) * 100)


def words_en(amount) -> str:
    rupees, paise = _split(amount)
    text = "Rupees " + (" ".join(_words(rupees, _en_below_100, 0)) or "Zero")
    if paise:
        text += " and " + _en_below_100(paise) + " Paise"
    return text + " Only"


def words_hi(amount) -> str:
    rupees, paise = _split(amount)
    text = (" ".join(_words(rupees, lambda n: _HI[n], 1)) or _HI[0]) + " रुपये"
    if paise:
        text += " और " + _HI[paise] + " पैसे"
    return text + " मात्र"
