"""An OPD visit keeps its exemption scheme's Hindi name too, for Hindi screens and slips

Revision ID: 0028_visit_scheme_hindi
Revises: 0027_refunds_and_fee_kinds
Create Date: 2026-11-30 07:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0028_visit_scheme_hindi'
down_revision = '0027_refunds_and_fee_kinds'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('opd_visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exemption_scheme_hi', sa.String(length=80), nullable=True))
    # Visits made before: the Hindi name their facility's exemption gives the scheme.
    op.execute("""
        UPDATE opd_visit SET exemption_scheme_hi = (
            SELECT MIN(fee_exemption.scheme_hi) FROM fee_exemption
            WHERE fee_exemption.facility_id = opd_visit.facility_id
              AND fee_exemption.scheme_en = opd_visit.exemption_scheme)
        WHERE exemption_scheme IS NOT NULL""")


def downgrade():
    with op.batch_alter_table('opd_visit', schema=None) as batch_op:
        batch_op.drop_column('exemption_scheme_hi')
