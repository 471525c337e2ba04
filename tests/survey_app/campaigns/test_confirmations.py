"""Actions that stop links or send mail ask first, on a page that works without JavaScript."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Campaign, Message
from survey_app.people.services import add_invitation, add_participant


def _hrefs(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


def test_close_campaign_asks_first_and_only_the_confirm_button_closes_it(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign(title="Cohort")
    detail = f"/campaigns/{campaign.id}"
    page = lead_client.get(detail).get_data(as_text=True)
    # The button on the campaign page leads to a page that asks; it does not act.
    assert f"{detail}/status/close" in _hrefs(page)
    one_click = post_form(lead_client, f"{detail}/status/close", get_url=detail)
    assert one_click.status_code == 302
    assert one_click.headers["Location"].endswith(f"{detail}/status/close")
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).is_open
    ask = lead_client.get(f"{detail}/status/close").get_data(as_text=True)
    assert "Close this campaign?" in ask and "Every link to it stops working" in ask
    assert 'name="confirm" value="yes"' in ask and f'href="{detail}"' in ask  # and a way back
    closed = post_form(
        lead_client, f"{detail}/status/close", {"confirm": "yes"}, get_url=f"{detail}/status/close"
    )
    assert closed.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Campaign, campaign.id).is_open


def test_archive_asks_first_too(lead_client, post_form, make_campaign):
    campaign = make_campaign(title="Cohort")
    detail = f"/campaigns/{campaign.id}"
    post_form(lead_client, f"{detail}/status/archive", get_url=detail)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).status == "open"
    assert "cannot be undone" in lead_client.get(f"{detail}/status/archive").get_data(as_text=True)


def test_emailing_invitations_asks_first_and_says_old_links_stop(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign(title="Cohort")
    person = add_participant(campaign, "Asha Patel", "asha@example.org").participant
    add_invitation(campaign, person, "peer", "Pat Peer", "pat@example.org")
    add_invitation(campaign, person, "peer", "No Email")
    db.session.commit()
    detail = f"/campaigns/{campaign.id}"
    assert f"{detail}/messages/invitation" in _hrefs(lead_client.get(detail).get_data(as_text=True))
    one_click = post_form(lead_client, f"{detail}/messages/invitation", get_url=detail)
    assert one_click.headers["Location"].endswith(f"{detail}/messages/invitation")
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0
    ask = lead_client.get(f"{detail}/messages/invitation").get_data(as_text=True)
    assert "Email invitations?" in ask and "This emails 2 people an invitation" in ask
    assert "1 person without an email address will be skipped" in ask
    assert "mail-merge CSV you downloaded before" in ask
    sent = post_form(
        lead_client,
        f"{detail}/messages/invitation",
        {"confirm": "yes"},
        get_url=f"{detail}/messages/invitation",
    )
    assert sent.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Message)) == 2
