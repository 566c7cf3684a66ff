"""The audit log in words: its actions, the tables it names, and the stored codes of the
fields that hold one (a bill's status "part_paid" reads "Part paid"), in the user's
language. Departments add their tables and code fields when they register."""
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "insert": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted"),
    "print": _l("Printed"), "reprint": _l("Printed again"), "export": _l("Exported"),
    "login": _l("Logged in"), "logout": _l("Logged out"), "login_failed": _l("Wrong password"),
    "login_locked": _l("Login refused: account locked"), "locked": _l("Account locked"),
    "unlock": _l("Account unlocked"), "throttled": _l("Too many attempts"),
    "authorised": _l("Supervisor authorised"), "auth_refused": _l("Authorisation refused"),
    "backup": _l("Database backed up"),
    "view": _l("Opened the record"),
}
TABLES = {"ab_user": _l("User account"), "database": _l("Database"),
          "audit_log": _l("Audit log")}
# (table, field) → {code: label}
CODED_FIELDS: dict[tuple[str, str], dict] = {}
# table → {field: label}
FIELD_LABELS: dict[str, dict] = {}


def name_tables(labels: dict) -> None:
    TABLES.update(labels)


def code_fields(fields: dict) -> None:
    CODED_FIELDS.update(fields)


def label_fields(tables: dict) -> None:
    FIELD_LABELS.update(tables)


def field_text(table: str, field: str | None) -> str:
    if not field:
        return ""
    return str(FIELD_LABELS.get(table, {}).get(field, field))


def value_text(table: str, field: str | None, value: str | None) -> str:
    """A logged value as the user reads it: a code field's code in words, else as logged."""
    if value is None:
        return ""
    labels = CODED_FIELDS.get((table, field or ""))
    return str(labels[value]) if labels and value in labels else value
