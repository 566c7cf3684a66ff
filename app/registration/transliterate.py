"""A patient's name in the other script, for papers that must carry both (the lab's
sample label): Devanagari read out in Latin letters as names are spelt in India
("राजेश कुमार शर्मा" → "Rajesh Kumar Sharma"), and Latin spellings written in Devanagari
("Sunita Devi" → "सुनीता देवी").

Devanagari → Latin is regular once Hindi's unwritten vowel is dropped where speech drops
it (at a word's end, and between two voiced syllables: कमला → Kamla). Latin → Devanagari
is not: English spelling does not say whether an "a" is short or long (Sharma/शर्मा but
Kumar/कुमार), so the names most often met are looked up and other words follow the rules
below. The name as registered stays the record; this is only printed beside it.
"""
import re
import unicodedata

# Common name words whose vowels the rules would get wrong, both ways.
_WORDS = {
    "kumar": "कुमार", "kumari": "कुमारी", "ram": "राम", "raj": "राज", "lal": "लाल",
    "das": "दास", "nath": "नाथ", "prasad": "प्रसाद", "singh": "सिंह", "sharma": "शर्मा",
    "verma": "वर्मा", "thakur": "ठाकुर", "chand": "चंद", "mahto": "महतो", "munda": "मुंडा",
    "oraon": "उरांव", "soren": "सोरेन", "hembrom": "हेम्ब्रम", "kaur": "कौर", "bai": "बाई",
    "yadav": "यादव", "gupta": "गुप्ता", "mishra": "मिश्रा", "pandey": "पांडे",
    "tiwari": "तिवारी", "chaudhary": "चौधरी", "chaudhari": "चौधरी", "rajesh": "राजेश",
    "ramesh": "रमेश", "rakesh": "राकेश", "mahesh": "महेश", "dinesh": "दिनेश",
    "ganesh": "गणेश", "anita": "अनीता", "sunita": "सुनीता", "sita": "सीता",
    "gita": "गीता", "geeta": "गीता", "pooja": "पूजा", "puja": "पूजा", "priya": "प्रिया",
    "manoj": "मनोज", "anil": "अनिल", "sunil": "सुनील", "vijay": "विजय", "ajay": "अजय",
    "sanjay": "संजय", "amit": "अमित", "rahul": "राहुल", "deepak": "दीपक", "ravi": "रवि",
    "mohan": "मोहन", "sohan": "सोहन", "kamal": "कमल", "kamla": "कमला", "shanti": "शांति",
    "savitri": "सावित्री", "lakshmi": "लक्ष्मी", "laxmi": "लक्ष्मी", "bharat": "भरत",
    "rana": "राणा", "chauhan": "चौहान", "negi": "नेगी", "thakore": "ठाकोर", "devi": "देवी",
    "rani": "रानी", "bala": "बाला", "kishan": "किशन", "krishna": "कृष्ण", "shyam": "श्याम",
    "ashok": "अशोक", "suresh": "सुरेश", "naresh": "नरेश", "mukesh": "मुकेश",
    "rajendra": "राजेंद्र", "surendra": "सुरेंद्र", "narendra": "नरेंद्र", "om": "ओम",
    "prakash": "प्रकाश", "kiran": "किरण", "usha": "उषा", "asha": "आशा", "meena": "मीना",
    "rekha": "रेखा", "radha": "राधा", "parvati": "पार्वती", "santosh": "संतोष",
    "mahendra": "महेंद्र", "birsa": "बिरसा", "hansda": "हांसदा", "tudu": "टुडू",
    "marandi": "मरांडी", "kisku": "किस्कू", "tirkey": "तिर्की", "ekka": "एक्का",
    "lakra": "लकड़ा", "minz": "मिंज", "kujur": "कुजूर", "toppo": "टोप्पो", "bhagat": "भगत",
    "sahu": "साहू", "mahato": "महतो", "thakurain": "ठकुराइन",
}
_LATIN_OF: dict[str, str] = {}
for _en, _hi in _WORDS.items():
    _LATIN_OF.setdefault(_hi, _en)  # the first spelling listed is the usual one

# --- Devanagari → Latin ---------------------------------------------------------------
_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s",
    "ह": "h", "ळ": "l",
}
_NUKTA = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f"}
_VOWELS = {"अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e",
           "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o"}
_MATRAS = {"ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai",
           "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e"}
_VIRAMA, _NUKTA_SIGN = "्", "़"


def _units(word: str) -> list[list]:
    """[consonant or "", vowel or None (virama) or "a?" (unwritten a), nasal] per syllable."""
    units, chars, i = [], list(word), 0
    while i < len(chars):
        ch, nxt = chars[i], chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _CONSONANTS:
            sound = _CONSONANTS[ch]
            if nxt == _NUKTA_SIGN:
                sound, i = _NUKTA.get(ch, sound), i + 1
            if ch == "ज" and nxt == _VIRAMA and i + 2 < len(chars) and chars[i + 2] == "ञ":
                sound, i = "gy", i + 2  # ज्ञ is said "gy" (Gyan)
            units.append([sound, "a?", ""])
        elif ch in _VOWELS:
            units.append(["", _VOWELS[ch], ""])
        elif ch in _MATRAS and units:
            units[-1][1] = _MATRAS[ch]
        elif ch == _VIRAMA and units:
            units[-1][1] = None
        elif ch in "ंँ" and units:
            units[-1][2] = "n"
        elif ch == "ः" and units:
            units[-1][2] = "h"
        elif ch.isascii() and ch.isalnum():
            units.append([ch, "", ""])
        i += 1
    return units


def _drop_unwritten_a(units: list[list]) -> None:
    """Hindi drops the unwritten a at a word's end (unless a cluster precedes it:
    नरेन्द्र → Narendra) and, right to left, between two syllables that keep a vowel."""
    if len(units) > 1 and units[-1][1] == "a?" and not units[-1][2] \
            and units[-2][1] is not None:
        units[-1][1] = ""
    for i in range(len(units) - 2, 0, -1):
        if units[i][1] == "a?" and not units[i][2] and units[i - 1][1] \
                and units[i + 1][1] and units[i + 1][0]:
            units[i][1] = ""


def _word_to_latin(word: str) -> str:
    if word in _LATIN_OF:
        return _LATIN_OF[word]
    units = _units(word)
    _drop_unwritten_a(units)
    out = []
    for i, (consonant, vowel, nasal) in enumerate(units):
        nxt = units[i + 1][0] if i + 1 < len(units) else ""
        if nasal == "n" and nxt[:1] in ("p", "b", "m"):
            nasal = "m"  # चंपा → Champa
        out.append(consonant + (vowel or "").replace("?", "") + nasal)
    return "".join(out)


# --- Latin → Devanagari ---------------------------------------------------------------
_L_CONSONANTS = [
    ("ksh", "क्ष"), ("chh", "छ"), ("gy", "ज्ञ"), ("ch", "च"), ("sh", "श"), ("th", "थ"),
    ("dh", "ध"), ("kh", "ख"), ("gh", "घ"), ("ph", "फ"), ("bh", "भ"), ("jh", "झ"), ("k", "क"),
    ("g", "ग"), ("c", "क"), ("j", "ज"), ("t", "त"), ("d", "द"), ("n", "न"), ("p", "प"),
    ("f", "फ़"), ("b", "ब"), ("m", "म"), ("y", "य"), ("r", "र"), ("l", "ल"), ("v", "व"),
    ("w", "व"), ("s", "स"), ("h", "ह"), ("z", "ज़"), ("q", "क"), ("x", "क्स"),
]
_L_VOWELS = [  # (spelling, letter, sign after a consonant)
    ("aa", "आ", "ा"), ("ai", "ऐ", "ै"), ("au", "औ", "ौ"), ("ee", "ई", "ी"), ("ii", "ई", "ी"),
    ("oo", "ऊ", "ू"), ("ou", "औ", "ौ"), ("a", "अ", ""), ("i", "इ", "ि"), ("u", "उ", "ु"),
    ("e", "ए", "े"), ("o", "ओ", "ो"),
]


def _match(table, word, at):
    for entry in table:
        if word.startswith(entry[0], at):
            return entry
    return None


def _word_to_devanagari(word: str) -> str:
    if word in _WORDS:
        return _WORDS[word]
    word = re.sub(r"ary$", "ri", word)      # Chaudhary → चौधरी
    word = re.sub(r"(?<=[^aeiou])y$", "i", word)
    out, at, after_consonant = [], 0, False
    while at < len(word):
        vowel = _match(_L_VOWELS, word, at)
        if vowel:
            spelling, letter, sign = vowel
            final = at + len(spelling) == len(word)
            if final and after_consonant and spelling in ("a", "i", "u"):
                sign = {"a": "ा", "i": "ी", "u": "ू"}[spelling]  # Sita, Devi, Raju
            out.append(sign if after_consonant else letter)
            at, after_consonant = at + len(spelling), False
            continue
        consonant = _match(_L_CONSONANTS, word, at)
        if consonant is None:
            at += 1
            continue
        spelling, letter = consonant
        nxt = word[at + len(spelling):at + len(spelling) + 1]
        if spelling == "n" and out and not after_consonant and nxt and nxt not in "aeiouy":
            out.append("ं")  # a nasal before a consonant: Sanjay → संजय, Chanda → चंदा
            at += 1
            continue
        if after_consonant:
            out.append(_VIRAMA)  # a cluster: Sharma → शर्मा
        out.append(letter)
        at, after_consonant = at + len(spelling), True
    return "".join(out)


def is_devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text)


def other_script(name: str | None) -> str:
    """The name in the other script: Latin for a name typed in Devanagari, Devanagari for
    one typed in Latin letters; '' for nothing to write."""
    if not name or not name.strip():
        return ""
    text = unicodedata.normalize("NFC", name.strip())
    if is_devanagari(text):
        words = [_word_to_latin(w) for w in re.split(r"\s+", text)]
        return " ".join(w[:1].upper() + w[1:] for w in words if w)
    words = [_word_to_devanagari(w) for w in re.split(r"[^A-Za-z]+", text.lower())]
    return " ".join(w for w in words if w)
