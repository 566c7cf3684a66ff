"""Script-independent search keys for names, so that "राम कुमार", "Ram Kumar" and
"Raam Kumaar" find each other.

Each word becomes its first letter (vowels folded to one) followed by its consonant
skeleton, after mapping Devanagari to Latin and folding the spellings that Hindi
names take in English (aspirates, sh/s, ph/f, w/v, doubled letters, a final -y):
"Raam Kumaar" → "rm kmr"; "सुनीता देवी" → "snt dv"; "Chaudhary"/"चौधरी" → "cdr".
"""
import re
import unicodedata

# Devanagari consonants → Latin (aspiration dropped: खुशबू/Khushboo/Kushbu agree).
_CONSONANTS = {
    "क": "k", "ख": "k", "ग": "g", "घ": "g", "ङ": "n", "च": "c", "छ": "c", "ज": "j",
    "झ": "j", "ञ": "n", "ट": "t", "ठ": "t", "ड": "d", "ढ": "d", "ण": "n", "त": "t",
    "थ": "t", "द": "d", "ध": "d", "न": "n", "प": "p", "फ": "f", "ब": "b", "भ": "b",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "s", "ष": "s", "स": "s",
    "ह": "h", "ळ": "l",
}
# Nukta forms: ड़/ढ़ are written r in English (Barhi, Padhai), फ़ f, ज़ z→j.
_NUKTA = {"ड": "r", "ढ": "r", "फ": "f", "ज": "j", "क": "k", "ख": "k", "ग": "g"}
_VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e",
    "ऐ": "e", "ओ": "o", "औ": "o", "ऑ": "o",
}
_MATRAS = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "e",
    "ो": "o", "ौ": "o", "ॉ": "o", "ॅ": "e",
}
_NASALS = {"ं": "n", "ँ": "n"}
_NUKTA_SIGN, _VIRAMA = "़", "्"

_LATIN_FOLDS = [
    (re.compile(r"ksh|x"), "ks"),
    (re.compile(r"chh|ch|c"), "c"),
    (re.compile(r"kh|q|ck"), "k"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"jh|z"), "j"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"bh"), "b"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"w"), "v"),
]
_VOWEL_LETTERS = set("aeiou")


def devanagari_to_latin(text: str) -> str:
    out = []
    chars = list(unicodedata.normalize("NFC", text))
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch == "ज" and nxt == _VIRAMA and i + 2 < len(chars) and chars[i + 2] == "ञ":
            out.append("gy")  # ज्ञ is said and written "gy" (Gyan, ज्ञान)
            i += 3
            continue
        if ch in _CONSONANTS:
            if nxt == _NUKTA_SIGN:
                out.append(_NUKTA.get(ch, _CONSONANTS[ch]))
                i += 1
            else:
                out.append(_CONSONANTS[ch])
        elif ch in _VOWELS:
            out.append(_VOWELS[ch])
        elif ch in _MATRAS:
            out.append(_MATRAS[ch])
        elif ch in _NASALS:
            out.append("n")
        elif ch in (_VIRAMA, _NUKTA_SIGN, "ः"):
            pass
        elif "\u0966" <= ch <= "\u096f":  # Devanagari digits
            out.append(str(ord(ch) - 0x966))
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def word_key(word: str) -> str:
    word = word.lower()
    for pattern, repl in _LATIN_FOLDS:
        word = pattern.sub(repl, word)
    word = re.sub(r"[^a-z0-9]", "", word)
    if not word:
        return ""
    first, rest = word[0], word[1:]
    if first in _VOWEL_LETTERS:
        first = "a"  # Indu/इंदु, Ekta/एकता: initial vowels are spelled every which way
    skeleton = "".join(c for c in rest if c not in _VOWEL_LETTERS)
    skeleton = re.sub(r"(.)\1+", r"\1", skeleton)  # Pappu/Papu, Gupta/Guppta
    if skeleton.endswith("y") and len(skeleton) > 1:  # Chaudhary/चौधरी, Pandey/पाण्डे
        skeleton = skeleton[:-1]
    return first + skeleton


def _latin_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", devanagari_to_latin(text)) if word_key(w)]


def name_key(text: str | None) -> str:
    """The search key of a whole name: word keys joined by single spaces."""
    if not text:
        return ""
    return " ".join(word_key(w) for w in _latin_words(text))


JOINED = 100  # positions of the keys of two neighbouring words written as one


def name_tokens(text: str | None) -> list[tuple[str, int]]:
    """(token, position) rows of a name's search index: each word's key at its position,
    and each two neighbouring words' key as if written as one word ("Rajesh Kumar" is
    also "rajeshkumar") at JOINED + the first one's position."""
    words = _latin_words(text or "")
    tokens = [(word_key(w)[:40], i) for i, w in enumerate(words)]
    tokens += [(word_key(a + b)[:40], JOINED + i) for i, (a, b) in enumerate(zip(words, words[1:]))]
    return tokens


def mobile_key(mobile: str | None) -> str | None:
    """A mobile number's digits backwards, so that its last digits are a prefix (an index
    range) to find a patient by the end of their number."""
    return mobile[::-1] if mobile else None


def index_patient(patient) -> None:
    """Keep a patient's search keys and name tokens in step with the typed names."""
    from .models import PatientNameToken
    patient.name_key = name_key(patient.name)
    patient.guardian_key = name_key(patient.guardian_name) or None
    patient.mobile_rev = mobile_key(patient.mobile)
    tokens = name_tokens(patient.name)
    if [(t.token, t.position) for t in patient.name_tokens] != tokens:
        patient.name_tokens = [PatientNameToken(token=token, position=position,
                                                facility_id=patient.facility_id)
                               for token, position in tokens]
