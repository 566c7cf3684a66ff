"""Deaths as the MCCD (Form 4) records them, and the medico-legal details of MLC
admissions (the MLC register)

Revision ID: 0023_deaths_mlc
Revises: 0022_discharge_summary
Create Date: 2026-11-30 04:25:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023_deaths_mlc'
down_revision = '0022_discharge_summary'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'death_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('died_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cause_a', sa.String(length=300), nullable=False),
        sa.Column('interval_a', sa.String(length=40), nullable=True),
        sa.Column('cause_b', sa.String(length=300), nullable=True),
        sa.Column('interval_b', sa.String(length=40), nullable=True),
        sa.Column('cause_c', sa.String(length=300), nullable=True),
        sa.Column('interval_c', sa.String(length=40), nullable=True),
        sa.Column('underlying_icd10_id', sa.Integer(), sa.ForeignKey('icd10.id'), nullable=False),
        sa.Column('other_conditions', sa.String(length=300), nullable=True),
        sa.Column('manner', sa.String(length=10), nullable=False),
        sa.Column('certified_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('certified_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('handed_over_to', sa.String(length=100), nullable=True),
        sa.Column('handed_over_relation', sa.String(length=40), nullable=True),
        sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('handed_over_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('certificate_prints', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('admission_id'),
    )
    with op.batch_alter_table('death_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_death_record_facility_id'), ['facility_id'],
                              unique=False)
    op.create_table(
        'medico_legal_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('police_station', sa.String(length=100), nullable=False),
        sa.Column('gd_entry', sa.String(length=40), nullable=True),
        sa.Column('police_informed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('brought_by', sa.String(length=150), nullable=False),
        sa.Column('injuries', sa.Text(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('admission_id'),
    )
    with op.batch_alter_table('medico_legal_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medico_legal_case_facility_id'), ['facility_id'],
                              unique=False)


def downgrade():
    op.drop_table('medico_legal_case')
    op.drop_table('death_record')
