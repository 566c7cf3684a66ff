"""Every message a user can see (ours and Flask-AppBuilder's) has a real Hindi translation."""
import re
from pathlib import Path

import flask_appbuilder
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from wtforms.i18n import messages_path

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
            "_l": None}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _extract(path):
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(path), METHODS, keywords=KEYWORDS):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalogue():
    with open(ROOT / "translations/hi/LC_MESSAGES/messages.po", "rb") as fh:
        return read_po(fh)


def _wtforms_messages():
    with open(Path(messages_path()) / "wtforms.pot", "rb") as fh:
        return {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(fh) if m.id}


def test_hindi_catalogue_covers_our_code_fabs_and_wtforms():
    catalogue = _catalogue()
    wanted = _extract(ROOT / "app") | _extract(Path(flask_appbuilder.__file__).parent) | \
        _wtforms_messages()
    missing = []
    for msgid in sorted(wanted):
        message = catalogue.get(msgid) or next(
            (m for m in catalogue if isinstance(m.id, tuple) and m.id[0] == msgid), None)
        string = message.string if message else None
        if isinstance(string, tuple):
            string = all(string) and string[0]
        if not string or message.fuzzy:
            missing.append(msgid)
    assert not missing, f"{len(missing)} messages lack Hindi: {missing[:15]}"


def test_hindi_keeps_placeholders_and_is_not_english():
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(ids[0]))) == \
                sorted(set(PLACEHOLDER.findall(string))), message.id
        if isinstance(message.id, tuple):
            continue
        if len(message.id) > 12 and re.search(r"[a-zA-Z]{4}", message.id):
            # Real Hindi, not the English copied across.
            assert re.search(r"[\u0900-\u097F]", message.string), message.id
