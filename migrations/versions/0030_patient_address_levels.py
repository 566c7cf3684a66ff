"""Patients registered with a village alone get its block, district and state; place
names lose the census numbers the LGD export carries ("Sidhbari (391)")

Revision ID: 0030_patient_address_levels
Revises: 0029_search_variants
Create Date: 2026-11-30 07:55:00

"""
from alembic import op
import sqlalchemy as sa

from app.core.seed import place_name


revision = '0030_patient_address_levels'
down_revision = '0029_search_variants'
branch_labels = None
depends_on = None


def upgrade():
    # Registration now fills the levels above a place picked alone; patients registered
    # before had them empty (the slips printed no district).
    for column, parent, parent_column, child in (
            ("block_id", "lgd_village", "block_id", "village_id"),
            ("district_id", "lgd_block", "district_id", "block_id"),
            ("state_id", "lgd_district", "state_id", "district_id")):
        op.execute(f"""
            UPDATE patient SET {column} = (
                SELECT {parent}.{parent_column} FROM {parent} WHERE {parent}.id = patient.{child})
            WHERE {column} IS NULL AND {child} IS NOT NULL""")


    bind = op.get_bind()
    for table in ("lgd_village", "lgd_block"):
        rows = [{"id": i, "en": place_name(en), "hi": place_name(hi)}
                for i, en, hi in bind.execute(sa.text(
                    f"SELECT id, name_en, name_hi FROM {table} WHERE name_en LIKE '%(%'"))
                if (place_name(en), place_name(hi)) != (en, hi)]
        if rows:
            bind.execute(sa.text(f"UPDATE {table} SET name_en = :en, name_hi = :hi "
                                 "WHERE id = :id"), rows)


def downgrade():
    pass  # the filled levels are right; nothing to take back
