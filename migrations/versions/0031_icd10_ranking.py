"""ICD-10 suggestions ranked: a doctor's favourites, the facility's use, the common
diagnoses of a district hospital (with their Hindi names)

Revision ID: 0031_icd10_ranking
Revises: 0030_patient_address_levels
Create Date: 2026-11-30 08:30:00

"""
from alembic import op
import sqlalchemy as sa

from app.opd.common_diagnoses import ranked


revision = '0031_icd10_ranking'
down_revision = '0030_patient_address_levels'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('icd10', schema=None) as batch_op:
        batch_op.add_column(sa.Column('common_rank', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('title_hi', sa.String(length=120), nullable=True))
    op.create_table(
        'icd10_use',
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False),
        sa.Column('icd10_id', sa.Integer(), sa.ForeignKey('icd10.id'), nullable=False),
        sa.Column('uses', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('facility_id', 'icd10_id'),
    )
    op.create_table(
        'icd10_favourite',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=False),
        sa.Column('icd10_id', sa.Integer(), sa.ForeignKey('icd10.id'), nullable=False),
        sa.PrimaryKeyConstraint('user_id', 'icd10_id'),
    )
    rows = [{"code": code, "rank": rank, "hi": hindi} for rank, (code, hindi) in
            enumerate(ranked(), 1)]
    if rows:  # codes not loaded yet are filled by `hmis load-icd10`
        op.get_bind().execute(sa.text(
            "UPDATE icd10 SET common_rank = :rank, title_hi = :hi WHERE code = :code"), rows)


def downgrade():
    op.drop_table('icd10_favourite')
    op.drop_table('icd10_use')
    with op.batch_alter_table('icd10', schema=None) as batch_op:
        batch_op.drop_column('title_hi')
        batch_op.drop_column('common_rank')
