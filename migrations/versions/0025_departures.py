"""Referral, LAMA and absconding recorded on their own forms at discharge

Revision ID: 0025_departures
Revises: 0024_consents
Create Date: 2026-11-30 05:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0025_departures'
down_revision = '0024_consents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'departure_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('referred_to', sa.String(length=150), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=True),
        sa.Column('condition', sa.String(length=300), nullable=True),
        sa.Column('transport', sa.String(length=10), nullable=True),
        sa.Column('accompanied_by', sa.String(length=100), nullable=True),
        sa.Column('risks_explained', sa.String(length=500), nullable=True),
        sa.Column('signed_by', sa.String(length=100), nullable=True),
        sa.Column('relation', sa.String(length=10), nullable=True),
        sa.Column('witness', sa.String(length=100), nullable=True),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('search_made', sa.String(length=300), nullable=True),
        sa.Column('police_informed', sa.Boolean(), nullable=True),
        sa.Column('police_station', sa.String(length=100), nullable=True),
        sa.Column('relatives_informed', sa.Boolean(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('prints', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('admission_id'),
    )
    with op.batch_alter_table('departure_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departure_record_facility_id'), ['facility_id'],
                              unique=False)


def downgrade():
    op.drop_table('departure_record')
