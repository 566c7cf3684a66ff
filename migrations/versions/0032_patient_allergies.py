"""A patient's allergies, shown where medicines are prescribed

Revision ID: 0032_patient_allergies
Revises: 0031_icd10_ranking
Create Date: 2026-11-30 08:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0032_patient_allergies'
down_revision = '0031_icd10_ranking'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allergies', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_column('allergies')
