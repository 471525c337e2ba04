"""seal then mix: sealed drafts, feedback windows, frozen reports

Revision ID: 0002
Revises: 0001

Drafts move from a plain JSON column to `invitations.sealed` (encrypted with the app's answer
key, which the migration runs with); each participant gets a feedback window; frozen reports get
their table. Responses written before this revision (stored at submission, beside their
invitation's update) are relabelled from those who answered and written again in random order,
so they are as unlinkable as mixed ones (docs/design.md §3.1).
"""
import json
import random
import uuid
from collections import defaultdict

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
    _remix_existing_responses()

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


def _remix_existing_responses():
    # Version 1 inserted each response in the transaction that completed its invitation, in
    # submission order and labelled from the raters invited. Here, in one transaction: every
    # invitation is touched (no longer sharing a transaction id with its response), each window's
    # labels are decided again from those who answered (a group below k not kept), and every
    # response and answer is written again under a new random id, in random order, dated by its
    # window's last day. migrations/env.py then scrubs the old copies.
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT count(*) FROM responses")).scalar() == 0:
        return
    connection.execute(sa.text("UPDATE invitations SET status = status"))
    responses = [dict(row._mapping) for row in connection.execute(sa.text(
        "SELECT id, campaign_id, participant_id, relationship, submitted_on, source "
        "FROM responses"))]
    answers = defaultdict(list)
    for row in connection.execute(sa.text(
            "SELECT response_id, item_id, position, value FROM answers")):
        answers[row.response_id].append(dict(row._mapping))
    kept = _relabelled(connection, responses)
    connection.execute(sa.text("DELETE FROM answers"))
    connection.execute(sa.text("DELETE FROM responses"))
    shuffle = random.SystemRandom().shuffle
    shuffle(kept)
    new_answers = []
    for response in kept:
        old_id, response["id"] = response["id"], str(uuid.uuid4())
        new_answers += [{**answer, "response_id": response["id"]} for answer in answers[old_id]]
    shuffle(new_answers)
    if kept:
        connection.execute(sa.text(
            "INSERT INTO responses (id, campaign_id, participant_id, relationship, submitted_on, "
            "source) VALUES (:id, :campaign_id, :participant_id, :relationship, :submitted_on, "
            ":source)"), kept)
    if new_answers:
        connection.execute(sa.text(
            "INSERT INTO answers (response_id, item_id, position, value) "
            "VALUES (:response_id, :item_id, :position, :value)"), new_answers)
    op.get_context().config.attributes["scrub_after_upgrade"] = True


def _relabelled(connection, responses):
    """The responses to keep, each window's labels decided from those who answered."""
    from analysis.anonymity import individual_relationships
    from analysis.mixing import group_labels
    from instruments.settings import effective_settings

    campaigns = {}
    for row in connection.execute(sa.text(
            "SELECT id, instrument_snapshot, settings FROM campaigns")):
        snapshot, settings = (json.loads(v) if isinstance(v, str) else (v or {})
                              for v in (row.instrument_snapshot, row.settings))
        own = snapshot.get("settings") or {}
        relationships = own.get("relationships") or []  # as the mix reads them
        k = int(effective_settings(own, settings)["anonymity_threshold"])
        campaigns[row.id] = (individual_relationships(relationships), k,
                             [str(r["id"]) for r in relationships])
    windows = defaultdict(list)
    for response in responses:
        windows[(response["campaign_id"], response["participant_id"])].append(response)
    kept = []
    for (campaign_id, participant_id), members in windows.items():
        last_day = max(response["submitted_on"] for response in members)
        for response in members:
            response["submitted_on"] = last_day
        if participant_id is None:  # a survey: no groups to decide
            kept += members
            continue
        individual, k, order = campaigns[campaign_id]
        answered = [response["relationship"] or "other" for response in members]
        labels = group_labels(answered, individual, k, order)
        for response, relationship in zip(members, answered, strict=True):
            if labels[relationship] is not None:
                kept.append({**response, "relationship": labels[relationship]})
    return kept


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
