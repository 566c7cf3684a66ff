"""Gapless counters: UHIDs, OPD tokens, IPD numbers, sample and bill numbers.

A number is taken inside the transaction that uses it, by one atomic upsert on the
counter row (`INSERT ... ON CONFLICT DO UPDATE SET value = value + 1 RETURNING value`).
On PostgreSQL the row stays locked until that transaction ends, so concurrent clerks
queue on it instead of colliding, and a rollback returns the number: no gaps, no
duplicates. SQLite serialises writers anyway.
"""
from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import Column, Integer, String, UniqueConstraint
from sqlalchemy.dialects import postgresql, sqlite

from .formatting import IST


class Counter(Model):
    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("facility_id", "series", "period"),)
    id = Column(Integer, primary_key=True)
    facility_id = Column(Integer, nullable=False)
    series = Column(String(40), nullable=False)
    period = Column(String(20), nullable=False)
    value = Column(Integer, nullable=False)


def reserve_numbers(session, facility_id: int, series: str, period: str, count: int) -> int:
    """Take `count` consecutive numbers at once (bulk loads); returns the first."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Counter.__table__
    stmt = insert(table).values(facility_id=facility_id, series=series, period=period,
                                value=count)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.facility_id, table.c.series, table.c.period],
        set_={"value": table.c.value + count},
    ).returning(table.c.value)
    return session.execute(stmt).scalar_one() - count + 1


def next_number(session, facility_id: int, series: str, period: str) -> int:
    return reserve_numbers(session, facility_id, series, period, 1)


def ist_today(now: datetime | None = None) -> date:
    """"Today" for tokens and day-end: the Asia/Kolkata date."""
    now = now or datetime.now(IST)
    return now.astimezone(IST).date()


def financial_year(day: date) -> str:
    """April–March, e.g. 2026-27."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[2:]}"
