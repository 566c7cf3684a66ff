"""Medication orders of a stay and the nurses' administration record (MAR)

Revision ID: 0021_medication
Revises: 0020_bed_states
Create Date: 2026-11-30 04:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021_medication'
down_revision = '0020_bed_states'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'medication_order',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), nullable=False),
        sa.Column('drug_id', sa.Integer(), nullable=True),
        sa.Column('drug_name', sa.String(length=160), nullable=False),
        sa.Column('dose', sa.String(length=40), nullable=False),
        sa.Column('route', sa.String(length=20), nullable=False),
        sa.Column('frequency', sa.String(length=20), nullable=False),
        sa.Column('days', sa.Integer(), nullable=True),
        sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('end_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('instructions', sa.String(length=200), nullable=True),
        sa.Column('ordered_by_id', sa.Integer(), nullable=True),
        sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('stopped_by_id', sa.Integer(), nullable=True),
        sa.Column('stop_reason', sa.String(length=300), nullable=True),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['admission_id'], ['admission.id'], ),
        sa.ForeignKeyConstraint(['drug_id'], ['drug.id'], ),
        sa.ForeignKeyConstraint(['ordered_by_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['stopped_by_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('medication_order', schema=None) as batch_op:
        batch_op.create_index('ix_medication_order_admission', ['admission_id', 'start_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_medication_order_facility_id'), ['facility_id'],
                              unique=False)
    op.create_table(
        'medication_administration',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', sa.String(length=8), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('voided_by_id', sa.Integer(), nullable=True),
        sa.Column('void_reason', sa.String(length=300), nullable=True),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['medication_order.id'], ),
        sa.ForeignKeyConstraint(['admission_id'], ['admission.id'], ),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['voided_by_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('medication_administration', schema=None) as batch_op:
        batch_op.create_index('ux_mar_dose', ['order_id', 'due_at'], unique=True,
                              sqlite_where=sa.text('due_at IS NOT NULL AND voided_at IS NULL'),
                              postgresql_where=sa.text('due_at IS NOT NULL AND voided_at IS NULL'))
        batch_op.create_index('ix_mar_admission', ['admission_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_medication_administration_facility_id'),
                              ['facility_id'], unique=False)


def downgrade():
    op.drop_table('medication_administration')
    op.drop_table('medication_order')
