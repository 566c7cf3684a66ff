"""Lab results: the catalogue says how each test is reported and judged (unit, method,
result type, ranges by sex and age, critical, plausible and delta limits, panels); samples;
results in versions; where each ordered test stands

Revision ID: 0017_lab_results
Revises: 0016_permission_version
Create Date: 2026-11-29 21:20:47.316796

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_lab_results'
down_revision = '0016_permission_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lab_panel_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['lab_test.id'], ),
    sa.ForeignKeyConstraint(['panel_id'], ['lab_test.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('panel_id', 'member_id')
    )
    with op.batch_alter_table('lab_panel_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_panel_member_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_panel_member_panel_id'), ['panel_id'], unique=False)

    op.create_table('lab_test_range',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('test_id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('age_from_days', sa.Integer(), nullable=False),
    sa.Column('age_to_days', sa.Integer(), nullable=True),
    sa.Column('low', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('high', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('age_to_days IS NULL OR age_to_days > age_from_days', name='ck_lab_test_range_ages'),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['test_id'], ['lab_test.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lab_test_range', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_test_range_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_test_range_test_id'), ['test_id'], unique=False)

    op.create_table('lab_sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_number', sa.String(length=24), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('sample', sa.String(length=12), nullable=False),
    sa.Column('container', sa.String(length=10), nullable=True),
    sa.Column('test_codes', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('collected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('collected_by_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rejected_by_id', sa.Integer(), nullable=True),
    sa.Column('reject_reason', sa.String(length=12), nullable=True),
    sa.Column('reject_note', sa.String(length=200), nullable=True),
    sa.Column('label_prints', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collected_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['lab_order.id'], ),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.ForeignKeyConstraint(['received_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['rejected_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('facility_id', 'sample_number')
    )
    with op.batch_alter_table('lab_sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_sample_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_sample_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_sample_patient_id'), ['patient_id'], unique=False)

    op.create_table('lab_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('analyte_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('value_number', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('flag', sa.String(length=2), nullable=True),
    sa.Column('range_low', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('range_high', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('range_text', sa.String(length=60), nullable=True),
    sa.Column('delta_from', sa.String(length=200), nullable=True),
    sa.Column('confirmed_implausible', sa.Boolean(), nullable=False),
    sa.Column('critical_called_to', sa.String(length=100), nullable=True),
    sa.Column('critical_called_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('amend_reason', sa.String(length=200), nullable=True),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['analyte_id'], ['lab_test.id'], ),
    sa.ForeignKeyConstraint(['entered_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['lab_order_item.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['lab_order.id'], ),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.ForeignKeyConstraint(['released_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'analyte_id', 'version')
    )
    with op.batch_alter_table('lab_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_result_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index('ix_lab_result_history', ['patient_id', 'analyte_id', 'released_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_result_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_result_order_id'), ['order_id'], unique=False)

    with op.batch_alter_table('lab_order_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='ordered'))
        batch_op.add_column(sa.Column('sample_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('entered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_lab_order_item_sample_id'), ['sample_id'], unique=False)
        batch_op.create_foreign_key('fk_lab_order_item_sample_id', 'lab_sample', ['sample_id'], ['id'])
        batch_op.create_index('ix_lab_order_item_work', ['facility_id', 'status'], unique=False)

    with op.batch_alter_table('lab_test', schema=None) as batch_op:
        batch_op.add_column(sa.Column('container', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('method', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('result_type', sa.String(length=8), nullable=False, server_default='numeric'))
        batch_op.add_column(sa.Column('decimals', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('choices', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('normal_values', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('loinc', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('critical_low', sa.Numeric(precision=12, scale=4), nullable=True))
        batch_op.add_column(sa.Column('critical_high', sa.Numeric(precision=12, scale=4), nullable=True))
        batch_op.add_column(sa.Column('plausible_low', sa.Numeric(precision=12, scale=4), nullable=True))
        batch_op.add_column(sa.Column('plausible_high', sa.Numeric(precision=12, scale=4), nullable=True))
        batch_op.add_column(sa.Column('delta_limit', sa.Numeric(precision=12, scale=4), nullable=True))
        batch_op.add_column(sa.Column('tat_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('panel_only', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('lab_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_prints', sa.Integer(), nullable=False,
                                      server_default='0'))

    with op.batch_alter_table('staff_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qualification', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('council_registration', sa.String(length=40), nullable=True))

    op.execute("UPDATE lab_order_item SET status = 'cancelled' WHERE order_id IN "
               "(SELECT id FROM lab_order WHERE status = 'cancelled')")


def downgrade():
    with op.batch_alter_table('lab_order', schema=None) as batch_op:
        batch_op.drop_column('report_prints')
    with op.batch_alter_table('staff_profile', schema=None) as batch_op:
        batch_op.drop_column('council_registration')
        batch_op.drop_column('qualification')
    with op.batch_alter_table('lab_test', schema=None) as batch_op:
        batch_op.drop_column('panel_only')
        batch_op.drop_column('tat_minutes')
        batch_op.drop_column('delta_limit')
        batch_op.drop_column('plausible_high')
        batch_op.drop_column('plausible_low')
        batch_op.drop_column('critical_high')
        batch_op.drop_column('critical_low')
        batch_op.drop_column('loinc')
        batch_op.drop_column('normal_values')
        batch_op.drop_column('choices')
        batch_op.drop_column('decimals')
        batch_op.drop_column('result_type')
        batch_op.drop_column('method')
        batch_op.drop_column('unit')
        batch_op.drop_column('container')

    with op.batch_alter_table('lab_order_item', schema=None) as batch_op:
        batch_op.drop_index('ix_lab_order_item_work')
        batch_op.drop_constraint('fk_lab_order_item_sample_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lab_order_item_sample_id'))
        batch_op.drop_column('released_at')
        batch_op.drop_column('entered_at')
        batch_op.drop_column('revision')
        batch_op.drop_column('sample_id')
        batch_op.drop_column('status')

    with op.batch_alter_table('lab_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_result_order_id'))
        batch_op.drop_index(batch_op.f('ix_lab_result_item_id'))
        batch_op.drop_index('ix_lab_result_history')
        batch_op.drop_index(batch_op.f('ix_lab_result_facility_id'))

    op.drop_table('lab_result')
    with op.batch_alter_table('lab_sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_sample_patient_id'))
        batch_op.drop_index(batch_op.f('ix_lab_sample_order_id'))
        batch_op.drop_index(batch_op.f('ix_lab_sample_facility_id'))

    op.drop_table('lab_sample')
    with op.batch_alter_table('lab_test_range', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_test_range_test_id'))
        batch_op.drop_index(batch_op.f('ix_lab_test_range_facility_id'))

    op.drop_table('lab_test_range')
    with op.batch_alter_table('lab_panel_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_panel_member_panel_id'))
        batch_op.drop_index(batch_op.f('ix_lab_panel_member_facility_id'))

    op.drop_table('lab_panel_member')
