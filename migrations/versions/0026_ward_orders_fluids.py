"""Orders written with a round note, the intake/output chart, wards' age bands

Revision ID: 0026_ward_orders_fluids
Revises: 0025_departures
Create Date: 2026-11-30 07:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0026_ward_orders_fluids'
down_revision = '0025_departures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ward', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_age', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_age', sa.Integer(), nullable=True))
    op.create_table(
        'fluid_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('route', sa.String(length=10), nullable=False),
        sa.Column('volume_ml', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('voided_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('void_reason', sa.String(length=300), nullable=True),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('fluid_entry', schema=None) as batch_op:
        batch_op.create_index('ix_fluid_admission', ['admission_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fluid_entry_facility_id'), ['facility_id'],
                              unique=False)
    op.create_table(
        'ward_order',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('note_id', sa.Integer(), sa.ForeignKey('clinical_note.id'), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('tariff_code', sa.String(length=20), nullable=True),
        sa.Column('quantity', sa.Integer(), nullable=True),
        sa.Column('charge_id', sa.Integer(), sa.ForeignKey('charge.id'), nullable=True),
        sa.Column('diet', sa.String(length=12), nullable=True),
        sa.Column('ward_id', sa.Integer(), sa.ForeignKey('ward.id'), nullable=True),
        sa.Column('planned_on', sa.Date(), nullable=True),
        sa.Column('detail', sa.String(length=300), nullable=True),
        sa.Column('ordered_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('ward_order', schema=None) as batch_op:
        batch_op.create_index('ix_ward_order_admission', ['admission_id', 'ordered_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_ward_order_facility_id'), ['facility_id'],
                              unique=False)


def downgrade():
    op.drop_table('ward_order')
    op.drop_table('fluid_entry')
    with op.batch_alter_table('ward', schema=None) as batch_op:
        batch_op.drop_column('max_age')
        batch_op.drop_column('min_age')
