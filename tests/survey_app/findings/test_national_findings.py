"""The national templates answered by link, and their summaries on the findings page and export."""

from __future__ import annotations

import html
import re

import pytest

from survey_app.extensions import db
from survey_app.people.services import add_invitation

pytestmark = pytest.mark.db

PRACTICES = (
    "workforce_planning",
    "recruitment",
    "performance_management",
    "reward_recognition",
    "future_leaders",
    "succession_planning",
    "diversity_management",
    "competency_framework",
)


@pytest.fixture
def answer_by_link(app, post_form):
    """Answer a campaign through a personal link each: pages {number: form data}, then submit."""

    def answer(campaign, *returns):
        for pages in returns:
            link = add_invitation(campaign)
            db.session.commit()
            browser = app.test_client()
            assert post_form(browser, f"/r/{link.token}").status_code == 200  # "Start now"
            for number, data in pages.items():
                url = f"/r/{link.token}/page/{number}"
                response = post_form(browser, url, {**data, "action": "continue"})
                assert response.status_code == 302, response.get_data(as_text=True)
            submitted = post_form(browser, f"/r/{link.token}/check")
            assert submitted.headers["Location"].endswith("/done"), submitted.get_data(True)

    return answer


def _flat(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def practice_pages(org, missing=()):
    grid = {f"q_implemented-{p}": "no" if p in missing else "yes" for p in PRACTICES}
    detail = {f"q_all_management_roles-{p}": "yes" for p in PRACTICES if p not in missing}
    return {1: {"q_organisation": org}, 2: grid, 3: detail}


def test_workforce_practice_findings_name_the_gaps(lead, make_campaign, answer_by_link, csv_rows):
    campaign = make_campaign("workforce_practice", title="Practice 2026")
    answer_by_link(
        campaign,
        practice_pages("Kent"),
        practice_pages("Medway", missing=("competency_framework",)),
        practice_pages("Surrey", missing=("competency_framework", "recruitment")),
    )
    page = _flat(lead.get(f"/campaigns/{campaign.id}/findings"))
    assert "Summary of current workforce development practice" in page
    row = re.search(r"7\. A competency framework [^|]*? 3 1 33\.3% 1 0 .*? Medway; Surrey", page)
    assert row, page[page.find("Workforce development practices in place") :][:1500]
    body = lead.get(f"/campaigns/{campaign.id}/findings.csv").data
    rows = csv_rows(body)
    start = rows.index(["Workforce development practices in place"])
    recruitment = next(r for r in rows[start:] if r and r[0].startswith("2. Recruitment"))
    assert recruitment[1:4] == ["3", "2", "66.7%"] and recruitment[-1] == "Surrey"


def demand_pages(org, *posts):
    rows = {"q_senior_posts-shown": str(len(posts))}
    for n, (title, vacancy, ease, development) in enumerate(posts, 1):
        rows |= {
            f"q_senior_posts-{n}-post": title,
            f"q_senior_posts-{n}-vacancy": vacancy,
            f"q_senior_posts-{n}-recruitment": ease,
            f"q_senior_posts-{n}-development": development,
        }
    return {1: {"q_organisation": org}, 2: rows}


DEMAND = (
    demand_pages(
        "Kent", ("Director of Children's Services", "H", "3", "I"), ("AD Education", "M", "2", "P")
    ),
    demand_pages("Medway", ("AD Safeguarding", "H", "3", "S")),
    demand_pages("Surrey", ("Head of Early Help", "L", "1", "P")),
)


def test_demand_findings_show_the_risk_view_and_join_the_audit(
    lead, make_campaign, answer_by_link, add_responses, commissioner
):
    campaign = make_campaign("demand_template", title="Demand 2026")
    answer_by_link(campaign, *DEMAND)
    audit = make_campaign("skills_talent_audit", title="Audit 2026")
    person = {"career_progression": ["yes"], "move_direction": ["upwards"]}
    add_responses(
        audit,
        [{**person, "organisation": ["kent"]}] * 3 + [{**person, "organisation": ["Medway"]}] * 4,
    )
    url = f"/campaigns/{campaign.id}/findings"
    page = _flat(lead.get(url))
    assert "Posts by likelihood of vacancy and ease of recruitment" in page
    assert "At risk (vacancy likely within 12 months and difficult to recruit): 2 posts" in page
    assert re.search(r"Kent Director of Children's Services – I: Interim", page)
    assert re.search(r"Kent 2 1 1 0 2 1 1 1 1 0 0", page)  # posts, H M L, <2 years, 3, risk, I P S
    assert '<option value="' + audit.id + '">Audit 2026</option>' in lead.get(url).get_data(True)
    joined = _flat(lead.get(f"{url}?audit={audit.id}"))
    assert "Demand and the skills and talent audit by organisation" in joined
    assert re.search(r"Kent 2 2 1 3 3 Medway 1 1 1 4 4 Surrey 1 0 0 – –", joined)
    assert "Too few organisations to say: 2 with both figures" in joined
    exported = lead.get(f"/campaigns/{campaign.id}/findings.csv?audit={audit.id}").data.decode()
    assert "Demand and the skills and talent audit by organisation" in exported
    other = make_campaign("skills_talent_audit", title="Not mine", owner=_someone_else())
    assert "Not mine" not in lead.get(url).get_data(True)
    assert "Demand and the skills" not in _flat(lead.get(f"{url}?audit={other.id}"))


def test_a_shared_reader_joins_only_audits_they_may_read(
    make_campaign, answer_by_link, other_client
):
    from survey_app.campaigns.sharing import share_campaign

    campaign = make_campaign("demand_template", title="Demand 2026")
    answer_by_link(campaign, *DEMAND)
    audit = make_campaign("skills_talent_audit", title="Audit 2026")
    share_campaign(campaign, "other@example.org")
    db.session.commit()
    url = f"/campaigns/{campaign.id}/findings"
    page = other_client.get(url).get_data(as_text=True)
    assert "Demand by organisation" in page and "Audit 2026" not in page
    joined = other_client.get(f"{url}?audit={audit.id}")
    assert joined.status_code == 200
    assert "Demand and the skills" not in joined.get_data(as_text=True)


def _someone_else():
    from survey_app.auth.services import create_user

    user = create_user("else@example.org", "correct horse battery", name="Someone Else")
    db.session.commit()
    return user


def supply_pages(org, senior, high, problems):
    return {
        1: {"q_organisation": org},
        2: {
            "q_senior_leaders": str(senior),
            "q_senior_high_potential": str(high),
            "q_senior_recruitment_problems": problems,
            "q_senior_strengths": f"{org} strengths",
        },
        3: {"q_middle_leaders": str(senior * 3)},
    }


def test_supply_matrix_findings_per_level_with_totals(lead, make_campaign, answer_by_link):
    campaign = make_campaign("regional_supply_matrix", title="Supply 2026")
    answer_by_link(
        campaign,
        supply_pages("Kent", 10, 2, "yes"),
        supply_pages("Medway", 5, 1, "no"),
        supply_pages("Surrey", 9, 3, "yes"),
    )
    page = _flat(lead.get(f"/campaigns/{campaign.id}/findings"))
    assert "Summary regional supply matrix" in page
    assert "Kent 10 2 20.0% – Yes" in page
    assert "All organisations 24 6 25.0% 0 2 with problems" in page
    assert "Medway strengths" in page
    assert "All organisations 72 0 0.0% 0 0 with problems" in page  # middle leaders


def pi_pages(region, cells):
    return {
        1: {"q_region": region},
        2: {f"q_pi_first_tier-{row}-{col}": str(n) for (row, col), n in cells.items()},
    }


def test_pi_return_findings_by_region_and_quarter_hide_few_people(
    lead, make_campaign, answer_by_link, report, xlsx_values
):
    campaign = make_campaign("pi_quarterly_return", title="PIs 2010/11")
    base = {("posts", "q1"): 10, ("vacancies", "q1"): 2, ("advertised", "q1"): 2}
    answer_by_link(
        campaign,
        pi_pages(
            "north_east", base | {("filled_permanent", "q1"): 1, ("filled_permanent", "q2"): 4}
        ),
        pi_pages(
            "south_east", base | {("filled_permanent", "q1"): 5, ("filled_permanent", "q2"): 6}
        ),
        pi_pages("london", base | {("filled_permanent", "q1"): 7, ("filled_permanent", "q2"): 3}),
    )
    response = lead.get(f"/campaigns/{campaign.id}/findings")
    page = _flat(response)
    assert "Performance indicators by region and quarter" in page
    assert "North East – 2 (20.0%)" in page  # vacancies in Q1, of the 10 authorities
    assert "All regions – 6 (20.0%)" in page
    filled = page[page.find("1st tier posts (DCS): 5. Number of posts filled") :]
    filled = filled[: filled.find("1st tier posts (DCS): 6.")]
    assert "North East – [c] hidden" in filled  # one appointment
    assert filled.count("[c] hidden") >= 2  # the small one and a complement
    assert "In brackets: percent of the number of authorities in the region (one DCS post" in page
    assert "Figures for fewer than 3 people are hidden" in filled
    assert "2nd tier posts: 1. Number of vacancies" not in page  # no figures given: no table
    data = report(campaign.id)["national"]["summary"]
    filled_json = next(
        m for m in data["tiers"][0]["measures"] if m["measure"] == "filled_permanent"
    )
    assert filled_json["figures"]["North East"]["q1"] == {
        "value": None,
        "percent": None,
        "hidden": True,
    }
    assert filled_json["figures"]["All regions"]["total"]["value"] == 26
    printed = _flat(lead.get(f"/campaigns/{campaign.id}/findings/print"))
    assert "1st tier posts (DCS): 5. Number of posts filled on a permanent basis" in printed
    cells = xlsx_values(lead.get(f"/campaigns/{campaign.id}/findings.xlsx").data)
    assert "1st tier posts (DCS): 1. Number of vacancies" in cells and "6 (20.0%)" in cells
