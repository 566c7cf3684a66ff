"""Display conventions: IST time, dd-mm-yyyy dates."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")


def aware(value: datetime) -> datetime:
    """SQLite gives back naive datetimes; they are stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def ist(value: datetime | None) -> str:
    if value is None:
        return ""
    return aware(value).astimezone(IST).strftime("%d-%m-%Y %H:%M:%S")


def clock(value: datetime | None) -> str:
    """The IST time of day, "14:00" (a dose's time on the ward's lists)."""
    return aware(value).astimezone(IST).strftime("%H:%M") if value is not None else ""


def display(value):
    """How a raw value reads on a list or show page: blank for empty, हाँ/नहीं for
    booleans, IST for times; anything else as it is (Jinja escapes it)."""
    from flask_babel import gettext as _
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return ist(value)
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return value


def display_formatters(datamodel, columns) -> dict:
    """A `display` formatter for every column or relation shown (a relation's object
    still renders as its str(); an empty one as blank instead of "None")."""
    mapper = datamodel.obj.__mapper__
    known = set(mapper.columns.keys()) | {r.key for r in mapper.relationships
                                          if not r.uselist}
    return {c: display for c in columns if c in known}


DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y")


def parse_date(value) -> date | None:
    """A date as staff type it (dd-mm-yyyy, also yyyy-mm-dd or dd/mm/yyyy); None when
    empty. Raises ValueError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:  # 0001 or 9999 is a typing slip
            raise ValueError(f"date out of range: {value!r}")
        return day
    raise ValueError(f"not a date: {value!r}")


# Dates anyone here means: births since 1900, appointments and reports before 2100.
FIRST_YEAR, LAST_YEAR = 1900, 2100


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text for a CSV or Excel cell that a spreadsheet shows as typed: a leading
    apostrophe stops "=HYPERLINK(...)" typed as a refund reason from running. Numbers
    are left as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
