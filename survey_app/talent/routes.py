"""The talent pool: joining it (by the person), the register (the region's owner), withdrawing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..admin.audit_log import record_event
from ..auth.access import login_required, signed_in_user, visible_campaigns
from ..coaching.forms import select_choices
from ..coaching.regions import region_or_404
from ..extensions import db
from ..inputs import error_list
from ..models import Campaign
from ..people.services import find_participant
from ..respond import claims
from ..respond.flow import link_answering
from ..respond.forms import ActionForm
from ..statuses import CampaignKind, CampaignStatus, InvitationStatus
from . import bp
from .forms import CarryForm, JoinForm
from .services import (
    INTEREST_LABELS,
    OFFERS,
    TalentError,
    carry_into_campaign,
    consent_text,
    entries_of,
    erase_entry,
    find_entry,
    join,
    pool_region,
    purge_expired,
    record_offer,
)


def _join_page(region, campaign, source: str, participant=None, back_url: str = ""):
    form = JoinForm(
        data={
            "name": participant.name,
            "email": participant.email,
            "organisation": participant.organisation,
            "current_role": participant.current_role,
        }
        if participant
        else None
    )
    error = None
    if form.validate_on_submit():
        try:
            entry = join(
                region,
                campaign,
                source,
                form.name.data,
                form.email.data,
                form.organisation.data,
                form.current_role.data,
                list(form.interests.data or []),
                form.consent.data,
                participant,
            )
        except TalentError as problem:
            error = str(problem)
        else:
            db.session.commit()
            return render_template(
                "talent/joined.html", entry=entry, region=region, back_url=back_url
            )
    return render_template(
        "talent/join.html",
        form=form,
        region=region,
        error=error,
        consent=consent_text(region, source),
        source=source,
        back_url=back_url,
    )


@bp.route("/r/<token>/talent-pool", methods=["GET", "POST"])
def r_join(token: str):
    """After answering the skills audit: put yourself forward, by name, on a separate page."""
    answering = link_answering(token)
    region = pool_region(answering.campaign)
    # As on the done page, only the browser that answered may learn the link was used.
    if (
        region is None
        or answering.invitation.participant_id is not None
        or answering.invitation.status != InvitationStatus.COMPLETED
        or claims.claim_state(answering.invitation) != "mine"
    ):
        abort(404)
    return _join_page(region, answering.campaign, "skills_audit")


@bp.route("/p/<token>/talent-pool", methods=["GET", "POST"])
def p_join(token: str):
    """A programme participant joins the region's talent pool from their own page."""
    participant = find_participant(token)
    region = pool_region(participant.campaign) if participant else None
    if participant is None or region is None:
        abort(404)
    return _join_page(
        region,
        participant.campaign,
        "programme",
        participant,
        url_for("coaching.p_support", token=token),
    )


@bp.route("/t/<token>", methods=["GET", "POST"])
def own_entry(token: str):
    """A person's own entry: what is kept, until when, and a button to withdraw (erase)."""
    entry = find_entry(token)
    if entry is None:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        region = entry.region_id
        erase_entry(entry)
        record_event("talent_withdrawn", None, f"region {region}")
        db.session.commit()
        return render_template("talent/withdrawn.html")
    return render_template(
        "talent/own_entry.html", entry=entry, form=form, interests=INTEREST_LABELS
    )


@bp.route("/regions/<region_id>/talent", methods=["GET", "POST"])
@login_required
def register(region_id: str):
    """The region's talent register: who consented, until when; carry people into campaigns."""
    region = region_or_404(region_id)
    if purge_expired():
        db.session.commit()
    campaigns = list(
        db.session.scalars(
            visible_campaigns(signed_in_user())
            .where(
                Campaign.kind == CampaignKind.THREE_SIXTY,
                Campaign.status.in_((CampaignStatus.DRAFT, CampaignStatus.OPEN)),
            )
            .order_by(Campaign.created_at.desc())
        )
    )
    form = CarryForm()
    form.campaign.choices = select_choices(
        [("", "No campaign")] + [(c.id, c.title) for c in campaigns]
    )
    entries = entries_of(region)
    if form.validate_on_submit():
        chosen = [e for e in entries if e.id in set(request.form.getlist("entry"))]
        message = _carry(form, chosen, campaigns)
        if message:
            record_event("talent_carried", None, f"region {region.id}: {len(chosen)} entries")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".register", region_id=region.id))
    return render_template(
        "talent/register.html",
        layout="auth/layout.html",
        region=region,
        entries=entries,
        form=form,
        interests=INTEREST_LABELS,
        offers=dict(OFFERS),
        action_form=ActionForm(),
    )


def _carry(form: CarryForm, chosen: list, campaigns: list[Campaign]) -> str | None:
    if not chosen:
        error_list(form.campaign).append("Tick the people to include")
        return None
    campaign = next((c for c in campaigns if c.id == form.campaign.data), None)
    if campaign is not None:
        added, there = carry_into_campaign(chosen, campaign)
        return (
            f"Added {added} to '{campaign.title}'"
            + (f" ({there} were there already)" if there else "")
            + ". Send their links from the campaign page."
        )
    if form.offer.data:
        try:
            count = record_offer(chosen, form.offer.data, form.title.data)
        except TalentError as problem:
            error_list(form.title).append(str(problem))
            return None
        return f"Recorded the invitation for {count}."
    error_list(form.campaign).append("Choose a campaign, or what they were invited to")
    return None


@bp.post("/regions/<region_id>/talent/<entry_id>/erase")
@login_required
def erase(region_id: str, entry_id: str):
    """Erase one entry at the person's request."""
    region = region_or_404(region_id)
    entry = next((e for e in entries_of(region) if e.id == entry_id), None)
    if entry is None or not ActionForm().validate():
        abort(404)
    erase_entry(entry)
    record_event("talent_erased", None, f"region {region.id}")
    db.session.commit()
    flash("The entry and the messages about it have been erased.", "success")
    return redirect(url_for(".register", region_id=region.id))
