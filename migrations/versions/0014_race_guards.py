"""Race guards in the database: one open OPD visit per patient, department and day; one
current admission per patient and one open bed stay per admission; a charge on one live
bill; bills never paid beyond what they are owed; payments positive

Revision ID: 0014_race_guards
Revises: 0013_lab
Create Date: 2026-11-29 18:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_race_guards'
down_revision = '0013_lab'
branch_labels = None
depends_on = None

OPEN_VISIT = "status IN ('waiting', 'called', 'in_consultation')"
CURRENT_ADMISSION = "status = 'admitted'"
OPEN_STAY = "to_at IS NULL"
LIVE_CHARGE_LINE = "charge_id IS NOT NULL AND cancelled = false"


def upgrade():
    # Parallel token requests could leave a patient with several open visits in one
    # department on one day; the first one issued stays open, the rest are closed as
    # "left" (their tokens and fees stay on record) so the index can be built.
    op.execute(f"""
        UPDATE opd_visit SET status = 'left'
        WHERE {OPEN_VISIT} AND EXISTS (
            SELECT 1 FROM opd_visit AS earlier
            WHERE earlier.patient_id = opd_visit.patient_id
              AND earlier.department_id = opd_visit.department_id
              AND earlier.visit_date = opd_visit.visit_date
              AND earlier.status IN ('waiting', 'called', 'in_consultation')
              AND earlier.id < opd_visit.id)""")
    with op.batch_alter_table('opd_visit', schema=None) as batch_op:
        batch_op.create_index('ux_opd_visit_open', ['patient_id', 'department_id', 'visit_date'],
                              unique=True, sqlite_where=sa.text(OPEN_VISIT),
                              postgresql_where=sa.text(OPEN_VISIT))
    with op.batch_alter_table('admission', schema=None) as batch_op:
        batch_op.create_index('ux_admission_current', ['patient_id'], unique=True,
                              sqlite_where=sa.text(CURRENT_ADMISSION),
                              postgresql_where=sa.text(CURRENT_ADMISSION))
    with op.batch_alter_table('bed_stay', schema=None) as batch_op:
        batch_op.create_index('ux_bed_stay_current', ['admission_id'], unique=True,
                              sqlite_where=sa.text(OPEN_STAY), postgresql_where=sa.text(OPEN_STAY))
    with op.batch_alter_table('bill_line', schema=None) as batch_op:
        batch_op.create_index('ux_bill_line_charge', ['charge_id'], unique=True,
                              sqlite_where=sa.text(LIVE_CHARGE_LINE),
                              postgresql_where=sa.text(LIVE_CHARGE_LINE))
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'ck_bill_paid', 'paid >= 0 AND paid <= net AND applied >= 0 AND applied <= paid')
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_charge_billed_or_withdrawn',
                                         'bill_id IS NULL OR withdrawn_at IS NULL')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_payment_amount', 'amount > 0')


def downgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_constraint('ck_payment_amount', type_='check')
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.drop_constraint('ck_charge_billed_or_withdrawn', type_='check')
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.drop_constraint('ck_bill_paid', type_='check')
    with op.batch_alter_table('bill_line', schema=None) as batch_op:
        batch_op.drop_index('ux_bill_line_charge', sqlite_where=sa.text(LIVE_CHARGE_LINE),
                            postgresql_where=sa.text(LIVE_CHARGE_LINE))
    with op.batch_alter_table('bed_stay', schema=None) as batch_op:
        batch_op.drop_index('ux_bed_stay_current', sqlite_where=sa.text(OPEN_STAY),
                            postgresql_where=sa.text(OPEN_STAY))
    with op.batch_alter_table('admission', schema=None) as batch_op:
        batch_op.drop_index('ux_admission_current', sqlite_where=sa.text(CURRENT_ADMISSION),
                            postgresql_where=sa.text(CURRENT_ADMISSION))
    with op.batch_alter_table('opd_visit', schema=None) as batch_op:
        batch_op.drop_index('ux_opd_visit_open', sqlite_where=sa.text(OPEN_VISIT),
                            postgresql_where=sa.text(OPEN_VISIT))
