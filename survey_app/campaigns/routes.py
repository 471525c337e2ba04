"""Campaign pages: dashboard, create, edit, open, close, archive and the open link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth.access import (
    campaign_access,
    can_see_names,
    can_write,
    current_user,
    login_required,
    signed_in_user,
    visible_campaigns,
)
from ..extensions import db
from ..inputs import SelectChoice, whole_number
from ..library.services import launchable
from ..mixing.services import close_due_windows
from ..models import Campaign, Participant
from ..nominations.services import pending
from . import bp, once, services, sharing
from .forms import NewCampaignForm, edit_form_for
from .links import link_url
from .tracking import campaign_progress, dashboard_counts, participant_progress


@bp.get("/")
@login_required
def dashboard():
    """Every campaign the user may see, with status and response rates."""
    user = current_user()
    campaigns = list(
        db.session.scalars(
            visible_campaigns(user).order_by(Campaign.created_at.desc(), Campaign.id)
        )
    )
    counts = dashboard_counts([c.id for c in campaigns])
    return render_template("campaigns/dashboard.html", campaigns=campaigns, counts=counts)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a draft campaign from an instrument in the library (bundled or uploaded)."""
    form = NewCampaignForm()
    form.instrument.choices = [
        SelectChoice(key, f"{v.title} (version {v.version}{'' if v.bundled else ', uploaded'})")
        for key, v in launchable().items()
    ]
    if form.validate_on_submit():
        try:
            campaign = services.create_campaign(
                current_user(), form.instrument.data, form.title.data
            )
        except services.CampaignError as error:
            form.title.errors = [str(error)]
        else:
            db.session.commit()
            flash(
                f"Created '{campaign.title}'. It is a draft: open it when links should work.",
                "success",
            )
            return redirect(url_for(".detail", campaign_id=campaign.id))
    return render_template("campaigns/new.html", form=form), 400 if form.errors else 200


@bp.get("/<campaign_id>")
@login_required
def detail(campaign_id):
    """A campaign's status, progress by relationship, participants and actions."""
    campaign = campaign_access(campaign_id)
    close_due_windows(campaign)
    return _detail_page(campaign)


def _detail_page(campaign, share_error: str = "", share_form=None, status: int = 200):
    """The campaign page; after a failed share, the problem on top and the form as typed."""
    user = signed_in_user()
    participants = list(
        db.session.scalars(
            select(Participant)
            .where(Participant.campaign_id == campaign.id)
            .order_by(Participant.name, Participant.id)
        )
    )
    progress = {p.id: _self_and_raters(participant_progress(p)) for p in participants}
    writable = can_write(user, campaign)
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        progress=campaign_progress(campaign),
        waiting_nominations=len(pending(campaign)) if campaign.is_360 else 0,
        participants=participants,
        participant_progress=progress,
        settings=services.campaign_settings(campaign),
        writable=writable,
        show_names=can_see_names(user, campaign),
        shares=sharing.shares_of(campaign) if writable else [],
        share_error=share_error,
        share_form=share_form or {},
        page_title=("Error: " if share_error else "") + campaign.title,
    ), status


def _self_and_raters(groups) -> dict:
    finished_self = any(g.key == "self" and g.completed for g in groups)
    raters = [g for g in groups if g.key != "self"]
    return {
        "self_done": finished_self,
        "raters_invited": sum(g.invited for g in raters),
        "raters_completed": sum(g.completed for g in raters),
    }


@bp.route("/<campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit(campaign_id):
    """Change title, dates, threshold and (360) target levels."""
    campaign = campaign_access(campaign_id, write=True)
    form = edit_form_for(campaign, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        settings = {"anonymity_threshold": form.anonymity_threshold.data}
        if hasattr(form, "source_data") and form.source_data.raw_data:
            settings["source_data"] = form.source_data.data or None
        if form.role_fields:
            settings["target_levels"] = {
                f.name.removeprefix("target_"): int(f.data) for f in form.role_fields
            }
        try:
            settings |= services.campaign_option_settings(
                campaign,
                # Only fields the form sent: a post without one leaves that list as it was.
                {
                    f.name.removeprefix("options_"): f.data or ""
                    for f in form.option_fields
                    if f.raw_data
                },
                form.rating_variant.data
                if hasattr(form, "rating_variant") and form.rating_variant.raw_data
                else None,
            )
            services.update_campaign(
                campaign, form.title.data, form.opens_on.data, form.closes_on.data, settings
            )
        except services.CampaignError as error:
            form.title.errors = [str(error)]
        else:
            db.session.commit()
            flash("Saved the campaign's details.", "success")
            return redirect(url_for(".detail", campaign_id=campaign.id))
    status = 400 if form.errors else 200
    return render_template("campaigns/edit.html", campaign=campaign, form=form), status


ACTIONS = {
    "open": services.open_campaign,
    "close": services.close_campaign,
    "archive": services.archive_campaign,
}
DONE = {
    "open": "opened: its links now work",
    "close": "closed: every link has stopped working",
    "archive": "archived: closed for good, its reports are kept",
}


# Closing and archiving stop every link at once: they ask first (docs/design.md §1).
CONFIRM = {
    "close": (
        "Close this campaign?",
        "Close campaign",
        "Every link to it stops working at once: raters, participants and respondents "
        "who have not finished can no longer answer, and open feedback windows close, so "
        "their reports are prepared now.",
        "You can reopen the campaign later, but reports prepared at the close stay as they are.",
    ),
    "archive": (
        "Archive this campaign?",
        "Archive campaign",
        "Archiving closes the campaign for good: every link stops working and it "
        "cannot be reopened. Its reports and findings are kept.",
        "This cannot be undone.",
    ),
}


@bp.get("/<campaign_id>/status/<action>")
@login_required
def confirm_status(campaign_id, action):
    """Ask before closing or archiving: what stops working, and a button that does it."""
    campaign = campaign_access(campaign_id, write=True)
    if action not in CONFIRM:
        abort(404)
    title, button, consequence, warning = CONFIRM[action]
    return render_template(
        "campaigns/confirm.html",
        campaign=campaign,
        confirm={
            "title": title,
            "paragraphs": [consequence],
            "warning": warning,
            "button": button,
            "danger": True,
            "action": url_for(".change_status", campaign_id=campaign.id, action=action),
            "back": url_for(".detail", campaign_id=campaign.id),
        },
    )


@bp.post("/<campaign_id>/status/<action>")
@login_required
def change_status(campaign_id, action):
    """Open, reopen, close or archive (closing and archiving once confirmed)."""
    campaign = campaign_access(campaign_id, write=True)
    if action not in ACTIONS:
        abort(404)
    if action in CONFIRM and request.form.get("confirm") != "yes":
        return redirect(url_for(".confirm_status", campaign_id=campaign.id, action=action))
    try:
        ACTIONS[action](campaign)
    except services.CampaignError as error:
        flash(str(error), "error")
        return redirect(url_for(".detail", campaign_id=campaign.id))
    db.session.commit()
    message = f"Campaign {DONE[action]}."
    if action in ("close", "archive"):
        summary = close_due_windows(campaign)
        if summary.windows_closed:
            message += " " + summary.describe()
    flash(message, "success")
    return redirect(url_for(".detail", campaign_id=campaign.id))


@bp.post("/<campaign_id>/open-link")
@login_required
def open_link(campaign_id):
    """Switch the open link on (a fresh address, shown once) or off."""
    campaign = campaign_access(campaign_id, write=True)
    if request.form.get("enabled") == "0":
        services.close_open_link(campaign)
        db.session.commit()
        flash("The open link is switched off.", "success")
        return redirect(url_for(".detail", campaign_id=campaign.id))
    try:
        token = services.enable_open_link(campaign)
    except services.CampaignError as error:
        flash(str(error), "error")
        return redirect(url_for(".detail", campaign_id=campaign.id))
    db.session.commit()
    once.keep_for_one_view(campaign.id, "open_link", [{"url": link_url("open", token)}])
    return redirect(url_for(".open_link_made", campaign_id=campaign.id))


@bp.get("/<campaign_id>/open-link")
@login_required
def open_link_made(campaign_id):
    """The open link just made, shown once; a reload says so rather than making another."""
    campaign = campaign_access(campaign_id, write=True)
    held = once.take(campaign.id, "open_link")
    return render_template(
        "campaigns/open_link.html", campaign=campaign, url=held["rows"][0]["url"] if held else ""
    )


@bp.post("/<campaign_id>/shares")
@login_required
def share(campaign_id):
    """Share the campaign with another commissioner, or stop sharing it."""
    campaign = campaign_access(campaign_id, write=True)
    try:
        if request.form.get("remove"):
            user_id = whole_number(request.form["remove"], minimum=1)
            if user_id is None:
                raise ValueError("not an account id")
            sharing.unshare_campaign(campaign, user_id)
            message = "Sharing removed."
        else:
            names = request.form.get("names") == "1"
            sharing.share_campaign(campaign, request.form.get("email", ""), names)
            message = "Campaign shared" + (" with names." if names else " without names.")
    except services.CampaignError as error:
        # Shown again rather than redirected past: the summary on top, the address as typed.
        db.session.rollback()
        return _detail_page(campaign, share_error=str(error), share_form=request.form, status=400)
    except ValueError:
        flash("That sharing request was not understood.", "error")
        return redirect(url_for(".detail", campaign_id=campaign.id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", campaign_id=campaign.id, _anchor="sharing"))
