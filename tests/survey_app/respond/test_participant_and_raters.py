"""The 360 participant's task list and raters' links, and what a rater is told and asked."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.mixing.services import close_windows
from survey_app.models import Invitation, Message, Response
from survey_app.people.services import add_invitation, reissue_token
from tests.conftest import csrf_from

RATER_LINK = re.compile(r"/r/[A-Za-z0-9_-]{20,}")


def _rate(app, begin, answer_page, post_form, token, comment="Clear direction"):
    browser = app.test_client()
    begin(browser, token)
    base = f"/r/{token}"
    answer_page(browser, base, 1, {"q_listening_meetings": "3"})
    answer_page(browser, base, 2, {"q_delivery_plans": "not_observed"})
    answer_page(browser, base, 3, {"q_wants_move": "no", "q_comments": comment})
    assert post_form(browser, base + "/check").headers["Location"].endswith("/done")
    return browser


def test_task_list_shows_the_journey_and_no_report_until_released(client, three_sixty):
    team = three_sixty()
    page = client.get(f"/p/{team.token}").get_data(as_text=True)
    assert "Complete your self-assessment" in page and "Not started" in page
    assert "Nominate your raters" in page and "2 nominated" in page
    assert "Not available yet" in page and f"/p/{team.token}/report" not in page
    team.participant.report_released = True
    db.session.commit()
    page = client.get(f"/p/{team.token}").get_data(as_text=True)
    assert f'href="/p/{team.token}/report"' in page


def test_a_nomination_waits_for_approval_and_no_link_reaches_the_participant(
    app, client, lead_client, three_sixty, post_form
):
    team = three_sixty()
    response = post_form(
        client,
        f"/p/{team.token}/raters",
        {"name": "Ada Partner", "email": "Ada@Health.example", "relationship": "partner"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Ada Partner" in page and "Waiting for approval" in page
    nominated = db.session.scalar(select(Invitation).where(Invitation.name == "Ada Partner"))
    assert (nominated.status, nominated.email) == ("proposed", "ada@health.example")
    assert not RATER_LINK.search(page)
    review = f"/campaigns/{team.campaign.id}/nominations"
    listed = lead_client.get(review).get_data(as_text=True)
    assert "Ada Partner" in listed and "ada@health.example" in listed
    assert "address outside example.org" in listed
    post_form(lead_client, review, {f"decision-{nominated.id}": "approve"})
    db.session.refresh(nominated)
    assert nominated.status == "invited"
    # No mail server here: the invitation waits in the outbox, and the outbox keeps no link.
    message = db.session.scalar(select(Message).where(Message.invitation_id == nominated.id))
    assert message.to_address == "ada@health.example" and "/r/" not in message.body
    for url in (f"/p/{team.token}", f"/p/{team.token}/raters"):
        assert not RATER_LINK.search(client.get(url).get_data(as_text=True))
    assert "Approved: link sent to them" in client.get(f"/p/{team.token}/raters").get_data(
        as_text=True
    )


def test_nominating_yourself_or_the_same_address_twice_is_refused(client, three_sixty, post_form):
    team = three_sixty()
    own = post_form(
        client,
        f"/p/{team.token}/raters",
        {"name": "Me Again", "email": "PRIYA@example.org", "relationship": "peer"},
    )
    assert own.status_code == 400 and "That is your own address" in own.get_data(as_text=True)
    twice = post_form(
        client,
        f"/p/{team.token}/raters",
        {"name": "Sam Again", "email": "sam@example.org", "relationship": "peer"},
    )
    assert twice.status_code == 400
    assert "sam@example.org is already on your list" in twice.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.status == "proposed")
        )
        == 0
    )


def test_a_rejected_nomination_never_gets_a_link(client, lead_client, three_sixty, post_form):
    team = three_sixty()
    post_form(
        client,
        f"/p/{team.token}/raters",
        {"name": "Fake Peer", "email": "fake@example.org", "relationship": "peer"},
    )
    fake = db.session.scalar(select(Invitation).where(Invitation.name == "Fake Peer"))
    post_form(
        lead_client, f"/campaigns/{team.campaign.id}/nominations", {f"decision-{fake.id}": "reject"}
    )
    db.session.refresh(fake)
    assert fake.status == "rejected"
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0
    assert "Not approved" in client.get(f"/p/{team.token}/raters").get_data(as_text=True)
    progress = client.get(f"/p/{team.token}").get_data(as_text=True)
    assert "0 of 1 peer has answered" in progress


def test_a_line_manager_the_commissioner_added_approves_from_their_own_link(
    app, client, three_sixty, post_form
):
    team = three_sixty(settings={"nomination_approval": "line_manager"})
    manager = add_invitation(
        team.campaign,
        participant=team.participant,
        relationship="line_manager",
        name="Lee Boss",
        email="lee@example.org",
        source="commissioner",
    )
    db.session.commit()
    post_form(
        client,
        f"/p/{team.token}/raters",
        {"name": "Ada Partner", "email": "ada@example.org", "relationship": "partner"},
    )
    ada = db.session.scalar(select(Invitation).where(Invitation.name == "Ada Partner"))
    boss = app.test_client()
    assert "Approve the raters Priya Shah has nominated" in boss.get(
        f"/r/{manager.token}"
    ).get_data(as_text=True)
    url = f"/r/{manager.token}/approvals"
    assert "ada@example.org" in boss.get(url).get_data(as_text=True)
    post_form(boss, url, {f"decision-{ada.id}": "approve"})
    db.session.refresh(ada)
    assert ada.status == "invited"
    # A "line manager" the participant nominated themselves approves nothing.
    assert app.test_client().get(f"/r/{team.manager.token}/approvals").status_code == 404


def test_the_participant_has_no_way_to_relink_or_open_a_raters_link(app, client, three_sixty):
    team = three_sixty()
    page = client.get(f"/p/{team.token}/raters").get_data(as_text=True)
    assert "/link" not in page and not RATER_LINK.search(page)
    relink = client.post(
        f"/p/{team.token}/raters/{team.peer.invitation.id}/link",
        data={"csrf_token": csrf_from(page)},
    )
    assert relink.status_code == 404
    assert app.test_client().get(f"/r/{team.peer.token}").status_code == 200


def test_nomination_errors_are_summarised(client, three_sixty, post_form):
    team = three_sixty()
    response = post_form(
        client,
        f"/p/{team.token}/raters",
        {"name": "", "email": "not-an-email", "relationship": "self"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#name"' in page and 'href="#email"' in page and 'href="#relationship"' in page
    assert "invite at least 5 people in each group so that at least 3 answer" in page.lower()


def test_progress_counts_per_relationship_never_names(
    app, client, three_sixty, begin, answer_page, post_form
):
    team = three_sixty()
    from survey_app.people.services import add_invitation

    extra = add_invitation(
        team.campaign,
        participant=team.participant,
        relationship="peer",
        name="Kim Peer",
        source="participant",
    )
    db.session.commit()
    _rate(app, begin, answer_page, post_form, team.peer.token, comment="Very visible leader")
    page = client.get(f"/p/{team.token}").get_data(as_text=True)
    assert "1 of 2 peers have answered" in page
    assert "0 of 1 line manager has answered" in page
    assert "Very visible leader" not in page
    raters = client.get(f"/p/{team.token}/raters").get_data(as_text=True)
    assert "Very visible leader" not in raters
    # Both peers' rows look alike: nothing says which of them answered.
    rows = re.findall(r"<tr>(.*?)</tr>", raters, re.S)
    shapes = {
        re.sub(
            r'Sam Peer|Kim Peer|<br><span class="hint">[^<]*</span>|/raters/[0-9a-f-]+/', "", row
        )
        for row in rows
        if "Peer" in row
    }
    assert len(rows) == 4 and len(shapes) == 1, extra


def test_participant_opening_a_used_rater_link_cannot_tell_it_was_used(
    app, three_sixty, begin, answer_page, post_form
):
    team = three_sixty()
    _rate(app, begin, answer_page, post_form, team.peer.token)
    curious = app.test_client().get(f"/r/{team.peer.token}", follow_redirects=True)
    page = curious.get_data(as_text=True)
    assert "submitted" not in page and "already been opened" in page


def test_rater_is_told_plainly_who_sees_what(app, three_sixty):
    team = three_sixty(settings={"anonymity_threshold": 4})
    peer = app.test_client().get(f"/r/{team.peer.token}").get_data(as_text=True)
    assert "only shown to Priya Shah combined with others" in peer
    assert "in groups of at least 4 people" in peer
    assert "Line manager ratings are shown to Priya Shah on their own" in peer
    manager = app.test_client().get(f"/r/{team.manager.token}").get_data(as_text=True)
    assert "Your line manager ratings are shown to Priya Shah on their own" in manager


def test_levelled_items_show_raters_the_descriptors_and_never_the_level_titles(
    app, three_sixty, begin
):
    # Rating by job title invites rating the person's grade (issue 17): titles are for reports.
    labels = ["Team manager", "Head of service", "Assistant director", "Director"]
    team = three_sixty(settings={"level_labels": labels})
    for link in (team.peer, team.manager):
        rater = app.test_client()
        begin(rater, link.token)
        page = " ".join(rater.get(f"/r/{link.token}/page/1").get_data(as_text=True).split())
        assert "How does Priya Shah listen in meetings?" in page
        assert "Level 1</span> Lets each team member finish before replying." in page
        assert "Level 4</span>" in page
        assert not any(label in page for label in labels)
        assert page.count('name="q_listening_meetings"') == 5
        assert 'value="not_observed"' in page


def test_a_rater_can_decline_and_their_draft_is_deleted(
    app, three_sixty, begin, answer_page, post_form
):
    team = three_sixty()
    rater = app.test_client()
    begin(rater, team.peer.token)
    answer_page(rater, f"/r/{team.peer.token}", 1, {"q_listening_meetings": "2"})
    csrf = csrf_from(rater.get(f"/r/{team.peer.token}/check").get_data(as_text=True))
    response = post_form(rater, f"/r/{team.peer.token}/decline", follow_redirects=True)
    assert "You have declined to give feedback" in response.get_data(as_text=True)
    invitation = db.session.get(Invitation, team.peer.invitation.id)
    db.session.refresh(invitation)
    assert (invitation.status, invitation.sealed) == ("declined", None)
    late = rater.post(f"/r/{team.peer.token}/check", data={"csrf_token": csrf})
    assert late.headers["Location"].endswith("/done")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_self_assessment_uses_self_wording_and_records_self(
    client, three_sixty, answer_page, post_form
):
    team = three_sixty()
    base = f"/p/{team.token}/self"
    start = client.get(base).get_data(as_text=True)
    assert "Your self-assessment" in start
    assert "How do you listen in meetings?" in client.get(base + "/page/1").get_data(as_text=True)
    answer_page(client, base, 3, {"q_confident": "2", "q_wants_move": "no"})
    assert post_form(client, base + "/check").headers["Location"].endswith("/self/done")
    assert "Completed" in client.get(f"/p/{team.token}").get_data(as_text=True)
    close_windows([team.participant])
    db.session.commit()
    response = db.session.scalars(select(Response)).one()
    assert (response.participant_id, response.relationship) == (team.participant.id, "self")


def test_a_participant_link_reissued_by_the_commissioner_stops_the_old_one(client, three_sixty):
    team = three_sixty()
    reissue_token(team.participant)
    db.session.commit()
    # It stops working, and says it was replaced rather than "not found" (issue 19.8).
    response = client.get(f"/p/{team.token}")
    assert response.status_code == 410
    assert "This link has been replaced" in response.get_data(as_text=True)
