"""day-end columns on bill lines

Revision ID: 0010_bill_line_day_end
Revises: 0009_bill_cancel_index
Create Date: 2026-11-29 02:56:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_bill_line_day_end'
down_revision = '0009_bill_cancel_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bill_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facility_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('bill_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('bill_kind', sa.String(length=8), nullable=False,
                                      server_default='bill'))
        batch_op.add_column(sa.Column('cancelled', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # Lines written before this revision take their bill's values.
    op.execute("""
        UPDATE bill_line SET
          facility_id = (SELECT bill.facility_id FROM bill WHERE bill.id = bill_line.bill_id),
          bill_date = (SELECT bill.bill_date FROM bill WHERE bill.id = bill_line.bill_id),
          bill_kind = (SELECT bill.kind FROM bill WHERE bill.id = bill_line.bill_id),
          cancelled = (SELECT bill.status = 'cancelled' FROM bill WHERE bill.id = bill_line.bill_id)
    """)
    with op.batch_alter_table('bill_line', schema=None) as batch_op:
        batch_op.alter_column('facility_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('bill_date', existing_type=sa.Date(), nullable=False)
        batch_op.create_index('ix_bill_line_day_end', ['facility_id', 'bill_date'], unique=False)
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index('ix_payment_facility_kind_at', ['facility_id', 'kind', 'received_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_facility_kind_at')
    with op.batch_alter_table('bill_line', schema=None) as batch_op:
        batch_op.drop_index('ix_bill_line_day_end')
        batch_op.drop_column('cancelled')
        batch_op.drop_column('bill_kind')
        batch_op.drop_column('bill_date')
        batch_op.drop_column('facility_id')
