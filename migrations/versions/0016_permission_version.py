"""A version of roles and permissions, so each process can keep what a role may do and
notice a change at the next request

Revision ID: 0016_permission_version
Revises: 0015_session_generation
Create Date: 2026-11-29 20:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_permission_version'
down_revision = '0015_session_generation'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('permission_version',
                            sa.Column('id', sa.Integer(), nullable=False),
                            sa.Column('value', sa.Integer(), nullable=False),
                            sa.PrimaryKeyConstraint('id'))
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade():
    op.drop_table('permission_version')
