"""Indexes for the reports: a facility's visits, admissions, departures, consultations and
reported tests by day, so a month's HMIS figures and the dashboards read only that month;
on PostgreSQL the visits' and the patients' (sex, birth date) cover what the dashboard
counts, so it reads the indexes alone

Revision ID: 0034_report_indexes
Revises: 0033_facility_address_hindi
Create Date: 2026-11-30 10:10:00

"""
from alembic import op


revision = '0034_report_indexes'
down_revision = '0033_facility_address_hindi'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_opd_visit_facility_date", "opd_visit", ["facility_id", "visit_date"],
     ["visit_type", "department_id", "patient_id"]),
    ("ix_patient_sex_dob", "patient", ["id"], ["gender", "dob", "merged_into_id"]),
    ("ix_consultation_facility_completed", "consultation", ["facility_id", "completed_at"], []),
    ("ix_admission_facility_admitted", "admission", ["facility_id", "admitted_at"], []),
    ("ix_admission_facility_discharged", "admission", ["facility_id", "discharged_at"], []),
    ("ix_lab_order_item_released", "lab_order_item", ["facility_id", "released_at"], []),
]


def upgrade():
    for name, table, columns, include in INDEXES:
        op.create_index(name, table, columns, postgresql_include=include)


def downgrade():
    for name, table, _columns, _include in INDEXES:
        op.drop_index(name, table_name=table)
