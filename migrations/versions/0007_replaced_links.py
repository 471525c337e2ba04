"""replaced links: the hash of a link replaced by a newer one, to say so instead of 'not found'

Revision ID: 0007
Revises: 0006

One new table. It holds only SHA-256 hashes of links that no longer work (never a working
link), the campaign and the day, so a visitor with an old link from a mail-merge file or an
earlier email is told it was replaced and whom to ask (issue 19.8).
Create Date: 2026-12-01 13:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('replaced_links',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('campaign_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('replaced_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_replaced_links_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_replaced_links'))
    )
    with op.batch_alter_table('replaced_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replaced_links_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('replaced_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replaced_links_campaign_id'))

    op.drop_table('replaced_links')
