"""A link to a campaign that has not opened yet says so and when it opens, never "expired"."""

from __future__ import annotations

import datetime

from survey_app.extensions import db
from survey_app.people.services import add_invitation, add_participant


def _later_campaign(make_campaign, status="open"):
    campaign = make_campaign("tiny_feedback", title="Leaders 2030", status=status)
    campaign.opens_on = datetime.date(2030, 1, 2)
    person = add_participant(campaign, "Priya Shah", "priya@example.org")
    peer = add_invitation(
        campaign,
        participant=person.participant,
        relationship="peer",
        name="Sam Peer",
        email="sam@example.org",
        source="participant",
    )
    db.session.commit()
    return person, peer


def test_links_before_the_opening_date_say_when_it_opens(client, make_campaign):
    person, peer = _later_campaign(make_campaign)
    respondent = add_invitation(
        make_campaign("tiny_feedback", title="Draft survey", status="draft")
    )
    db.session.commit()
    for url in (f"/r/{peer.token}", f"/p/{person.token}/self", f"/p/{person.token}/raters"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 403, url
        assert "This link is not open yet" in page and "It opens on 2 January 2030." in page
        assert "expired" not in page and "has closed" not in page and "410" not in page
    draft = client.get(f"/r/{respondent.token}")
    page = draft.get_data(as_text=True)
    assert draft.status_code == 403
    assert "not open yet" in page and "have not opened it yet" in page and "expired" not in page


def test_the_participant_page_before_opening_says_not_open_rather_than_closed(
    client, make_campaign
):
    person, _ = _later_campaign(make_campaign, status="draft")
    page = client.get(f"/p/{person.token}").get_data(as_text=True)
    assert "Feedback for you is not open yet. It opens on 2 January 2030." in page
    assert "Not open yet" in page
    assert "has closed" not in page and ">Closed<" not in page
