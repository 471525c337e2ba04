"""Sharing a campaign with another commissioner: read-only, with or without names."""

from __future__ import annotations

from sqlalchemy import select

from ..auth.services import AccountError, normalise_email
from ..extensions import db
from ..models import Campaign, CampaignShare, User
from .services import CampaignError


def account_for(email: str) -> User:
    """The account with this email address; CampaignError saying why when there is none."""
    try:
        address = normalise_email(email)
    except AccountError as error:
        raise CampaignError(str(error)) from None
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        raise CampaignError(
            f"There is no account for {address}. Ask an administrator to "
            "create an account for them, then share the campaign again."
        )
    return user


def share_campaign(campaign: Campaign, email: str, can_see_names: bool = False) -> CampaignShare:
    """Give an existing account read-only access (updating names access if already shared)."""
    user = account_for(email)
    if user.id == campaign.owner_id:
        raise CampaignError(f"{user.email} owns this campaign already.")
    share = db.session.get(CampaignShare, (campaign.id, user.id))
    if share is None:
        share = CampaignShare(campaign_id=campaign.id, user_id=user.id)
        db.session.add(share)
    share.can_see_names = can_see_names
    db.session.flush()
    return share


def unshare_campaign(campaign: Campaign, user_id: int) -> None:
    """Take a share away (nothing happens if there is none)."""
    share = db.session.get(CampaignShare, (campaign.id, user_id))
    if share is not None:
        db.session.delete(share)
        db.session.flush()


def shares_of(campaign: Campaign) -> list[tuple[CampaignShare, User]]:
    """Everyone the campaign is shared with, by email."""
    rows = db.session.execute(
        select(CampaignShare, User)
        .join(User, User.id == CampaignShare.user_id)
        .where(CampaignShare.campaign_id == campaign.id)
        .order_by(User.email)
    )
    return [(share, user) for share, user in rows]
