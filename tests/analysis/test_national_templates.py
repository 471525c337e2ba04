"""The national templates' summaries (seed 001_* §2, §3, §4, §14) over hand-made returns."""

from __future__ import annotations

import json

import pytest
from scipy.optimize import linprog

from analysis.audit_join import MIN_ORGANISATIONS, audit_join, rank_correlation, ranks
from analysis.national_templates import (
    demand_summary,
    organisation_key,
    practice_summary,
    supply_summary,
)
from analysis.pi_return import ALL_REGIONS, QUARTERS, pi_summary
from analysis.skills_audit import audit_summary
from instruments import bundled_instruments

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


@pytest.fixture(scope="module")
def library():
    return bundled_instruments()


def practice_return(org, have, all_roles=(), maturity=None):
    """A workforce practice return: `have` the practices in place, the rest answered no."""
    return {
        "organisation": [org],
        "implemented": [f"{p}={'yes' if p in have else 'no'}" for p in PRACTICES],
        "all_management_roles": [f"{p}=yes" for p in all_roles],
        "tailored": [],
        "maturity": [f"{p}={band}" for p, band in (maturity or {}).items()],
    }


def test_practice_summary_counts_each_practice_and_names_the_gaps(library):
    responses = [
        practice_return("Kent", {"workforce_planning", "recruitment"}, ["workforce_planning"]),
        practice_return(
            "Medway", {"workforce_planning"}, maturity={"workforce_planning": "over_3_years"}
        ),
        practice_return("Surrey", set()),
    ]
    summary = practice_summary(library["workforce_practice"], responses)
    rows = {p.code: p for p in summary.practices}
    assert len(rows) == 8  # seven practices, the sixth in two rows as printed
    planning = rows["workforce_planning"]
    assert (planning.answered, planning.implemented, planning.percent_implemented) == (3, 2, 66.7)
    assert planning.all_management_roles == 1
    assert planning.maturity["More than 3 years"] == 1
    assert planning.gaps == ("Surrey",)
    assert rows["recruitment"].gaps == ("Medway", "Surrey")
    assert rows["competency_framework"].implemented == 0
    by_org = dict(summary.by_organisation)
    assert by_org["Kent"]["recruitment"] == "Yes" and by_org["Surrey"]["recruitment"] == "No"


def test_practice_answers_only_for_practices_not_in_place_are_not_counted(library):
    response = practice_return("Kent", set(), all_roles=["recruitment"])
    row = next(
        p
        for p in practice_summary(library["workforce_practice"], [response]).practices
        if p.code == "recruitment"
    )
    assert row.implemented == 0 and row.all_management_roles == 0


def post(title, vacancy="", recruitment="", development="", restructure=""):
    row = {
        "post": title,
        "vacancy": vacancy,
        "recruitment": recruitment,
        "development": development,
        "restructure": restructure,
    }
    return json.dumps({k: v for k, v in row.items() if v}, separators=(",", ":"))


def demand_return(org, *posts):
    return {"organisation": [org], "senior_posts": list(posts)}


DEMAND = [
    demand_return(
        "Kent County Council",
        post("Director of Children's Services", "H", "3", "I", "no"),
        post("Assistant Director, Safeguarding", "H", "2", "P"),
        post("Head of Virtual School", "L", "1"),
    ),
    demand_return(
        "Medway",
        post("Assistant Director, Education", "M", "3", "S", "yes"),
        post("Head of Early Help"),
    ),
]


def test_demand_grid_risks_development_and_organisations(library):
    summary = demand_summary(library["demand_template"], DEMAND)
    assert summary.posts == 5 and summary.returns == 2
    assert summary.grid["H"]["3"] == 1 and summary.grid["H"]["2"] == 1
    assert summary.grid["M"]["3"] == 1 and summary.grid[""][""] == 1  # nothing given
    assert [p.post for p in summary.at_risk] == ["Director of Children's Services"]
    assert summary.development == {"I": 1, "P": 1, "S": 1}
    kent, medway = summary.organisations
    assert (kent.posts, kent.likely_within_two_years, kent.difficult, kent.at_risk) == (3, 2, 1, 1)
    assert (medway.likely_within_two_years, medway.restructure, medway.vacancy["M"]) == (1, 1, 1)


def test_supply_summary_per_level_with_totals(library):
    responses = [
        {
            "organisation": ["Kent"],
            "senior_leaders": ["10"],
            "senior_high_potential": ["2"],
            "senior_recruitment_problems": ["yes"],
            "senior_strengths": ["Strong  safeguarding"],
            "middle_leaders": ["40"],
            "middle_high_potential": ["8"],
        },
        {
            "organisation": ["Medway"],
            "senior_leaders": ["6"],
            "senior_high_potential": ["1"],
            "senior_recruitment_problems": ["no"],
        },
    ]
    senior, middle = supply_summary(library["regional_supply_matrix"], responses)
    assert [r.organisation for r in senior.rows] == ["Kent", "Medway"]
    assert senior.rows[0].percent_high_potential == 20.0
    assert senior.rows[0].texts["strengths"] == "Strong safeguarding"
    assert (senior.total.leaders, senior.total.high_potential) == (16, 3)
    assert senior.total.percent_high_potential == 18.8
    assert senior.with_recruitment_problems == 1
    assert middle.rows[1].leaders is None and middle.total.leaders == 40


# -- the PI return -------------------------------------------------------------------------------


def pi_return(region, first=None, second=None):
    """A PI return: {(row, column): number} per tier."""

    def cells(table):
        return [f"{r}.{c}={n}" for (r, c), n in (table or {}).items()]

    return {"region": [region], "pi_first_tier": cells(first), "pi_second_tier": cells(second)}


def applicants(baseline, q1, q2, q3, q4):
    """Applicants per column, for one post advertised in each."""
    columns = ("baseline", "q1", "q2", "q3", "q4")
    table = {("applicants", c): n for c, n in zip(columns, (baseline, q1, q2, q3, q4), strict=True)}
    return table | {("advertised", c): 1 for c in columns}


def test_pi_percentages_and_averages_per_quarter_and_region(library):
    first = {
        ("posts", "q1"): 12,
        ("vacancies", "q1"): 2,
        ("advertised", "q1"): 2,
        ("readvertised", "q1"): 1,
        ("applicants", "q1"): 9,
        ("posts", "q2"): 12,
    }
    summary = pi_summary(library["pi_quarterly_return"], [pi_return("south_east", first)], 3)
    tier = summary.tiers[0]
    measures = {m.measure: m for m in tier.measures}
    se = measures["vacancies"].figures["South East"]
    assert (se["q1"].value, se["q1"].percent) == (2, 16.7)  # of the 12 authorities
    assert measures["readvertised"].figures["South East"]["q1"].percent == 50.0  # of advertised
    assert measures["applicants"].figures["South East"]["q1"].value == 4.5  # 9 for 2 posts
    assert measures["applicants"].label == "3. Average number of applicants per post"
    assert measures["posts"].figures["South East"]["total"].value == 12  # latest, not a sum
    assert measures["vacancies"].figures[ALL_REGIONS]["q1"].value == 2
    assert summary.returns == {"South East": 1}


def value_range(table, hidden, key):
    """The smallest and largest value of hidden `key` consistent with every shown figure.

    Solved as two linear programmes over the hidden figures (all >= 0) under the table's sums:
    each region's quarters add up to its total, the regions add up to the all-regions row.
    """
    keys = sorted(hidden)
    index = {k: i for i, k in enumerate(keys)}
    equations, constants = [], []
    regions = [r for r in table if r != ALL_REGIONS]
    sums = [([(r, q) for q in QUARTERS], (r, "total")) for r in table]
    sums += [
        ([(r, c) for r in regions], (ALL_REGIONS, c)) for c in ("baseline", *QUARTERS, "total")
    ]
    for parts, total in sums:
        row, constant = [0.0] * len(keys), 0.0
        for part, sign in [(p, 1) for p in parts] + [(total, -1)]:
            if part in index:
                row[index[part]] += sign
            else:
                constant -= sign * table[part[0]][part[1]]
        if any(row):
            equations.append(row)
            constants.append(constant)
    objective = [0.0] * len(keys)
    objective[index[key]] = 1.0
    low = linprog(objective, A_eq=equations, b_eq=constants, bounds=(0, None))
    high = linprog([-v for v in objective], A_eq=equations, b_eq=constants, bounds=(0, None))
    return low.fun, (-high.fun if high.status == 0 else float("inf"))  # 3: unbounded


def test_people_counts_under_k_are_hidden_with_complements_that_cannot_be_worked_out(library):
    responses = [
        pi_return("north_east", applicants(7, 2, 5, 0, 4)),
        pi_return("south_east", applicants(8, 6, 3, 4, 0)),
    ]
    summary = pi_summary(library["pi_quarterly_return"], responses, 3)
    measures = {m.measure: m.figures for m in summary.tiers[0].measures}
    table = measures["applicants"]
    hidden = {(r, c) for r, row in table.items() for c, f in row.items() if f.hidden}
    assert ("North East", "q1") in hidden  # two applicants
    assert len(hidden) > 1  # and at least its complement
    assert summary.note.startswith("Figures for fewer than 3 people are hidden")
    # An average per post advertised is shown, not the total: times the posts it gives the
    # total back (to the nearest whole number, as a count of people is whole).
    posts = measures["advertised"]
    shown = {
        r: {c: f.value and round(f.value * posts[r][c].value) for c, f in row.items()}
        for r, row in table.items()
    }
    for key in hidden:
        low, high = value_range(shown, hidden, key)
        assert high - low >= 1, (key, low, high)  # cannot be pinned down


def test_pi_figures_about_posts_are_not_hidden(library):
    first = {("vacancies", "q1"): 1, ("advertised", "q1"): 1}
    summary = pi_summary(library["pi_quarterly_return"], [pi_return("london", first)], 3)
    vacancies = next(m for m in summary.tiers[0].measures if m.measure == "vacancies")
    assert vacancies.figures["Greater London"]["q1"].value == 1
    assert summary.note == ""


def test_two_returns_for_a_region_that_disagree_leave_the_figure_out(library):
    responses = [
        pi_return("london", {("vacancies", "q1"): 1, ("posts", "q1"): 33}),
        pi_return("london", {("vacancies", "q1"): 2, ("posts", "q1"): 33}),
    ]
    summary = pi_summary(library["pi_quarterly_return"], responses, 3)
    measures = {m.measure: m for m in summary.tiers[0].measures}
    assert measures["vacancies"].figures["Greater London"]["q1"].value is None
    assert measures["posts"].figures["Greater London"]["q1"].value == 33
    assert summary.returns == {"Greater London": 2}
    assert any("Greater London" in d and "Number of vacancies" in d for d in summary.disagreements)


# -- the join ------------------------------------------------------------------------------------


def audit_person(org, progression="yes", direction="upwards"):
    answers = {"organisation": [org], "career_progression": [progression]}
    if direction:
        answers["move_direction"] = [direction]
    return answers


def test_organisation_names_match_without_case_and_punctuation():
    assert organisation_key("Kent County  Council") == organisation_key("kent county council.")
    assert organisation_key("Brighton & Hove") == organisation_key("Brighton and Hove")


def test_join_puts_demand_beside_the_audit_by_organisation(library):
    demand = demand_summary(library["demand_template"], DEMAND)
    audit = library["skills_talent_audit"]
    people = [audit_person("kent county council")] * 4 + [audit_person("Medway", "no", None)] * 3
    people += [audit_person("Surrey")] * 3
    join = audit_join(demand, audit_summary(audit, people, {}, 3, by="organisation")["rows"], 3)
    by_name = {r.organisation: r for r in join.rows}
    kent = by_name["Kent County Council"]
    assert (kent.likely_within_two_years, kent.audit_respondents, kent.audit_upward) == (2, 4, 4)
    assert (by_name["Medway"].audit_respondents, by_name["Medway"].audit_upward) == (3, 0)
    assert join.only_in_audit == ("Surrey",) and by_name["Surrey"].posts is None
    assert join.correlation.n == 2 and join.correlation.rho is None
    assert join.correlation.verdict.startswith("Too few organisations to say")


def test_join_shows_no_audit_figure_the_audit_summary_hides(library):
    demand = demand_summary(library["demand_template"], DEMAND)
    audit = library["skills_talent_audit"]
    people = [audit_person("Kent County Council")] * 4 + [audit_person("Medway")]  # one person
    join = audit_join(demand, audit_summary(audit, people, {}, 3, by="organisation")["rows"], 3)
    medway = next(r for r in join.rows if r.organisation == "Medway")
    assert medway.in_audit and medway.audit_respondents is None and medway.audit_upward is None
    # The audit hides what would let Medway's one answer be worked out; none of it is used.
    assert join.correlation.n == sum(1 for r in join.rows if r.audit_upward is not None)


def test_rank_correlation_with_ties_and_its_minimum():
    assert ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]
    rising = [(float(i), float(i * i)) for i in range(MIN_ORGANISATIONS)]
    assert rank_correlation(rising).rho == 1.0
    assert rank_correlation(rising).p_value == 0.0
    falling = [(a, -b) for a, b in rising] + [(9.0, -99.0)]
    result = rank_correlation(falling)
    assert result.rho == -1.0 and result.n == MIN_ORGANISATIONS + 1
    assert result.verdict.startswith("A strong negative rank correlation (rho -1.00) over 6")
    mixed = [(1.0, 2.0), (2.0, 1.0), (3.0, 4.0), (4.0, 3.0), (5.0, 5.0)]
    # Spearman by hand: d = (1, 1, 1, 1, 0), rho = 1 - 6*4 / (5*24) = 0.8
    assert rank_correlation(mixed).rho == 0.8
    assert rank_correlation(rising[:-1]).rho is None
    flat = [(float(i), 1.0) for i in range(6)]
    assert rank_correlation(flat).verdict.startswith("Cannot say")


def test_two_returns_from_one_organisation_are_summarised_and_named_not_a_crash(library):
    responses = [practice_return("Kent", {"recruitment"}), practice_return("Kent", set())]
    summary = practice_summary(library["workforce_practice"], responses)
    assert [name for name, _ in summary.by_organisation] == ["Kent", "Kent"]
    assert summary.duplicates == ("Kent",)


def test_audit_spellings_of_one_organisation_are_joined_and_a_hidden_part_hides_the_sum(library):
    demand = demand_summary(library["demand_template"], DEMAND)
    audit = library["skills_talent_audit"]
    people = [audit_person("Kent County Council")] * 4 + [audit_person("kent county council")] * 3
    join = audit_join(demand, audit_summary(audit, people, {}, 3, by="organisation")["rows"], 3)
    kent = next(r for r in join.rows if r.organisation == "Kent County Council")
    assert (kent.audit_respondents, kent.audit_upward) == (7, 7)  # none of the 3 lost
    people = [audit_person("Kent County Council")] * 4 + [audit_person("KENT county council")]
    join = audit_join(demand, audit_summary(audit, people, {}, 3, by="organisation")["rows"], 3)
    kent = next(r for r in join.rows if r.organisation == "Kent County Council")
    assert kent.audit_respondents is None and kent.audit_upward is None
