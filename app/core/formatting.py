"""Display conventions: IST time, dd-mm-yyyy dates."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")


def ist(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite returns naive values; they are stored as UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(IST).strftime("%d-%m-%Y %H:%M:%S")
