"""Accounts carry the generation of their sessions and tokens (revocation)

Revision ID: 0015_session_generation
Revises: 0014_race_guards
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_session_generation'
down_revision = '0014_race_guards'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
