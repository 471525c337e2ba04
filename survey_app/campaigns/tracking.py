"""Who has been invited, started and finished: counts by relationship, never who answered what.

Self and line manager links are individual, so their status can be shown per person; for every
other group only counts are shown, so a commissioner cannot tell which peer has responded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from analysis.anonymity import individual_relationships as shown_individually
from analysis.anonymity import relationship_labels as stored_group_labels

from ..extensions import db
from ..models import Campaign, Invitation, Participant, Response
from ..statuses import NOT_INVITED, CampaignKind, InvitationStatus
from .services import campaign_instrument, campaign_settings


@dataclass
class Progress:
    """Invited, started and completed counts for one group."""

    key: str
    label: str
    invited: int = 0
    started: int = 0
    completed: int = 0

    @property
    def rate(self) -> float | None:
        """Completed as a share of invited (None when nobody was invited)."""
        return self.completed / self.invited if self.invited else None


def _stage(status: str, draft_page: int | None) -> str:
    if status == InvitationStatus.COMPLETED:
        return InvitationStatus.COMPLETED
    return (
        InvitationStatus.STARTED
        if status == InvitationStatus.STARTED or draft_page is not None
        else InvitationStatus.INVITED
    )


def _tally(rows, labels: dict[str, str]) -> list[Progress]:
    groups: dict[str, Progress] = {}
    for relationship, status, draft_page in rows:
        if status in NOT_INVITED:
            continue
        key = relationship or "respondent"
        group = groups.setdefault(key, Progress(key, labels.get(key, key.replace("_", " "))))
        group.invited += 1
        stage = _stage(status, draft_page)
        if stage != InvitationStatus.INVITED:
            group.started += 1
        if stage == InvitationStatus.COMPLETED:
            group.completed += 1
    order = list(labels)
    return sorted(
        groups.values(), key=lambda g: (order.index(g.key) if g.key in order else len(order), g.key)
    )


def relationship_labels(campaign: Campaign) -> dict[str, str]:
    """Relationship id → label, in the instrument's order (the labels reports use)."""
    return stored_group_labels(campaign_settings(campaign).get("relationships") or [])


def individual_relationships(campaign: Campaign) -> set[str]:
    """Relationships shown person by person (self, line manager): the mix's own rule."""
    return {"self"} | shown_individually(campaign_instrument(campaign).relationships)


def campaign_progress(campaign: Campaign) -> list[Progress]:
    """Progress by relationship across the whole campaign."""
    rows = db.session.execute(
        select(Invitation.relationship, Invitation.status, Invitation.draft_page).where(
            Invitation.campaign_id == campaign.id
        )
    ).all()
    return _tally(rows, relationship_labels(campaign))


def participant_progress(participant: Participant) -> list[Progress]:
    """Progress by relationship for one participant's self-assessment and raters."""
    rows = db.session.execute(
        select(Invitation.relationship, Invitation.status, Invitation.draft_page).where(
            Invitation.participant_id == participant.id
        )
    ).all()
    return _tally(rows, relationship_labels(participant.campaign))


def invitation_stage(invitation: Invitation) -> str:
    """'invited', 'started' or 'completed' for one invitation."""
    return _stage(invitation.status, invitation.draft_page)


def _imported(source: str | None) -> bool:
    # Import batches mark what they write "import" or "imp-<hex>" (campaigns/batches.py).
    return (source or "").startswith("imp")


def dashboard_counts(campaign_ids: list[str]) -> dict[str, dict[str, int]]:
    """Per campaign: links, links completed, imported responses and stored responses.

    Imported answers never had a link, so they count as imported rather than as links: a
    survey import writes responses at once, a 360 import waits on invitations of its own.
    """
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"invited": 0, "completed": 0, "imported": 0, "responses": 0}
    )
    if not campaign_ids:
        return counts
    invited = db.session.execute(
        select(Invitation.campaign_id, Invitation.status, Invitation.source, func.count())
        .where(Invitation.campaign_id.in_(campaign_ids), Invitation.status.not_in(NOT_INVITED))
        .group_by(Invitation.campaign_id, Invitation.status, Invitation.source)
    )
    for campaign_id, status, source, n in invited:
        if _imported(source):
            counts[campaign_id]["imported"] += n if status == InvitationStatus.COMPLETED else 0
            continue
        counts[campaign_id]["invited"] += n
        if status == InvitationStatus.COMPLETED:
            counts[campaign_id]["completed"] += n
    responses = db.session.execute(
        select(Response.campaign_id, Campaign.kind, Response.source, func.count())
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(Response.campaign_id.in_(campaign_ids))
        .group_by(Response.campaign_id, Campaign.kind, Response.source)
    )
    for campaign_id, kind, source, n in responses:
        counts[campaign_id]["responses"] += n
        # A 360 import was counted on its invitations.
        if _imported(source) and kind != CampaignKind.THREE_SIXTY:
            counts[campaign_id]["imported"] += n
    return counts
