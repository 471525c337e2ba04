"""report store: the cohort report computed in the background and served as a lookup

Revision ID: 0008_report_store
Revises: 0009_check_constraints

One new table, one row per 360 campaign: the stored cohort figures (participant ids, never
names), the data version they were computed from, the version the data has reached and when
they were computed (issue 20). Rows appear when a campaign's data first changes or its cohort
page is first opened; nothing is backfilled here (the first view schedules the computation).
Create Date: 2026-12-01 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_report_store'
down_revision = '0009_check_constraints'  # written beside 0009, applied after it
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cohort_reports',
        sa.Column('campaign_id', sa.String(length=36), nullable=False),
        sa.Column('data_version', sa.Integer(), nullable=False),
        sa.Column('computed_version', sa.Integer(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_cohort_reports_campaign_id_campaigns'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', name=op.f('pk_cohort_reports')),
    )


def downgrade():
    op.drop_table('cohort_reports')
