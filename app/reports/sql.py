"""SQL the reports share, the same on PostgreSQL and SQLite: a stored (UTC) time's IST
date and hour, HMIS's night, a patient's age in whole years on a day."""
from sqlalchemy import case, extract, func, literal_column, or_

from app.extensions import db


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def ist_date(column):
    if _postgres():   # a literal zone: GROUP BY and FILTER read the same expression
        return func.date(func.timezone(literal_column("'Asia/Kolkata'"), column))
    return func.date(column, "+5 hours", "+30 minutes")


def ist_hour(column):
    if _postgres():
        return extract("hour", func.timezone(literal_column("'Asia/Kolkata'"), column))
    return func.cast(func.strftime("%H", func.datetime(column, "+5 hours", "+30 minutes")),
                     db.Integer)


def night(column):
    """1 from 8 pm to 8 am IST, as HMIS counts the night, else 0."""
    hour = ist_hour(column)
    return case((or_(hour >= 20, hour < 8), 1), else_=0)


def whole_years(day, dob):
    """Whole years from dob to day (both dates)."""
    before_birthday = (extract("month", day) * 100 + extract("day", day) <
                       extract("month", dob) * 100 + extract("day", dob))
    return (extract("year", day) - extract("year", dob)
            - case((before_birthday, 1), else_=0))
