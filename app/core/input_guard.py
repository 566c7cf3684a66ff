"""Hostile or garbled input stops at the door, once for every page and API.

- Text may not carry control characters (other than tab and line breaks), bidi overrides
  that make a name display differently from how it is stored, lone surrogates or
  non-characters: the request is refused (422, naming the field) and nothing is saved.
  The zero-width joiners Devanagari needs (U+200C, U+200D) are of course allowed.
- A JSON body nested deeper than any of our APIs needs is refused before it is walked.
- Every text column is stored normalised: Unicode NFC (so that "क्ष" typed on two
  keyboards is one string), runs of spaces collapsed and ends trimmed on one-line fields.
- Identifiers (mobile, PIN, ABHA, Aadhaar digits, card numbers) are read in ASCII digits,
  whatever digits the keyboard sent (a Hindi keyboard types ९४१८...).
"""
import re
import unicodedata

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import String, Text, event
from werkzeug.exceptions import BadRequest

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
MAX_DEPTH = 12      # our deepest body (a bill's items) is 3 levels
MAX_ITEMS = 2000    # values in one JSON body


def problem_with(text: str) -> str | None:
    if FORBIDDEN.search(text):
        return _("Contains characters that are not allowed (control or text-direction "
                 "characters); type it again.")
    return None


def _walk(data):
    """(path, problem) of the first bad value of a parsed JSON body, else None."""
    stack, seen = [("", data, 0)], 0
    while stack:
        path, value, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > MAX_ITEMS:
            return path or "body", _("The request is nested too deeply or is too large.")
        if isinstance(value, str):
            problem = problem_with(value)
            if problem:
                return path or "body", problem
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = problem_with(key)
                if problem:
                    return f"{path}.{key}".lstrip("."), problem
                stack.append((f"{path}.{key}".lstrip("."), item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}[{n}]", item, depth + 1) for n, item in enumerate(value))
    return None


def _refuse(field: str, message: str):
    if request.path.startswith("/api/"):
        return jsonify(message={field: [f"{field}: {message}"]}), 422
    from .errors import error_page
    return error_page(422, f"{field}: {message}")


def guard_request():
    """before_request: refuse bad text in the query, the form or the JSON body."""
    for field, value in request.args.items(multi=True):
        problem = problem_with(field) or problem_with(value)
        if problem:
            return _refuse(field, problem)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.is_json:
        try:
            data = request.get_json()
        except (BadRequest, RecursionError):  # RecursionError: brackets nested thousands deep
            return _refuse("body", _("The request is not valid JSON."))
        found = _walk(data)
        if found:
            return _refuse(*found)
        return None
    for field, value in request.form.items(multi=True):
        problem = problem_with(field) or problem_with(value)
        if problem:
            return _refuse(field, problem)
    return None


# --- what is stored -----------------------------------------------------------------------

SPACES = re.compile(r"\s+")


def one_line(value):
    """NFC, inner runs of white space made one space, ends trimmed, stray controls
    dropped (for text that did not come through a request)."""
    if not isinstance(value, str):
        return value
    return SPACES.sub(" ", FORBIDDEN.sub("", unicodedata.normalize("NFC", value))).strip()


def multi_line(value):
    if not isinstance(value, str):
        return value
    return FORBIDDEN.sub("", unicodedata.normalize("NFC", value)).strip()


# Columns kept byte for byte: password hashes.
VERBATIM = {"password"}


_NORMALISED = set()


def normalise_text_columns(registry) -> None:
    """Every String column of every model stores one_line(value), every Text column
    multi_line(value), however the value was set (form, API, service, CLI)."""
    for mapper in registry.mappers:
        if mapper in _NORMALISED:  # once per process, however many apps are created
            continue
        _NORMALISED.add(mapper)
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if prop.key in VERBATIM or not isinstance(column.type, String):
                continue
            clean = multi_line if isinstance(column.type, Text) else one_line
            event.listen(getattr(mapper.class_, prop.key), "set",
                         lambda _target, value, _old, _initiator, clean=clean: clean(value),
                         retval=True)


def ascii_digits(value) -> str:
    """The text with every decimal digit of any script as its ASCII digit; other
    characters kept. None → ""."""
    if value is None:
        return ""
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch
                   for ch in str(value))


def stripped(value) -> str:
    """A form's or body's value as text without its outer spaces; "" for none."""
    return "" if value is None else str(value).strip()


def whole_number(value, field: str, low: int, high: int, errors: dict, message) -> int | None:
    """A whole number as typed (digits of any script) or sent (a JSON integer) within
    [low, high]; empty → None; anything else puts `message` on `field`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        digits = ascii_digits(value).strip()
        number = int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 10 \
            else None
    if number is None or not low <= number <= high:
        errors[field] = message
        return None
    return number
