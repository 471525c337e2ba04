"""The report page and JSON publish only safe groups, the same numbers, and never by difference."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.models import Response
from survey_app.reports.services import report_360_json

from .conftest import levelled_answers

SMALL_GROUP_LABELS = ("Direct report", "Partner agency colleague")
SECTION = re.compile(
    r'<section aria-labelledby="b-[^"]+" class="behaviour" '
    r'data-behaviour="([^"]+)">(.*?)</section>',
    re.S,
)
GROUP_ROW = re.compile(
    r'<tr data-group="([^"]+)"><th scope="row">([^<]*)</th>'
    r'<td class="num">(\d*)</td><td class="num">([^<]*)</td>'
)


def page_groups(page: str) -> dict[str, dict[str, tuple[str, str, str]]]:
    """Behaviour id -> group id -> (label, n, mean) as the page's group tables show them."""
    found = {}
    for bid, body in SECTION.findall(page):
        table = body.split('class="table items-table"')[0]
        found[bid] = {
            gid: (html.unescape(label), n, mean) for gid, label, n, mean in GROUP_ROW.findall(table)
        }
    return found


def shown(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def participant_page(client, link) -> str:
    response = client.get(f"/p/{link.token}/report")
    assert response.status_code == 200
    return response.get_data(as_text=True)


LOPSIDED = [
    ("self", 3),
    ("line_manager", 2),
    ("partner", 4),
    ("direct_report", 1),
    ("direct_report", 2),
]


def test_lone_partner_and_two_direct_reports_are_only_shown_pooled(client, make_participant):
    link = make_participant(LOPSIDED)
    page = participant_page(client, link)
    groups = page_groups(page)
    assert len(groups) == 8
    for rows in groups.values():
        assert set(rows) == {"self", "line_manager", "pooled", "others", "target"}
        assert rows["pooled"][:2] == ("Other raters", "3")
        labels = [label for label, _n, _mean in rows.values()]
        assert not any(small in label for small in SMALL_GROUP_LABELS for label in labels)
        assert rows["pooled"][2] == shown((4 + 1 + 2) / 3)
        assert rows["others"][1:] == ("4", shown((2 + 4 + 1 + 2) / 4))
    assert "each had fewer than 3 raters" in page


def test_json_equals_the_page_and_publishes_no_group_below_k(client, make_participant):
    link = make_participant(LOPSIDED + [("peer", 3), ("peer", 2), ("peer", 4)])
    page_rows = page_groups(participant_page(client, link))
    data = report_360_json(link.participant.campaign)
    person = data["participants"][link.participant.id]
    assert person["name"] == "Amira Hussain"
    for bid, behaviour in person["behaviours"].items():
        rows = page_rows[bid]
        assert set(behaviour["groups"]) == set(rows) - {"self", "others", "target"}
        for gid, group in behaviour["groups"].items():
            assert rows[gid] == (group["label"], str(group["n"]), shown(group["mean"]))
            assert gid == "line_manager" or group["n"] >= 3
        assert rows["self"][2] == shown(behaviour["self"])
        assert rows["others"][1:] == (str(behaviour["others_n"]), shown(behaviour["others"]))
        # The gap is taken between the figures as shown (issue 19.6).
        assert behaviour["gap"] == pytest.approx(
            float(shown(behaviour["self"])) - float(shown(behaviour["others"]))
        )
        assert behaviour["target"] == 3
        assert behaviour["distance"] == pytest.approx(max(0, 3 - behaviour["others"]))


@pytest.mark.parametrize(
    "raters",
    [
        [
            ("line_manager", 2),
            ("peer", 3),
            ("peer", 3),
            ("peer", 4),
            ("direct_report", 1),
            ("direct_report", 1),
        ],
        [("line_manager", 2), ("direct_report", 1), ("direct_report", 4)],
        LOPSIDED,
    ],
)
def test_all_raters_is_exactly_the_union_of_published_groups(client, make_participant, raters):
    link = make_participant([("self", 3), *raters])
    for rows in page_groups(participant_page(client, link)).values():
        published = {
            gid: row for gid, row in rows.items() if gid not in ("self", "others", "target")
        }
        total_n = sum(int(n) for _label, n, _mean in published.values())
        assert int(rows["others"][1]) == total_n
        small = [gid for gid in published if gid in ("direct_report", "partner")]
        assert small == [], "a group below the threshold was shown on its own"


def test_small_groups_fold_into_the_smallest_published_group(client, make_participant):
    link = make_participant(
        [
            ("line_manager", 2),
            ("peer", 3),
            ("peer", 3),
            ("peer", 3),
            ("direct_report", 1),
            ("direct_report", 1),
        ]
    )
    rows = next(iter(page_groups(participant_page(client, link)).values()))
    assert rows["peer_and_others"][:2] == ("Peer and other raters", "5")
    assert rows["peer_and_others"][2] == shown((3 * 3 + 1 + 1) / 5)


def test_a_pool_too_small_to_fold_is_not_kept_at_all(client, make_participant):
    link = make_participant(
        [("self", 3), ("line_manager", 2), ("direct_report", 4), ("direct_report", 4)]
    )
    page = participant_page(client, link)
    rows = next(iter(page_groups(page).values()))
    assert set(rows) == {"self", "line_manager", "others", "target"}
    assert rows["others"][1:] == ("1", "2.0")
    assert "2 answers (Direct report) could not be used" in page
    # Not hidden but gone: no stored row could single out the two direct reports.
    stored = db.session.scalars(
        select(Response.relationship).where(Response.participant_id == link.participant.id)
    ).all()
    assert sorted(stored) == ["line_manager", "self"]


def test_not_observed_is_never_a_score_and_its_rate_is_shown(
    client, make_campaign, make_participant
):
    campaign = make_campaign()
    instrument = campaign_instrument(campaign)
    unseen = levelled_answers(instrument, None, not_observed=True)
    link = make_participant(
        [("line_manager", 3), ("peer", 2), ("peer", 3), ("peer", 4), ("peer", unseen)],
        campaign=campaign,
    )
    page = participant_page(client, link)
    for rows in page_groups(page).values():
        assert rows["peer"][1:] == ("3", "3.0")
    assert re.search(r'data-group="peer">.*?<td class="num">25%</td>', page)


def test_comments_are_unattributed_and_withheld_when_few_could_have_written_them(
    client, make_campaign, make_participant
):
    campaign = make_campaign()
    instrument = campaign_instrument(campaign)
    many = make_participant(
        [
            ("self", levelled_answers(instrument, 3, strengths="My own view of my strengths")),
            ("line_manager", levelled_answers(instrument, 2, strengths="Calm in a crisis")),
            ("peer", levelled_answers(instrument, 3, strengths="Brings partners together")),
            ("peer", 3),
            ("peer", 2),
            ("partner", levelled_answers(instrument, 3, strengths="Always returns calls")),
        ],
        campaign=campaign,
    )
    page = participant_page(client, many)
    comments = page.split('id="comments"')[1]
    for text in (
        "My own view of my strengths",
        "Calm in a crisis",
        "Brings partners together",
        "Always returns calls",
    ):
        assert text in comments
    assert "Partner agency colleague" not in comments and "Line manager" not in comments
    few = make_participant(
        [
            ("line_manager", levelled_answers(instrument, 2, step_up="Take on a budget")),
            ("peer", 3),
        ],
        campaign=campaign,
        name="Ben Okafor",
        email="ben@example.org",
    )
    page = participant_page(client, few)
    assert "Take on a budget" not in page
    assert "1 comment not shown" in page


def test_the_combined_groups_note_is_a_plain_sentence_without_internal_names(
    client, make_participant
):
    page = participant_page(client, make_participant(LOPSIDED))
    section = page.split('id="combined"')[1].split("</section>")[0]
    notes = [html.unescape(n) for n in re.findall(r"<li>(.*?)</li>", section, re.S)]
    assert notes == [
        "The small groups stored together each had fewer than 3 raters, so their "
        "ratings are shown together as 'Other raters'."
    ]
    assert "Groups with fewer invited raters" not in page
