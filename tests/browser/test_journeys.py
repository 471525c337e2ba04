"""Full journeys in headless Chromium: respondent, participant and rater, with axe scans."""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.browser


def _setup_people():
    from instruments import load_instrument
    from survey_app.auth.services import create_user
    from survey_app.campaigns.services import create_campaign, open_campaign, open_link_token
    from survey_app.library.store import bundled
    from survey_app.people.services import add_participant
    from tests.conftest import TINY_INSTRUMENT

    bundled().setdefault("tiny_feedback", load_instrument(TINY_INSTRUMENT))
    owner = create_user(
        f"lead-{uuid.uuid4().hex}@example.org", "correct horse battery", name="Regional Lead"
    )
    survey = create_campaign(owner, "seslip_aspiration_survey", "SESLIP 2026")
    open_campaign(survey)
    leaders = create_campaign(
        owner,
        "tiny_feedback",
        "Leaders 2026",
        settings={
            "level_labels": ["Team manager", "Head of service", "Assistant director", "Director"]
        },
    )
    open_campaign(leaders)
    person = add_participant(leaders, "Priya Shah", "priya@example.org")
    return {"open": open_link_token(survey), "participant": person.token}


@pytest.fixture
def people(data):
    return data(_setup_people)


def _continue(page):
    # Wait for the next page's load event, so its deferred script (character counts) has run.
    with page.expect_navigation():
        page.get_by_role(
            "button", name=re.compile("^Save and (continue|check your answers)$")
        ).click()


def _resume_code(page) -> str:
    return page.locator("[data-resume-code] strong").inner_text()


def test_respondent_journey_with_autosave_resume_and_device_move(
    new_page, people, assert_accessible
):
    page = new_page()
    page.goto(f"/o/{people['open']}")
    assert "Who runs it" in page.content()
    assert_accessible(page, "open link start page")
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page, "resume code page")
    code = _resume_code(page)
    personal = page.locator("#personal-link").input_value()
    page.get_by_role("link", name="Continue").click()
    assert "Page 1 of 4" in page.content()
    assert_accessible(page, "question page with radios")
    page.get_by_label("Female").check()
    page.get_by_label("Fairly satisfied").check()
    _continue(page)
    box = page.get_by_label("What are the best things about your current role?")
    box.fill("Working with <families> & carers")
    assert page.locator("#q_best_things-info").inner_text() == (
        f"You have {2000 - len('Working with <families> & carers')} characters remaining"
    )
    page.wait_for_selector("text=Draft saved at", timeout=15000)
    page.close()

    again = new_page()  # another device: the link is claimed, the draft is not shown
    again.goto(personal)
    assert "already been opened on another device" in again.content()
    assert "families" not in again.content()
    assert_accessible(again, "claimed link page")
    again.get_by_label("Resume code").fill("WRONG-CODE1")
    again.get_by_role("button", name="Continue").click()
    assert "does not match" in again.content()
    assert_accessible(again, "claimed link page with an error")
    again.get_by_label("Resume code").fill(code)
    again.get_by_role("button", name="Continue").click()
    assert "Page 2 of 4" in again.content()
    assert (
        again.get_by_label("What are the best things about your current role?").input_value()
        == "Working with <families> & carers"
    )
    again.get_by_role("button", name="Save and come back later").click()
    assert_accessible(again, "saved page")
    again.goto(personal)
    for _ in range(3):
        _continue(again)
    assert "Check your answers" in again.content()
    assert "Working with &lt;families&gt; &amp; carers" in again.content()
    assert_accessible(again, "check your answers")
    again.get_by_role("button", name="Submit your answers").click()
    assert "Your answers have been submitted" in again.content()
    assert_accessible(again, "confirmation page")


def test_participant_journey_self_assessment_and_nominations(new_page, people, assert_accessible):
    page = new_page()
    page.goto(f"/p/{people['participant']}")
    assert_accessible(page, "participant task list")
    page.get_by_role("link", name="Complete your self-assessment").click()
    assert_accessible(page, "self-assessment start page")
    page.get_by_role("link", name="Start now").click()
    assert "Head of service" not in page.content()  # descriptors only, no level titles
    page.get_by_label(re.compile(r"Level 2\b")).first.check()
    _continue(page)
    page.get_by_role("button", name="Save and come back later").click()
    page.goto(f"/p/{people['participant']}")
    assert "In progress" in page.content()
    page.get_by_role("link", name="Complete your self-assessment").click()
    page.get_by_role("link", name="Continue where you left off").click()
    assert "Page 2 of 3" in page.content()
    _continue(page)
    page.get_by_label("How many people do you manage?").fill("lots")
    _continue(page)
    assert "There is a problem" in page.content()
    assert_accessible(page, "question page with errors")
    page.get_by_role("link", name=re.compile("Enter a number between 0 and 500")).click()
    assert page.evaluate("document.activeElement.id") == "q_team_size"
    page.get_by_label("How many people do you manage?").fill("7")
    page.get_by_label("Agree", exact=True).check()
    page.get_by_label("No", exact=True).check()
    _continue(page)
    page.get_by_role("button", name="Submit your answers").click()
    assert "Your answers have been submitted" in page.content()

    page.goto(f"/p/{people['participant']}/raters")
    page.get_by_role("button", name="Add to my list").click()
    assert "Enter the person's name" in page.content()
    assert "their link is sent there, never to you" in page.content()
    assert_accessible(page, "nominate raters with errors")
    page.get_by_label("Their name").fill("Sam Peer")
    page.get_by_label("Their work email address").fill("sam@example.org")
    page.get_by_label("How they work with you").select_option("peer")
    page.get_by_role("button", name="Add to my list").click()
    assert "Waiting for approval" in page.content()
    assert "/r/" not in page.content()  # the participant never sees or passes on a link
    assert_accessible(page, "raters page with a nomination waiting")


def _approved_raters(token: str, names: list[str]) -> list[str]:
    """Raters approved and sent their links (as the commissioner's mail-merge would)."""
    from survey_app.people.services import add_invitation, find_participant

    participant = find_participant(token)
    return [
        f"/r/{add_invitation(participant.campaign, participant, 'peer', name=name).token}"
        for name in names
    ]


def test_rater_journey_levelled_items_resume_and_decline(new_page, people, data, assert_accessible):
    participant = new_page()
    links = data(lambda: _approved_raters(people["participant"], ["Sam Peer", "Dee Clined"]))

    rater = new_page()
    rater.goto(links[0])
    text = rater.content()
    assert "Feedback for Priya Shah" in text and "in groups of at least 3 people" in text
    assert_accessible(rater, "rater start page")
    rater.get_by_role("button", name="Start now").click()
    rater.get_by_role("link", name="Continue").click()
    assert_accessible(rater, "levelled question page")
    assert "Assistant director" not in rater.content()  # descriptors only, no level titles
    rater.get_by_label(re.compile(r"Level 3\b")).first.check()
    rater.get_by_role("group", name="How does Priya Shah respond to feedback?").get_by_label(
        re.compile("Not observed")
    ).check()
    _continue(rater)
    rater.get_by_role("button", name="Save and come back later").click()
    rater.goto(links[0])
    assert "Page 2 of 3" in rater.content()
    _continue(rater)
    rater.get_by_label("No", exact=True).check()
    rater.get_by_label("Anything else?").fill("Listens well")
    _continue(rater)
    rater.get_by_role("button", name="Submit your answers").click()
    assert "Your answers have been submitted" in rater.content()

    decliner = new_page()
    decliner.goto(links[1])
    decliner.get_by_role("link", name="I do not want to give feedback").click()
    assert_accessible(decliner, "decline page")
    decliner.get_by_role("button", name="Yes, decline").click()
    assert "You have declined" in decliner.content()

    participant.goto(f"/p/{people['participant']}")
    assert "1 of 2 peers have answered" in participant.content()
    assert "Listens well" not in participant.content()


def test_levelled_items_fit_a_360px_screen(new_page, people, data, assert_accessible):
    [link] = data(lambda: _approved_raters(people["participant"], ["Narrow Phone"]))

    phone = new_page(width=360, height=740)
    phone.goto(link)
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_role("link", name="Continue").click()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    boxes = phone.locator(".levelled .radio").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })"
    )
    assert boxes and all(left >= 0 and right <= 360 for left, right in boxes)
    tops = phone.locator(".levelled legend").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().top)"
    )
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one question per row
    assert_accessible(phone, "levelled page at 360px")
