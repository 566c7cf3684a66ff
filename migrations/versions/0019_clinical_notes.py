"""Doctors' rounds and nurses' shift notes of a stay; corrections amend, never edit

Revision ID: 0019_clinical_notes
Revises: 0018_vital_signs
Create Date: 2026-11-30 01:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_clinical_notes'
down_revision = '0018_vital_signs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'clinical_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('admission_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('shift', sa.String(length=8), nullable=True),
        sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('subjective', sa.String(length=4000), nullable=True),
        sa.Column('examination', sa.String(length=4000), nullable=True),
        sa.Column('assessment', sa.String(length=4000), nullable=True),
        sa.Column('plan', sa.String(length=4000), nullable=True),
        sa.Column('text', sa.String(length=4000), nullable=True),
        sa.Column('amends_id', sa.Integer(), nullable=True),
        sa.Column('amend_reason', sa.String(length=300), nullable=True),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['admission_id'], ['admission.id'], ),
        sa.ForeignKeyConstraint(['amends_id'], ['clinical_note.id'], ),
        sa.ForeignKeyConstraint(['author_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('clinical_note', schema=None) as batch_op:
        batch_op.create_index('ix_clinical_note_admission_written',
                              ['admission_id', 'written_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clinical_note_facility_id'), ['facility_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('clinical_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinical_note_facility_id'))
        batch_op.drop_index('ix_clinical_note_admission_written')
    op.drop_table('clinical_note')
