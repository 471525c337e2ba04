"""Answering pages come from a cache per campaign version, page, audience and subject: each
person still sees only their own subject, their own saved answers and their own errors."""

from __future__ import annotations

from survey_app.campaigns.services import update_campaign
from survey_app.extensions import db
from survey_app.people.services import add_invitation, add_participant
from survey_app.respond import page_cache
from survey_app.respond.flow import link_answering
from survey_app.respond.forms import draft_formdata, page_form
from survey_app.respond.services import draft_of, pages_for

ABOUT = 3  # the tiny instrument's page with a choice, checkboxes, a number and two text boxes


def _raters(campaign):
    priya = add_participant(campaign, "Priya Shah", "priya@example.org")
    omar = add_participant(campaign, "Omar Khan", "omar@example.org")
    links = {
        "priya_peer": add_invitation(
            campaign,
            participant=priya.participant,
            relationship="peer",
            name="Sam Peer",
            source="participant",
        ),
        "priya_manager": add_invitation(
            campaign, participant=priya.participant, relationship="line_manager", name="Lee Manager"
        ),
        "omar_peer": add_invitation(
            campaign, participant=omar.participant, relationship="peer", name="Ann Peer"
        ),
    }
    db.session.commit()
    return priya, omar, links


def _page(browser, token, number=ABOUT) -> str:
    response = browser.get(f"/r/{token}/page/{number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _questions(page: str) -> str:
    """The question block of a page (what the cache holds): after the CSRF field, whose signed
    token carries the time, up to the autosave status."""
    after_token = page.split('name="csrf_token"', 1)[1].split(">", 1)[1]
    return after_token.split("data-autosave-status", 1)[0]


def test_raters_served_one_after_another_see_only_their_own_subject_and_answers(
    app, make_campaign, begin, answer_page
):
    campaign = make_campaign("tiny_feedback", title="Leaders 2026")
    priya, omar, links = _raters(campaign)
    browsers = {name: app.test_client() for name in links}
    for name, link in links.items():
        begin(browsers[name], link.token)
    # Sam (about Priya) saves answers first; the page is then cached for Priya's peers.
    saved = answer_page(
        browsers["priya_peer"],
        f"/r/{links['priya_peer'].token}",
        ABOUT,
        {
            "q_wants_move": "yes",
            "q_move_reasons": ["pay"],
            "q_team_size": "41",
            "q_post_title": "Sam's <secret> title",
            "q_comments": "Only Sam wrote this",
        },
        action="later",
    )
    assert saved.status_code == 302
    sam = _page(browsers["priya_peer"], links["priya_peer"].token)
    assert "Sam&#39;s &lt;secret&gt; title" in sam and "Only Sam wrote this" in sam
    assert 'value="41"' in sam and sam.count(" checked") == 2
    # Lee answers about the same person on the same page: none of Sam's answers show.
    lee = _page(browsers["priya_manager"], links["priya_manager"].token)
    assert "Priya Shah" in lee
    for trace in ("secret", "Only Sam wrote this", 'value="41"', " checked"):
        assert trace not in lee, trace
    # Ann answers about Omar: Omar's name, never Priya's, and none of Sam's answers.
    ann_first = _page(browsers["omar_peer"], links["omar_peer"].token, 1)
    assert "How does Omar Khan listen in meetings?" in ann_first
    assert "Priya" not in ann_first
    answer_page(
        browsers["omar_peer"],
        f"/r/{links['omar_peer'].token}",
        ABOUT,
        {"q_wants_move": "no", "q_comments": "Ann's own words"},
        action="later",
    )
    ann = _page(browsers["omar_peer"], links["omar_peer"].token)
    assert "Ann&#39;s own words" in ann and "Only Sam wrote this" not in ann
    assert "Priya" not in ann and ann.count(" checked") == 1
    # Back to Sam and Lee: each still sees exactly their own.
    assert _questions(_page(browsers["priya_peer"], links["priya_peer"].token)) == _questions(sam)
    assert "Ann" not in _page(browsers["priya_manager"], links["priya_manager"].token)
    assert "How does Priya Shah listen in meetings?" in _page(
        browsers["priya_manager"], links["priya_manager"].token, 1
    )
    # The participant's own self-assessment of the same page uses self wording, no rater's answers.
    own = app.test_client().get(f"/p/{priya.token}/self/page/1").get_data(as_text=True)
    assert "How do you listen in meetings?" in own and "Priya Shah listen" not in own
    assert "Omar" not in own and " checked" not in own


def test_a_page_with_errors_shows_only_that_requests_errors(app, make_campaign, begin, answer_page):
    campaign = make_campaign("tiny_feedback", title="Leaders 2026")
    _, _, links = _raters(campaign)
    sam, lee = app.test_client(), app.test_client()
    begin(sam, links["priya_peer"].token)
    begin(lee, links["priya_manager"].token)
    lee_first = _page(lee, links["priya_manager"].token)
    wrong = answer_page(
        sam,
        f"/r/{links['priya_peer'].token}",
        ABOUT,
        {"q_team_size": "lots", "q_post_title": "Sam typed this"},
    )
    page = wrong.get_data(as_text=True)
    assert "There is a problem" in page and "Enter a number" in page
    assert 'value="lots"' in page and "Sam typed this" in page
    # Lee's next view of the same page is exactly as before: no error, no value of Sam's.
    assert _questions(_page(lee, links["priya_manager"].token)) == _questions(lee_first)
    long_title = "x" * 81
    lee_wrong = answer_page(
        lee, f"/r/{links['priya_manager'].token}", ABOUT, {"q_post_title": long_title}
    ).get_data(as_text=True)
    assert "80 characters or fewer" in lee_wrong
    assert "Enter a number" not in lee_wrong and "lots" not in lee_wrong
    assert "Sam typed this" not in lee_wrong
    # Sam's saved answers kept the valid one only, shown without Lee's error.
    sam_again = _page(sam, links["priya_peer"].token)
    assert "Sam typed this" in sam_again and "There is a problem" not in sam_again
    assert "characters or fewer" not in sam_again


def test_the_cached_page_is_the_page_rendered_from_the_saved_answers(
    app, make_campaign, begin, answer_page
):
    campaign = make_campaign("tiny_feedback", title="Leaders 2026")
    _, _, links = _raters(campaign)
    sam = app.test_client()
    begin(sam, links["priya_peer"].token)
    answer_page(
        sam,
        f"/r/{links['priya_peer'].token}",
        ABOUT,
        {
            "q_wants_move": "yes",
            "q_move_reasons": ["pay", "location"],
            "q_team_size": "3.50",
            "q_post_title": 'A "quoted" & <tagged> title',
            "q_comments": "Line one\nline two",
        },
        action="later",
    )
    with app.test_request_context():
        answering = link_answering(links["priya_peer"].token)
        draft = draft_of(answering.invitation)
        assert draft["move_reasons"] == ["pay", "location"]
        for number, section in enumerate(pages_for(answering.instrument, "rater", draft), 1):
            whole = page_form(
                section.items, "rater", "Priya Shah", draft_formdata(section.items, draft)
            )
            assert page_cache.saved_questions(answering, section, draft) == (
                page_cache.questions(answering, section, whole)
            ), number
            for other in ({}, {"move_reasons": ["location"], "wants_move": ["no"]}):
                empty = page_form(
                    section.items, "rater", "Priya Shah", draft_formdata(section.items, other)
                )
                assert page_cache.saved_questions(answering, section, other) == (
                    page_cache.questions(answering, section, empty)
                ), number


def test_a_change_of_settings_reaches_pages_already_cached(app, make_campaign, begin):
    # The sub-regions are a campaign setting (skills audit version 3): a page cached with one
    # list must show the next list once the commissioner changes it.
    campaign = make_campaign("skills_talent_audit", title="Audit 2026")
    link = add_invitation(campaign)
    db.session.commit()
    sam = app.test_client()
    begin(sam, link.token)
    assert "Kent and Medway" in _page(sam, link.token, 1)
    update_campaign(
        campaign,
        campaign.title,
        campaign.opens_on,
        campaign.closes_on,
        {"listed_options": {"sub_region": [{"code": "north", "label": "Northern boroughs"}]}},
    )
    db.session.commit()
    page = _page(sam, link.token, 1)
    assert "Northern boroughs" in page and "Kent and Medway" not in page
