"""What each form says matches what happens to the answers (issue 19.7)."""

from __future__ import annotations

import re

from survey_app.extensions import db
from survey_app.people.services import add_invitation, add_participant

from .conftest import all_pages

RATER_WORDS = (
    "what you have seen the person do",
    "I have not had the chance to see this",
    "Not observed",
    "stored without your name",
)


def test_the_skills_audit_asks_no_name_as_its_start_page_promises(client, make_campaign, begin):
    campaign = make_campaign("skills_talent_audit")
    link = add_invitation(campaign)
    db.session.commit()
    start = client.get(f"/r/{link.token}").get_data(as_text=True)
    assert "without your name" in start and "does not ask your name" in start
    begin(client, link.token)
    pages = all_pages(client, f"/r/{link.token}")
    assert len(pages) == 5
    for page in pages:
        assert not re.search(r">\s*Name\b", page), "the audit asks a name"
        assert 'name="q_name"' not in page


def test_the_self_assessment_speaks_to_the_person_and_says_who_sees_it(client, make_campaign):
    campaign = make_campaign("resourceful_leader_360")
    person = add_participant(campaign, "Priya Shah", "priya@example.org")
    db.session.commit()
    base = f"/p/{person.token}/self"
    start = client.get(base).get_data(as_text=True)
    assert "Your own view" in start and "not anonymous" in start
    pages = all_pages(client, base)
    assert len(pages) == 9
    assert "Not had the chance" in pages[0]
    assert "My role has not yet given me the chance to do this" in pages[0]
    assert "appear in your own report as yours" in pages[-1]
    check = client.get(f"{base}/check").get_data(as_text=True)
    assert "marked as your self-assessment" in check
    for page in (start, *pages, check):
        for words in RATER_WORDS:
            assert words not in page, words


def test_raters_keep_the_rater_wording(client, make_campaign, begin):
    campaign = make_campaign("resourceful_leader_360")
    person = add_participant(campaign, "Priya Shah", "priya@example.org")
    rater = add_invitation(
        campaign,
        participant=person.participant,
        relationship="peer",
        name="Sam Peer",
        email="sam@example.org",
    )
    db.session.commit()
    start = client.get(f"/r/{rater.token}").get_data(as_text=True)
    assert "what you have seen the person do" in start
    begin(client, rater.token)
    first = client.get(f"/r/{rater.token}/page/1").get_data(as_text=True)
    assert "Not observed" in first and "I have not had the chance to see this" in first
    assert "Not had the chance" not in first
    check = client.get(f"/r/{rater.token}/check").get_data(as_text=True)
    assert "stored without your name" in check
