"""Answering the composite question types without JavaScript: grid, number table, rows."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from instruments import load_instrument
from survey_app.extensions import db
from survey_app.library.store import bundled
from survey_app.models import Invitation
from survey_app.people.services import add_invitation
from survey_app.respond.services import draft_of, sealed_answers
from tests.paths import INSTRUMENTS

COMPOSITE = INSTRUMENTS / "examples" / "composite_types.yaml"
GRID_DONE = {
    "q_practices-workforce_planning": "yes",
    "q_practices-succession_planning": "no",
    "q_practices-talent_management": "yes",
    "q_vacancies": "4",
}


@pytest.fixture
def composite(make_campaign):
    """A respondent's personal link to the composite example instrument."""
    bundled()["composite_types"] = load_instrument(COMPOSITE)
    campaign = make_campaign("composite_types", title="Workforce return")
    link = add_invitation(campaign)
    db.session.commit()
    yield SimpleNamespace(
        campaign=campaign, url=f"/r/{link.token}", token=link.token, invitation=link.invitation
    )
    bundled().pop("composite_types", None)


def _draft(composite) -> dict:
    invitation = db.session.get(Invitation, composite.invitation.id)
    db.session.refresh(invitation)
    return draft_of(invitation)


def _flat(html: str) -> str:
    return " ".join(html.split())


def test_grid_rows_are_saved_as_row_equals_option_and_shown_back(
    client, composite, begin, answer_page
):
    begin(client, composite.token)
    response = answer_page(client, composite.url, 1, GRID_DONE)
    assert response.status_code == 302
    assert _draft(composite) == {
        "practices": ["workforce_planning=yes", "succession_planning=no", "talent_management=yes"],
        "vacancies": ["4"],
    }
    page = _flat(client.get(composite.url + "/page/1").get_data(as_text=True))
    assert "<caption" in page and "Which of these practices" in page
    assert re.search(r'name="q_practices-succession_planning" value="no" checked', page)
    assert not re.search(r'name="q_practices-succession_planning" value="yes" checked', page)
    assert '<span class="visually-hidden">Succession planning: </span>No' in page
    # units are visible after the box and read out with it
    assert 'aria-describedby="q_vacancies-units"' in page
    assert '<span class="input-units" id="q_vacancies-units">posts</span>' in page


def test_a_bad_grid_option_and_a_fraction_are_errors_located_on_the_row(
    client, composite, begin, answer_page
):
    begin(client, composite.token)
    data = {**GRID_DONE, "q_practices-workforce_planning": "maybe", "q_vacancies": "2.5"}
    response = answer_page(client, composite.url, 1, data)
    page = _flat(response.get_data(as_text=True))
    assert response.status_code == 200 and "There is a problem" in page
    assert (
        '<a href="#q_practices">Which of these practices does your '
        "organisation have in place?: Workforce planning: select one of the options shown</a>"
    ) in page
    assert "How many senior posts are vacant?: Enter a whole number between 0 and 1000" in page
    assert _draft(composite) == {}  # nothing of a field with a problem is kept


def test_a_required_grid_needs_every_row_and_the_check_page_names_the_missing_ones(
    client, composite, begin, answer_page, post_form
):
    begin(client, composite.token)
    answer_page(client, composite.url, 1, {"q_practices-workforce_planning": "yes"})
    response = post_form(client, composite.url + "/check")
    page = _flat(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "in place?: Succession planning: select an answer" in page
    assert "in place?: Talent management: select an answer" in page
    assert "Workforce planning: select an answer" not in page


def test_number_table_cells_are_saved_and_a_bad_cell_names_its_row_and_column(
    client, composite, begin, answer_page
):
    begin(client, composite.token)
    answer_page(client, composite.url, 1, GRID_DONE)
    bad = {"q_pi_first_tier-posts-baseline": "40", "q_pi_first_tier-filled_internally-q1": "-3"}
    page = _flat(answer_page(client, composite.url, 2, bad).get_data(as_text=True))
    assert (
        "First tier posts: Posts filled internally, Q1: enter a whole number between 0 and 100000"
        in page
    )
    assert 'id="q_pi_first_tier-filled_internally-q1-part-error"' in page
    good = {
        "q_pi_first_tier-posts-baseline": "40",
        "q_pi_first_tier-posts-q1": "42",
        "q_pi_first_tier-filled_internally-baseline": "10",
    }
    assert answer_page(client, composite.url, 2, good).status_code == 302
    assert _draft(composite)["pi_first_tier"] == [
        "posts.baseline=40",
        "posts.q1=42",
        "filled_internally.baseline=10",
    ]
    shown = _flat(client.get(composite.url + "/page/2").get_data(as_text=True))
    assert 'name="q_pi_first_tier-posts-q1" value="42"' in shown
    assert '<th scope="col">Baseline 2009/10</th>' in shown
    assert '<label class="visually-hidden" for="q_pi_first_tier-posts-q1">' in shown


def test_repeating_rows_add_a_row_drop_blank_ones_and_locate_a_missing_required_field(
    client, composite, begin, answer_page
):
    begin(client, composite.token)
    answer_page(client, composite.url, 1, GRID_DONE)
    answer_page(client, composite.url, 2, {})
    first = _flat(client.get(composite.url + "/page/3").get_data(as_text=True))
    assert first.count('<legend class="legend legend--row">Row') == 3
    assert ">Add another row</button>" in first
    rows = {
        "q_senior_posts-shown": "3",
        "q_senior_posts-1-post": "Director of children's services",
        "q_senior_posts-1-vacancy": "H",
        "q_senior_posts-3-post": "Head of safeguarding",
        "q_senior_posts-3-ease": "3",
        "q_senior_posts-add": "1",
    }
    added = answer_page(client, composite.url, 3, rows)
    page = _flat(added.get_data(as_text=True))
    assert added.status_code == 200 and "There is a problem" not in page
    # the blank second row is dropped, the third becomes row 2, and 4 rows are shown now
    assert page.count('<legend class="legend legend--row">Row') == 4
    assert 'name="q_senior_posts-2-post" value="Head of safeguarding"' in page
    assert _draft(composite)["senior_posts"] == [
        json.dumps(
            {"post": "Director of children's services", "vacancy": "H"},
            separators=(",", ":"),
            ensure_ascii=False,
        ),
        '{"post":"Head of safeguarding","ease":"3"}',
    ]
    half = {"q_senior_posts-1-post": "Director", "q_senior_posts-2-vacancy": "L"}
    failed = _flat(answer_page(client, composite.url, 3, half).get_data(as_text=True))
    link = "One row per senior post: Row 2, Post title: enter an answer"
    assert f'<a href="#q_senior_posts-2-post">{link}</a>' in failed


def test_a_whole_return_is_submitted_with_its_encoded_values(
    client, composite, begin, answer_page, post_form
):
    begin(client, composite.token)
    answer_page(client, composite.url, 1, GRID_DONE)
    answer_page(client, composite.url, 2, {"q_pi_first_tier-posts-q1": "7"})
    answer_page(
        client,
        composite.url,
        3,
        {"q_senior_posts-1-post": "Director", "q_senior_posts-1-grade_points": "52"},
    )
    check = _flat(client.get(composite.url + "/check").get_data(as_text=True))
    assert "Succession planning: No" in check
    assert "Number of 1st tier posts, Q1: 7 posts" in check
    assert "Post title: Director, Grade points: 52" in check
    assert post_form(client, composite.url + "/check").status_code == 302
    invitation = db.session.get(Invitation, composite.invitation.id)
    db.session.refresh(invitation)
    assert sealed_answers(invitation) == {
        "practices": ["workforce_planning=yes", "succession_planning=no", "talent_management=yes"],
        "vacancies": ["4"],
        "pi_first_tier": ["posts.q1=7"],
        "senior_posts": ['{"post":"Director","grade_points":"52"}'],
    }


def test_a_control_character_in_a_part_is_refused_in_place_not_stored(
    client, composite, begin, answer_page
):
    begin(client, composite.token)
    answer_page(client, composite.url, 1, GRID_DONE)
    answer_page(client, composite.url, 2, {})
    response = answer_page(client, composite.url, 3, {"q_senior_posts-1-post": "Dir\x00ector"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert "senior_posts" not in _draft(composite)


def test_a_problem_in_the_first_row_keeps_every_id_on_the_page_unique(
    client, composite, begin, answer_page
):
    begin(client, composite.token)
    data = {"q_practices-workforce_planning": "maybe", "q_vacancies": "x"}
    page = answer_page(client, composite.url, 1, data).get_data(as_text=True)
    answer_page(client, composite.url, 1, GRID_DONE)
    table = answer_page(client, composite.url, 2, {"q_pi_first_tier-posts-baseline": "x"})
    answer_page(client, composite.url, 2, {})
    rows = answer_page(client, composite.url, 3, {"q_senior_posts-1-vacancy": "H"})
    for html in (page, table.get_data(as_text=True), rows.get_data(as_text=True)):
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert "There is a problem" in html
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
