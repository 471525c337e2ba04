"""sessions end on sign-out, password reset links, sign-in throttles per address and client

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_throttles',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started', sa.DateTime(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttles'))
    )
    with op.batch_alter_table('sign_in_throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttles_window_started'),
                              ['window_started'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('reset_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reset_expires_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_reset_token_hash'),
                                          ['reset_token_hash'])
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
    with op.batch_alter_table('users', schema=None) as batch_op:
        # The default was only for existing rows; the model supplies it from now on.
        batch_op.alter_column('session_generation', server_default=None)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_users_reset_token_hash'), type_='unique')
        batch_op.drop_column('reset_expires_at')
        batch_op.drop_column('reset_token_hash')
        batch_op.drop_column('session_generation')
    with op.batch_alter_table('sign_in_throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttles_window_started'))
    op.drop_table('sign_in_throttles')
