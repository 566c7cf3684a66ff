"""Beds between patients: free, being cleaned, blocked (repair) or reserved

Revision ID: 0020_bed_states
Revises: 0019_clinical_notes
Create Date: 2026-11-30 02:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_bed_states'
down_revision = '0019_clinical_notes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=10), nullable=False,
                                      server_default='free'))
        batch_op.add_column(sa.Column('state_note', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('state_since', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('bed', schema=None) as batch_op:
        batch_op.drop_column('state_since')
        batch_op.drop_column('state_note')
        batch_op.drop_column('state')
