"""instrument versions: instruments uploaded in the web app or CLI, one row per version

Revision ID: 0010_instrument_versions
Revises: 0008_report_store

One new table (issue 17): each uploaded version of an instrument, the file as sent, the validated
data a campaign snapshots, and who uploaded it. Nothing is backfilled: bundled instruments stay
files in instruments/library/.
Create Date: 2026-12-01 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_instrument_versions'
down_revision = '0008_report_store'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'instrument_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('source_format', sa.String(length=10), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('360', 'survey')", name=op.f('ck_instrument_versions_kind_known')),
        sa.CheckConstraint("source_format IN ('yaml', 'xlsform')", name=op.f('ck_instrument_versions_source_format_known')),
        sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_instrument_versions_uploaded_by_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_versions')),
        sa.UniqueConstraint('key', 'version', name='uq_instrument_versions_key_version'),
    )
    with op.batch_alter_table('instrument_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_versions_key'), ['key'], unique=False)


def downgrade():
    with op.batch_alter_table('instrument_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_versions_key'))
    op.drop_table('instrument_versions')
