"""Patients found by the end of their mobile number and by two names written as one

Revision ID: 0029_search_variants
Revises: 0028_visit_scheme_hindi
Create Date: 2026-11-30 07:40:00

"""
from alembic import op
import sqlalchemy as sa

from app.registration.search_key import name_tokens


revision = '0029_search_variants'
down_revision = '0028_visit_scheme_hindi'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    bind = op.get_bind()
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile_rev', sa.String(length=10), nullable=True))
        batch_op.create_index('ix_patient_facility_mobile_rev', ['facility_id', 'mobile_rev'],
                              unique=False)
    if bind.dialect.name == "postgresql":
        op.execute("UPDATE patient SET mobile_rev = reverse(mobile) WHERE mobile IS NOT NULL")
        # Prefix ranges compare in the "C" collation (registration.services._starts_with).
        op.execute('CREATE INDEX ix_patient_mobile_rev_c ON patient '
                   '(facility_id, mobile_rev COLLATE "C")')
    else:
        rows = [{"id": pid, "rev": mobile[::-1]} for pid, mobile in bind.execute(
            sa.text("SELECT id, mobile FROM patient WHERE mobile IS NOT NULL"))]
        if rows:
            bind.execute(sa.text("UPDATE patient SET mobile_rev = :rev WHERE id = :id"), rows)
    # The keys of neighbouring names written as one ("rajeshkumar"), for patients
    # registered before: computed here batch by batch, as registration does.
    token = sa.table('patient_name_token', sa.column('patient_id'), sa.column('facility_id'),
                     sa.column('token'), sa.column('position'))
    last = 0
    while True:
        batch = bind.execute(sa.text(
            "SELECT id, facility_id, name FROM patient WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH}).all()
        if not batch:
            break
        joined = [{"patient_id": pid, "facility_id": fid, "token": tok, "position": pos}
                  for pid, fid, name in batch for tok, pos in name_tokens(name) if pos >= 100]
        if joined:
            bind.execute(token.insert(), joined)
        last = batch[-1][0]


def downgrade():
    op.execute("DELETE FROM patient_name_token WHERE position >= 100")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_patient_mobile_rev_c")
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index('ix_patient_facility_mobile_rev')
        batch_op.drop_column('mobile_rev')
