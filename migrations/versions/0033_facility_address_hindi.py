"""A facility's address in Hindi, for the Hindi half of its papers

Revision ID: 0033_facility_address_hindi
Revises: 0032_patient_allergies
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0033_facility_address_hindi'
down_revision = '0032_patient_allergies'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_hi', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.drop_column('address_hi')
