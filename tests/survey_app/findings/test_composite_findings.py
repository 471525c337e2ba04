"""The findings page shows each composite question's summary as tables, and its downloads too."""

import csv
import io

import pytest

from instruments import load_instrument
from survey_app.library.store import bundled
from tests.paths import INSTRUMENTS

ANSWERS = [
    {
        "practices": ["workforce_planning=yes", "succession_planning=no"],
        "vacancies": ["4"],
        "pi_first_tier": ["posts.baseline=40", "filled_internally.baseline=10", "posts.q1=10"],
        "senior_posts": ['{"post":"Director","vacancy":"H"}', '{"post":"Head","vacancy":"M"}'],
    },
    {
        "practices": ["workforce_planning=yes", "succession_planning=yes"],
        "vacancies": ["2"],
        "pi_first_tier": ["posts.baseline=60", "filled_internally.baseline=20"],
        "senior_posts": ['{"post":"Lead","vacancy":"H"}'],
    },
    {"vacancies": ["0"], "pi_first_tier": ["posts.baseline=50", "filled_internally.baseline=15"]},
]


@pytest.fixture
def campaign(make_campaign, add_responses):
    bundled()["composite_types"] = load_instrument(
        INSTRUMENTS / "examples" / "composite_types.yaml"
    )
    made = make_campaign("composite_types", title="Workforce return")
    add_responses(made, ANSWERS)
    yield made
    bundled().pop("composite_types", None)


def _flat(html: str) -> str:
    return " ".join(html.split())


def test_findings_page_has_a_table_for_each_composite_question(lead, campaign):
    page = _flat(lead.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True))
    assert "<caption>Table: Which of these practices does your organisation have in place?" in page
    assert (
        '<th scope="row">Workforce planning</th> <td class="num">2 (100%)</td> '
        '<td class="num">0 (0%)</td> <td class="num">2</td>'
    ) in page
    assert "<caption>Table: First tier posts: totals (posts)</caption>" in page
    assert (
        "<caption>Table: First tier posts: as a percentage of "
        "&#39;Number of 1st tier posts&#39;</caption>" in page
    )
    assert '<th scope="row">Posts filled internally</th> <td class="num">30.0%</td>' in page
    # Q1 was given by one respondent (k is 3): its total is withheld, not one person's figure
    hidden = '<td class="num suppressed"><span aria-hidden="true">[c]</span>'
    assert (
        '<th scope="row">Number of 1st tier posts</th> <td class="num">150</td> ' + hidden in page
    )
    assert '<th scope="row">Rows given</th> <td class="num">3</td>' in page
    assert "<caption>Table: One row per senior post: Likelihood of vacancy</caption>" in page
    assert '<th scope="row">High</th> <td class="num">2</td> <td class="num">66.7%</td>' in page
    assert "<caption>Table: How many senior posts are vacant?</caption>" in page
    assert '<th scope="col" class="num">Value (posts)</th>' in page


def test_the_findings_csv_carries_the_same_tables(lead, campaign):
    response = lead.get(f"/campaigns/{campaign.id}/findings.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    flat = [",".join(row) for row in rows]
    assert any("First tier posts: totals (posts)" in line for line in flat)
    assert "Posts filled internally,30.0%,hidden (fewer than 3, or protecting one)" in flat
    assert "Number of 1st tier posts,150,hidden (fewer than 3, or protecting one)" in flat
