"""Vital signs charted on the ward, each set with its NEWS2 score

Revision ID: 0018_vital_signs
Revises: 0017_lab_results
Create Date: 2026-11-30 01:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_vital_signs'
down_revision = '0017_lab_results'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'vital_sign',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('temperature_f', sa.Numeric(4, 1), nullable=True),
        sa.Column('pulse', sa.Integer(), nullable=True),
        sa.Column('resp_rate', sa.Integer(), nullable=True),
        sa.Column('bp_systolic', sa.Integer(), nullable=True),
        sa.Column('bp_diastolic', sa.Integer(), nullable=True),
        sa.Column('spo2', sa.Integer(), nullable=True),
        sa.Column('on_oxygen', sa.Boolean(), nullable=False),
        sa.Column('consciousness', sa.String(length=1), nullable=True),
        sa.Column('pain_score', sa.Integer(), nullable=True),
        sa.Column('rbs_mg_dl', sa.Integer(), nullable=True),
        sa.Column('weight_kg', sa.Numeric(5, 1), nullable=True),
        sa.Column('news2', sa.Integer(), nullable=True),
        sa.Column('news2_risk', sa.String(length=12), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['admission_id'], ['admission.id'], ),
        sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['ab_user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('vital_sign', schema=None) as batch_op:
        batch_op.create_index('ix_vital_sign_admission_taken', ['admission_id', 'taken_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_vital_sign_facility_id'), ['facility_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('vital_sign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vital_sign_facility_id'))
        batch_op.drop_index('ix_vital_sign_admission_taken')
    op.drop_table('vital_sign')
