"""seal then mix: sealed drafts, feedback windows, frozen reports

Revision ID: 0002
Revises: 0001

Drafts move from a plain JSON column to `invitations.sealed` (encrypted with the app's answer
key, which the migration runs with); each participant gets a feedback window; frozen reports get
their table. Responses written before this revision stay as they are and are included in a
participant's report when their window closes.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed", sa.LargeBinary(), nullable=True))
    _seal_existing_drafts()
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("draft")

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_status", sa.String(length=10), nullable=False,
                                      server_default="open"))
        batch_op.add_column(sa.Column("window_closes_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("earlier_participant_id", sa.String(length=36),
                                      nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_participants_earlier_participant_id_participants"), "participants",
            ["earlier_participant_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.alter_column("window_status", server_default=None)

    op.create_table(
        "frozen_reports",
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"],
                                name=op.f("fk_frozen_reports_campaign_id_campaigns"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_frozen_reports_participant_id_participants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_frozen_reports")),
    )
    with op.batch_alter_table("frozen_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_frozen_reports_campaign_id"), ["campaign_id"],
                              unique=False)


def _seal_existing_drafts():
    # Runs inside the app (flask db upgrade), so the answer key is the one the app will use.
    from survey_app.mixing.sealing import seal

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, draft FROM invitations WHERE draft IS NOT NULL")).all()
    for invitation_id, draft in rows:
        answers = json.loads(draft) if isinstance(draft, str) else draft
        connection.execute(sa.text("UPDATE invitations SET sealed = :sealed WHERE id = :id"),
                           {"sealed": seal({"answers": answers or {}}, invitation_id),
                            "id": invitation_id})


def downgrade():
    with op.batch_alter_table("frozen_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_frozen_reports_campaign_id"))
    op.drop_table("frozen_reports")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_participants_earlier_participant_id_participants"),
            type_="foreignkey")
        batch_op.drop_column("earlier_participant_id")
        batch_op.drop_column("window_closes_on")
        batch_op.drop_column("window_status")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        # Sealed drafts cannot be turned back into plain ones without the key; they are dropped.
        batch_op.add_column(sa.Column("draft", sa.JSON(), nullable=True))
        batch_op.drop_column("sealed")
