"""The findings page learns from the commissioner: codes, suggestions, estimates, adoption."""

from __future__ import annotations

import html
import random
import re

import pytest

from survey_app.extensions import db
from survey_app.findings.themes import OVERRIDES

pytestmark = pytest.mark.db

BUDGET = [
    "Budget cuts every single year.",
    "The savings targets are brutal.",
    "Our funding has been cut again.",
    "An overspend on placements.",
    "Austerity has hollowed out early help.",
]
# Two topics the barriers codebook has no theme for, written many ways.
SYSTEMS = [
    "the {a} case recording system crashes {b}",
    "our {a} laptops freeze {b}",
    "the {a} IT system loses my notes {b}",
    "{a} software that times out {b}",
]
OFFICES = [
    "the {a} office has no desks {b}",
    "hot desking in a {a} building {b}",
    "parking at the {a} office is impossible {b}",
    "the {a} office heating is broken {b}",
]
FILLERS_A = ["new", "old", "awful", "clunky", "shared", "main", "county", "ancient"]
FILLERS_B = [
    "every week",
    "most days",
    "all the time",
    "again",
    "constantly",
    "at month end",
    "on Mondays",
    "before visits",
]


def _topic_comments(templates, count, seed):
    rng = random.Random(seed)
    return [
        rng.choice(templates).format(a=rng.choice(FILLERS_A), b=rng.choice(FILLERS_B)).capitalize()
        + "."
        for _ in range(count)
    ]


COMMENTS = BUDGET * 4 + _topic_comments(SYSTEMS, 90, 1) + _topic_comments(OFFICES, 90, 2)


@pytest.fixture
def coded_campaign(make_campaign, add_responses):
    campaign = make_campaign("seslip_aspiration_survey", title="Learning")
    add_responses(campaign, [{"barriers": [text]} for text in COMMENTS])
    return campaign


def _page(lead, campaign):
    return lead.get(f"/campaigns/{campaign.id}/codebooks/barriers/recode/barriers").get_data(
        as_text=True
    )


def _form_of(page, text):
    """The hash of the comment form holding `text`."""
    before = page.split(html.escape(text, quote=False))[0].rsplit("<form", 1)[1]
    return re.search(r'name="comment" value="([0-9a-f]+)"', before).group(1)


def test_the_page_offers_the_most_useful_comments_first(lead, coded_campaign):
    page = _page(lead, coded_campaign)
    assert "Most useful to code next" in page and "All other comments" in page
    asked = page.split("Most useful to code next")[1].split("All other comments")[0]
    assert asked.count('name="comment"') == 10
    # Nothing claims the comments about systems and offices: those are worth asking about.
    assert (
        sum(
            word in asked.lower()
            for word in ("office", "system", "laptop", "desk", "software", "parking", "heating")
        )
        >= 5
    )
    assert "You have coded 0 comments" in page


def _code(lead, post_form, campaign, texts, themes, page):
    url = f"/campaigns/{campaign.id}/codebooks/barriers/recode/barriers"
    for text in texts:
        response = post_form(
            lead, url, {"item": "barriers", "comment": _form_of(page, text), "themes": themes}
        )
        assert response.status_code == 302


def test_accepting_and_rejecting_a_suggestion_are_codes_the_model_learns(
    lead, coded_campaign, post_form
):
    url = f"/campaigns/{coded_campaign.id}/codebooks/barriers/recode/barriers"
    systems = sorted({text for text in COMMENTS if "system" in text or "software" in text})
    # Teach the model that comments about systems are about the volume of work.
    _code(
        lead,
        post_form,
        coded_campaign,
        systems[:8],
        ["volume_of_work"],
        _page(lead, coded_campaign),
    )
    page = _page(lead, coded_campaign)
    suggested = re.findall(
        r'name="comment" value="([0-9a-f]+)">(?:(?!</form>).)*?'
        r'name="accept" value="volume_of_work"',
        page,
        re.S,
    )
    assert len(suggested) >= 2, "other comments about systems get the theme suggested"
    accepted, rejected = suggested[:2]
    post_form(lead, url, {"item": "barriers", "comment": accepted, "accept": "volume_of_work"})
    post_form(lead, url, {"item": "barriers", "comment": rejected, "reject": "volume_of_work"})
    db.session.refresh(coded_campaign)
    codes = coded_campaign.codebooks[OVERRIDES]["barriers"]
    assert codes[accepted] == ["volume_of_work"]
    assert codes[rejected] == []  # rejected: coded as it stood, without the suggestion
    page = _page(lead, coded_campaign)
    assert f"You have coded {sum(codes_of(text) in codes for text in COMMENTS)} comments" in page


def codes_of(text):
    from survey_app.findings.themes import comment_hash

    return comment_hash(text)


def test_codes_give_estimates_with_intervals_on_the_page(lead, coded_campaign, post_form, report):
    page = _page(lead, coded_campaign)
    others = sorted(set(COMMENTS) - set(BUDGET))[:12]
    _code(lead, post_form, coded_campaign, BUDGET, ["budgets"], page)
    _code(lead, post_form, coded_campaign, others, [], page)
    themed = report(coded_campaign.id)["themes"]["barriers"]
    # A code belongs to the comment's text, so every identical comment carries it.
    assert themed["learning"]["codes"] == sum(text in {*BUDGET, *others} for text in COMMENTS)
    estimates = {e["theme"]: e for e in themed["learning"]["estimates"]}
    budgets = estimates["budgets"]
    assert budgets["coded_with"] == sum(text in BUDGET for text in COMMENTS)
    assert budgets["recall_ci"][0] <= budgets["recall"] <= budgets["recall_ci"][1]
    counts = {t["id"]: t["count"] for t in themed["themes"]}
    assert counts["budgets"] == len(BUDGET) * 4
    findings = lead.get(f"/campaigns/{coded_campaign.id}/findings").get_data(as_text=True)
    assert "How well the model agrees with your codes" in findings
    assert "More codes to narrow both to ±15 points" in findings
    table = findings.split("How well the model agrees with your codes")[1].split("</table>")[0]
    assert "Budgets and financial pressure" in table and "%" in table


def test_a_proposed_theme_becomes_a_codebook_theme_in_one_click(
    lead, coded_campaign, post_form, report
):
    findings = f"/campaigns/{coded_campaign.id}/findings"
    page = lead.get(findings).get_data(as_text=True)
    assert "Proposed new themes" in page
    action = re.search(r'action="(/campaigns/[^"]+/adopt/barriers/proposed_\d+)"', page)
    assert action, "a proposed theme with quotes offers a one-click button"
    proposal = report(coded_campaign.id)["themes"]["barriers"]["discovered"][
        int(action.group(1).rsplit("_", 1)[1]) - 1
    ]
    response = post_form(lead, action.group(1), {}, get_url=findings)
    assert response.status_code == 302
    db.session.refresh(coded_campaign)
    saved = coded_campaign.codebooks["barriers"]
    added = saved["themes"][-1]
    assert added["label"] == proposal["label"]
    assert added["examples"] == proposal["quotes"] and len(added["examples"]) >= 2
    themed = report(coded_campaign.id)["themes"]["barriers"]
    assert themed["own_codebook"] and any(
        t["label"] == proposal["label"] and t["count"] > 0 for t in themed["themes"]
    )


def test_adopting_needs_a_real_proposal_and_write_access(
    lead, coded_campaign, post_form, other_client
):
    findings = f"/campaigns/{coded_campaign.id}/findings"
    url = f"/campaigns/{coded_campaign.id}/codebooks/barriers/adopt/barriers/proposed_99"
    assert post_form(lead, url, {}, get_url=findings).status_code == 404
    assert other_client.post(url.replace("99", "1")).status_code in (400, 403, 404)
    db.session.refresh(coded_campaign)
    assert "barriers" not in (coded_campaign.codebooks or {})
