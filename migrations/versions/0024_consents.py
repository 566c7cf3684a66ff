"""Consents taken on the ward (admission, procedure, anaesthesia, transfusion, high risk)

Revision ID: 0024_consents
Revises: 0023_deaths_mlc
Create Date: 2026-11-30 04:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024_consents'
down_revision = '0023_deaths_mlc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), sa.ForeignKey('admission.id'), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('procedure', sa.String(length=300), nullable=True),
        sa.Column('risks', sa.String(length=1000), nullable=True),
        sa.Column('signed_by', sa.String(length=100), nullable=False),
        sa.Column('relation', sa.String(length=10), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('witness', sa.String(length=100), nullable=False),
        sa.Column('explained_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('prints', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index('ix_consent_admission', ['admission_id', 'signed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_facility_id'), ['facility_id'], unique=False)


def downgrade():
    op.drop_table('consent')
