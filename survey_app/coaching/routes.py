"""Regions and their pool, a programme's support settings, matching and sessions.

Every URL of the feature is here. Region pages are for the region's owner (and administrators);
campaign pages go through `campaign_access(..., write=True)`, so a campaign someone cannot
change is a 404 or 403 exactly as elsewhere.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..admin.audit_log import record_event
from ..auth.access import (
    campaign_access,
    campaign_participant,
    current_user,
    login_required,
    signed_in_user,
    visible_campaign_ids,
)
from ..extensions import db
from ..inputs import required
from ..models import Campaign
from ..people.services import find_participant
from ..respond.forms import ActionForm
from ..statuses import MatchStatus
from . import bp
from .forms import (
    MatchForm,
    NewRegionForm,
    ProgrammeForm,
    RegionForm,
    SessionForm,
    SupporterForm,
    select_choices,
)
from .models import SupportMatch, programme_settings
from .regions import (
    RegionError,
    SupporterData,
    active_matches,
    behaviour_choices,
    create_region,
    neighbours_text,
    region_or_404,
    regions_of,
    save_supporter,
    update_region,
    use_own_360,
)
from .services import (
    ROLES,
    SESSION_KINDS,
    MatchError,
    campaign_region,
    confirm_match,
    current_match,
    end_match,
    log_session,
    matches_of,
    matching_page,
    sessions_offered,
    sessions_used,
    set_programme,
    support_rows,
    supporter_of_region,
)

LAYOUT = "auth/layout.html"


@bp.route("/regions", methods=["GET", "POST"])
@login_required
def regions():
    """The regions you run, and a form to add one."""
    form = NewRegionForm()
    problems = []
    if form.validate_on_submit():
        try:
            region = create_region(current_user(), form.name.data, form.authorities.data)
        except RegionError as error:
            problems = error.problems
        else:
            db.session.commit()
            flash(
                f"Added {region.name}. List which authorities neighbour each other next.", "success"
            )
            return redirect(url_for(".region", region_id=region.id, _anchor="neighbours"))
    return render_template(
        "coaching/regions.html",
        layout=LAYOUT,
        regions=regions_of(current_user()),
        form=form,
        problems=problems,
    )


@bp.route("/regions/<region_id>", methods=["GET", "POST"])
@login_required
def region(region_id: str):
    """A region's authorities, neighbours and pool of coaches and mentors."""
    region = region_or_404(region_id)
    form = RegionForm(
        data={
            "name": region.name,
            "authorities": "\n".join(region.authorities),
            "neighbours": neighbours_text(region),
            "talent_retention_days": region.talent_retention_days,
        }
    )
    problems = []
    if form.validate_on_submit():
        try:
            update_region(
                region,
                form.name.data,
                form.authorities.data,
                form.neighbours.data or "",
                required(form.talent_retention_days.data),
            )
        except RegionError as error:
            problems = error.problems
        else:
            record_event("region_changed", None, f"region {region.id}")
            db.session.commit()
            flash("Region saved.", "success")
            return redirect(url_for(".region", region_id=region.id))
    titles = dict(behaviour_choices())
    pool = [(s, active_matches(s)) for s in region.supporters]
    return render_template(
        "coaching/region.html",
        layout=LAYOUT,
        region=region,
        form=form,
        problems=problems,
        pool=pool,
        titles=titles,
        action_form=ActionForm(),
    )


def _supporter_data(form: SupporterForm) -> SupporterData:
    return SupporterData(
        name=required(form.name.data),
        email=form.email.data or "",
        authority=form.authority.data,
        coach=form.coach.data,
        mentor=form.mentor.data,
        strengths=list(form.strengths.data or []),
        capacity=required(form.capacity.data),
        training=form.training.data or "",
        active=form.active.data,
    )


@bp.route("/regions/<region_id>/pool/new", methods=["GET", "POST"])
@bp.route("/regions/<region_id>/pool/<supporter_id>", methods=["GET", "POST"])
@login_required
def supporter(region_id: str, supporter_id: str | None = None):
    """Add a coach or mentor to the pool, or change one."""
    region = region_or_404(region_id)
    existing = supporter_of_region(region, supporter_id) if supporter_id else None
    if supporter_id and existing is None:
        abort(404)
    form = SupporterForm(obj=existing)
    form.set_choices(region.authorities)
    problems = []
    if form.validate_on_submit():
        try:
            saved = save_supporter(region, _supporter_data(form), existing)
        except RegionError as error:
            problems = error.problems
        else:
            record_event("pool_changed", None, f"region {region.id} supporter {saved.id}")
            db.session.commit()
            flash(f"Saved {saved.name}.", "success")
            return redirect(url_for(".region", region_id=region.id, _anchor="pool"))
    return render_template(
        "coaching/supporter.html",
        layout=LAYOUT,
        region=region,
        form=form,
        supporter=existing,
        problems=problems,
        action_form=ActionForm(),
    )


@bp.post("/regions/<region_id>/pool/<supporter_id>/own-360")
@login_required
def supporter_own_360(region_id: str, supporter_id: str):
    """Take a supporter's strengths from their own released 360."""
    region = region_or_404(region_id)
    found = supporter_of_region(region, supporter_id)
    if found is None or not ActionForm().validate():
        abort(404)
    if use_own_360(found, visible_campaign_ids(signed_in_user())):
        db.session.commit()
        flash(f"{found.name}'s strengths now come from their own 360.", "success")
    else:
        flash(
            f"No released 360 report for {found.email or found.name} was found in your "
            "campaigns, so their declared strengths are kept.",
            "error",
        )
    return redirect(url_for(".supporter", region_id=region.id, supporter_id=found.id))


@bp.route("/campaigns/<campaign_id>/support", methods=["GET", "POST"])
@login_required
def programme(campaign_id: str):
    """The programme's support: its region and offer, and each participant's coach and mentor."""
    campaign = campaign_access(campaign_id, write=True)
    settings = programme_settings(campaign.settings)
    mine = regions_of(signed_in_user())
    form = ProgrammeForm(
        data={
            "region": settings["region_id"] or "",
            "sessions_offered": settings["sessions_offered"],
            "sponsor_required": settings["sponsor_required"],
            "talent_pool": settings["talent_pool"],
        }
    )
    form.region.choices = select_choices([("", "No region yet")] + [(r.id, r.name) for r in mine])
    if form.validate_on_submit():
        chosen = next((r for r in mine if r.id == form.region.data), None)
        set_programme(
            campaign,
            chosen,
            required(form.sessions_offered.data),
            form.sponsor_required.data,
            form.talent_pool.data,
        )
        record_event("programme_changed", campaign, "support settings")
        db.session.commit()
        flash("Programme support saved.", "success")
        return redirect(url_for(".programme", campaign_id=campaign.id))
    return render_template(
        "coaching/programme.html",
        layout=LAYOUT,
        campaign=campaign,
        form=form,
        rows=support_rows(campaign) if campaign.is_360 else [],
        region=campaign_region(campaign),
        offered=sessions_offered(campaign),
        regions=mine,
    )


@bp.route("/campaigns/<campaign_id>/participants/<participant_id>/support", methods=["GET", "POST"])
@login_required
def match(campaign_id: str, participant_id: str):
    """Proposals for a participant's coach or mentor; confirming one tells both of them."""
    campaign = campaign_access(campaign_id, write=True)
    participant = campaign_participant(campaign, participant_id)
    role = request.values.get("role", "coach")
    if role not in ROLES:
        abort(404)
    form = MatchForm()  # its choice is checked again by confirm_match, never trusted
    page = matching_page(participant, role)
    error = None
    if form.validate_on_submit():
        try:
            made = confirm_match(participant, form.supporter.data, role)
        except MatchError as problem:
            error = str(problem)
        else:
            record_event("match_confirmed", campaign, f"participant {participant.id} {role}")
            db.session.commit()
            flash(
                f"{made.supporter.name} is now {participant.name}'s {role}. Both have been "
                "told (see Messages for anything waiting in the outbox).",
                "success",
            )
            return redirect(
                url_for(".match", campaign_id=campaign.id, participant_id=participant.id, role=role)
            )
    return render_template(
        "coaching/match.html",
        layout=LAYOUT,
        campaign=campaign,
        participant=participant,
        role=role,
        page=page,
        form=form,
        error=error,
        current=current_match(participant, role),
        matches=matches_of(participant),
        used=sessions_used(participant),
        offered=sessions_offered(campaign),
        session_form=SessionForm(),
        session_kinds=dict(SESSION_KINDS),
        action_form=ActionForm(),
        titles=dict(behaviour_choices()),
    )


def _match(campaign: Campaign, participant_id: str, match_id: str) -> SupportMatch:
    participant = campaign_participant(campaign, participant_id)
    found = db.session.get(SupportMatch, match_id) if len(match_id) <= 36 else None
    if found is None or found.participant_id != participant.id:
        abort(404)
    return found


@bp.post("/campaigns/<campaign_id>/participants/<participant_id>/support/<match_id>/end")
@login_required
def end(campaign_id: str, participant_id: str, match_id: str):
    """End a match, freeing the supporter's place."""
    campaign = campaign_access(campaign_id, write=True)
    found = _match(campaign, participant_id, match_id)
    if not ActionForm().validate():
        abort(400)
    end_match(found)
    record_event("match_ended", campaign, f"participant {participant_id} {found.role}")
    db.session.commit()
    flash(f"The match with {found.supporter.name} has ended.", "success")
    return redirect(
        url_for(".match", campaign_id=campaign.id, participant_id=participant_id, role=found.role)
    )


@bp.post("/campaigns/<campaign_id>/participants/<participant_id>/support/<match_id>/sessions")
@login_required
def session(campaign_id: str, participant_id: str, match_id: str):
    """Log one session held, counted against the programme's offer."""
    campaign = campaign_access(campaign_id, write=True)
    found = _match(campaign, participant_id, match_id)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            log_session(found, required(form.held_on.data), form.kind.data)
        except MatchError as problem:
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash("Session recorded.", "success")
            return redirect(
                url_for(
                    ".match",
                    campaign_id=campaign.id,
                    participant_id=participant_id,
                    role=found.role,
                    _anchor="sessions",
                )
            )
    else:
        flash(
            next(
                iter(e for errors in form.errors.values() for e in errors),
                "Enter the session's date and how it was held",
            ),
            "error",
        )
    # A problem: back to the top, where the error summary is (no jump past it).
    return redirect(
        url_for(".match", campaign_id=campaign.id, participant_id=participant_id, role=found.role)
    )


@bp.get("/p/<token>/support")
def p_support(token: str):
    """A participant's own page of support: their coach and mentor, sessions and sponsor."""
    from ..sponsors.services import sponsor_of

    participant = find_participant(token)
    if participant is None or not participant.campaign.is_360:
        abort(404)
    active = [m for m in matches_of(participant) if m.status == MatchStatus.ACTIVE]
    return render_template(
        "coaching/participant.html",
        participant=participant,
        token=token,
        matches=active,
        used=sessions_used(participant),
        offered=sessions_offered(participant.campaign),
        sponsor=sponsor_of(participant),
        talent_pool=programme_settings(participant.campaign.settings)["talent_pool"],
    )
