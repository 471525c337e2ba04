"""Invitations and reminders: delivered to a real local SMTP server, or kept in the outbox."""

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.mail import send_invitation
from survey_app.mail.services import LINK_PLACEHOLDER
from survey_app.models import Invitation, Message
from survey_app.people.services import add_invitation, add_participant, find_invitation

CONFIRM = {"confirm": "yes"}  # what the confirmation page's button posts


@pytest.fixture
def cohort(make_campaign):
    campaign = make_campaign(title="South East cohort")
    asha = add_participant(campaign, "Asha Patel", "asha@example.org").participant
    pending = add_invitation(campaign, asha, "peer", "Pat Peer", "pat@example.org").invitation
    done = add_invitation(campaign, asha, "peer", "Dee Done", "dee@example.org").invitation
    done.status = "completed"
    add_invitation(campaign, asha, "direct_report", "No Email")
    db.session.commit()
    return campaign, asha, pending


def test_invitations_reach_the_smtp_server_with_working_links(
    lead_client, post_form, inbox, cohort
):
    campaign, _, pending = cohort
    detail = f"/campaigns/{campaign.id}"
    response = post_form(lead_client, f"{detail}/messages/invitation", CONFIRM, get_url=detail)
    page = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 sent" in page and "1 skipped because there is no email address" in page
    recipients = sorted(r for rcpts, _ in inbox.messages for r in rcpts)
    assert recipients == ["asha@example.org", "pat@example.org"]
    rater_mail = next(body for rcpts, body in inbox.messages if rcpts == ["pat@example.org"])
    assert "Subject: South East cohort: feedback for Asha Patel" in rater_mail
    token = rater_mail.split("http://localhost/r/")[1].split()[0]
    assert find_invitation(token).id == pending.id
    stored = db.session.scalars(select(Message)).all()
    assert all(m.sent_at for m in stored)
    assert all("http://localhost/r/" not in m.body for m in stored)


def test_second_invitation_run_skips_those_already_invited(lead_client, post_form, inbox, cohort):
    campaign = cohort[0]
    detail = f"/campaigns/{campaign.id}"
    post_form(lead_client, f"{detail}/messages/invitation", CONFIRM, get_url=detail)
    post_form(lead_client, f"{detail}/messages/invitation", CONFIRM, get_url=detail)
    assert len(inbox.messages) == 2


def test_reminders_go_to_the_whole_rater_group_so_they_say_nothing_of_who_answered(
    lead_client, post_form, inbox, cohort
):
    campaign, asha, _ = cohort
    detail = f"/campaigns/{campaign.id}"
    post_form(lead_client, f"{detail}/messages/reminder", CONFIRM, get_url=detail)
    recipients = sorted(r for rcpts, _ in inbox.messages for r in rcpts)
    # Dee has answered and Pat has not: both peers are reminded (docs/design.md §3.4), so the
    # messages page cannot tell the commissioner which peer is still to answer.
    assert recipients == ["asha@example.org", "dee@example.org", "pat@example.org"]
    assert all("Reminder" in body for _, body in inbox.messages)


def test_the_outbox_keeps_no_working_link_and_shows_a_fresh_one_on_request(
    app, lead_client, post_form, cohort
):
    campaign, _, pending = cohort
    detail = f"/campaigns/{campaign.id}"
    response = post_form(lead_client, f"{detail}/messages/invitation", CONFIRM, get_url=detail)
    page = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 put in the outbox" in page and "In outbox" in page and "pat@example.org" in page
    stored = db.session.scalars(select(Message)).all()
    assert all(m.sent_at is None and LINK_PLACEHOLDER in m.body for m in stored)
    # Nothing read from the database opens a page: not the bodies, not anything else.
    assert "/r/" not in page and all("/r/" not in m.body and "/p/" not in m.body for m in stored)
    message = next(m for m in stored if m.invitation_id == pending.id)
    shown = post_form(
        lead_client, f"{detail}/messages/{message.id}/reveal", get_url=f"{detail}/messages"
    ).get_data(as_text=True)
    token = shown.split("http://localhost/r/")[1].split()[0].split("<")[0]
    assert find_invitation(token).id == pending.id
    db.session.refresh(message)
    assert "/r/" not in message.body
    # Showing it again makes another link; the first stops working.
    again = post_form(
        lead_client, f"{detail}/messages/{message.id}/reveal", get_url=f"{detail}/messages"
    ).get_data(as_text=True)
    assert token not in again and find_invitation(token) is None


def test_an_unreachable_server_is_recorded_not_raised(app, cohort, unused_port):
    _, _, pending = cohort
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=unused_port)
    message = send_invitation(pending, "some-token-value-of-enough-length")
    assert message.sent_at is None and "Could not reach the mail server" in message.error
    assert "some-token" not in message.body


def test_line_managers_get_their_own_template(app, inbox, cohort):
    campaign, asha, _ = cohort
    link = add_invitation(campaign, asha, "line_manager", "Lee", "lee@example.org")
    send_invitation(link.invitation, link.token)
    body = inbox.messages[0][1]
    assert "line manager feedback for Asha Patel" in body
    assert "shown on their own" in body and f"http://localhost/r/{link.token}" in body


def test_closed_campaigns_send_nothing(lead_client, post_form, inbox, cohort):
    campaign = cohort[0]
    detail = f"/campaigns/{campaign.id}"
    post_form(lead_client, f"{detail}/status/close", CONFIRM, get_url=detail)
    response = post_form(lead_client, f"{detail}/messages/invitation", CONFIRM, get_url=detail)
    assert "Open the campaign before sending" in lead_client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert inbox.messages == []


def test_an_approved_nomination_is_emailed_to_the_rater_only(
    client, lead_client, post_form, inbox, make_campaign
):
    campaign = make_campaign("tiny_feedback", title="Leaders 2026")
    link = add_participant(campaign, "Priya Shah", "priya@example.org")
    db.session.commit()
    response = post_form(
        client,
        f"/p/{link.token}/raters",
        {"name": "Ada Partner", "email": "ada@health.example", "relationship": "partner"},
    )
    assert response.status_code == 302 and inbox.messages == []
    ada = db.session.scalar(select(Invitation).where(Invitation.name == "Ada Partner"))
    post_form(
        lead_client, f"/campaigns/{campaign.id}/nominations", {f"decision-{ada.id}": "approve"}
    )
    [(recipients, content)] = inbox.messages
    assert recipients == ["ada@health.example"]
    token = content.split("/r/")[1].split()[0]
    assert find_invitation(token).name == "Ada Partner"
    assert "Priya Shah" in content
    assert token not in db.session.scalar(select(Message.body))


def test_a_nomination_needs_an_email_address(client, post_form, inbox, make_campaign):
    campaign = make_campaign("tiny_feedback", title="Leaders 2026")
    link = add_participant(campaign, "Priya Shah", "priya@example.org")
    db.session.commit()
    refused = post_form(
        client, f"/p/{link.token}/raters", {"name": "No Mail", "relationship": "peer"}
    )
    assert refused.status_code == 400
    assert "their link is sent there, never to you" in refused.get_data(as_text=True)
    assert inbox.messages == []
