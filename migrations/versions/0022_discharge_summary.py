"""Diagnoses of a stay (ICD-10, provisional to final) and the discharge summary: drafted,
signed, amended as signed versions, with its medicines to take home

Revision ID: 0022_discharge_summary
Revises: 0021_medication
Create Date: 2026-11-30 04:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0022_discharge_summary'
down_revision = '0021_medication'
branch_labels = None
depends_on = None


def _facility(batch_op, table):
    batch_op.create_index(batch_op.f(f'ix_{table}_facility_id'), ['facility_id'], unique=False)


def upgrade():
    op.create_table(
        'admission_diagnosis',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('icd10_id', sa.Integer(), sa.ForeignKey('icd10.id'), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.Column('noted_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('noted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ruled_out_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('ruled_out_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ruled_out_reason', sa.String(length=300), nullable=True),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('admission_diagnosis', schema=None) as batch_op:
        batch_op.create_index('ux_admission_diagnosis', ['admission_id', 'icd10_id'], unique=True,
                              sqlite_where=sa.text('ruled_out_at IS NULL'),
                              postgresql_where=sa.text('ruled_out_at IS NULL'))
        _facility(batch_op, 'admission_diagnosis')
    op.create_table(
        'discharge_summary',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('complaints', sa.Text(), nullable=True),
        sa.Column('course', sa.Text(), nullable=True),
        sa.Column('procedures', sa.Text(), nullable=True),
        sa.Column('investigations', sa.Text(), nullable=True),
        sa.Column('treatment', sa.Text(), nullable=True),
        sa.Column('condition', sa.String(length=300), nullable=True),
        sa.Column('advice', sa.Text(), nullable=True),
        sa.Column('follow_up_on', sa.Date(), nullable=True),
        sa.Column('follow_up_department_id', sa.Integer(), sa.ForeignKey('department.id'),
                  nullable=True),
        sa.Column('written_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('signed_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('amend_reason', sa.String(length=300), nullable=True),
        sa.Column('prints', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('admission_id'),
    )
    with op.batch_alter_table('discharge_summary', schema=None) as batch_op:
        _facility(batch_op, 'discharge_summary')
    op.create_table(
        'discharge_medicine',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('summary_id', sa.Integer(), sa.ForeignKey('discharge_summary.id'),
                  nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('drug_id', sa.Integer(), sa.ForeignKey('drug.id'), nullable=True),
        sa.Column('drug_name', sa.String(length=160), nullable=False),
        sa.Column('dose', sa.String(length=40), nullable=True),
        sa.Column('frequency', sa.String(length=20), nullable=False),
        sa.Column('days', sa.Integer(), nullable=True),
        sa.Column('route', sa.String(length=20), nullable=True),
        sa.Column('instructions', sa.String(length=200), nullable=True),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('discharge_medicine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discharge_medicine_summary_id'), ['summary_id'],
                              unique=False)
        _facility(batch_op, 'discharge_medicine')
    op.create_table(
        'discharge_summary_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('summary_id', sa.Integer(), sa.ForeignKey('discharge_summary.id'),
                  nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('signed_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('amend_reason', sa.String(length=300), nullable=True),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('summary_id', 'version'),
    )
    with op.batch_alter_table('discharge_summary_version', schema=None) as batch_op:
        _facility(batch_op, 'discharge_summary_version')


def downgrade():
    for table in ('discharge_summary_version', 'discharge_medicine', 'discharge_summary',
                  'admission_diagnosis'):
        op.drop_table(table)
