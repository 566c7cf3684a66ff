"""Indexes for the auditors' search by patient (audit events, access log, timeline): the
rows that hang from a patient's charges and stays, found by their foreign key instead of
reading whole tables: bill lines, lab order items and ward orders by charge, a stay's
diagnoses (ruled out too) by admission

Revision ID: 0035_audit_lookup_indexes
Revises: 0034_report_indexes
Create Date: 2026-11-30 10:50:00

"""
from alembic import op


revision = '0035_audit_lookup_indexes'
down_revision = '0034_report_indexes'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_bill_line_charge", "bill_line", ["charge_id"]),
    ("ix_lab_order_item_charge", "lab_order_item", ["charge_id"]),
    ("ix_ward_order_charge", "ward_order", ["charge_id"]),
    ("ix_admission_diagnosis_admission", "admission_diagnosis", ["admission_id"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
