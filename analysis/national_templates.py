"""Summaries of the national framework's organisational templates (seed 001_* §2, §3, §4).

Each return is about one organisation, named in its `organisation` item; the summaries name
organisations, as the seed's templates do, and never a person. Composite answers arrive in the
encodings of the question types (docs/instruments.md "Question types"): a grid as
"<row>=<option>" values, repeating rows as one compact JSON object per row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from instruments import Instrument
from instruments.composite_types import grid_answers, row_objects

from .tallies import Response, percent


def organisation_of(response: Response) -> str:
    """The organisation a return names, spaces tidied ('Not stated' when blank)."""
    text = " ".join(" ".join(response.get("organisation", [])).split())
    return text or "Not stated"


def organisation_key(name: str) -> str:
    """The name as matched across campaigns: case, '&' and punctuation ignored."""
    text = name.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _duplicates(names: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for name in names:
        seen[organisation_key(name)] = seen.get(organisation_key(name), 0) + 1
    return tuple(sorted({n for n in names if seen[organisation_key(n)] > 1}))


# -- §2 workforce development practice ---------------------------------------------------------


@dataclass(frozen=True)
class PracticeRow:
    """One practice: how many organisations have it, how, for how long, and who lacks it."""

    code: str
    label: str
    answered: int
    implemented: int
    percent_implemented: float | None
    all_management_roles: int
    tailored: int
    maturity: dict[str, int]
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class PracticeSummary:
    """`practice_summary`: a row per practice and each organisation's yes/no per practice."""

    returns: int
    practices: tuple[PracticeRow, ...]
    by_organisation: tuple[tuple[str, dict[str, str]], ...]
    duplicates: tuple[str, ...]


def practice_summary(instrument: Instrument, responses: list[Response]) -> PracticeSummary:
    """Per practice: organisations with it (for all roles, tailored, maturity) and the gaps."""
    implemented = instrument.item("implemented")
    maturity_item = instrument.item("maturity")
    returns = [
        (
            organisation_of(r),
            grid_answers(r.get("implemented", [])),
            grid_answers(r.get("all_management_roles", [])),
            grid_answers(r.get("tailored", [])),
            grid_answers(r.get("maturity", [])),
        )
        for r in responses
    ]
    rows = []
    for row in implemented.rows:
        have = [ret for ret in returns if ret[1].get(row.code) == "yes"]
        answered = sum(1 for ret in returns if row.code in ret[1])
        rows.append(
            PracticeRow(
                code=row.code,
                label=row.label,
                answered=answered,
                implemented=len(have),
                percent_implemented=percent(len(have), answered),
                all_management_roles=sum(1 for ret in have if ret[2].get(row.code) == "yes"),
                tailored=sum(1 for ret in have if ret[3].get(row.code) == "yes"),
                maturity={
                    option.label: sum(1 for ret in have if ret[4].get(row.code) == option.code)
                    for option in maturity_item.options
                },
                gaps=tuple(sorted(ret[0] for ret in returns if ret[1].get(row.code) == "no")),
            )
        )
    yes_no = {o.code: o.label for o in implemented.options}
    by_organisation = tuple(
        sorted(
            (
                (
                    name,
                    {
                        row.code: yes_no.get(answers.get(row.code, ""), "–")
                        for row in implemented.rows
                    },
                )
                for name, answers, *_ in returns
            ),
            key=lambda pair: pair[0],  # two returns may name one organisation: never compare dicts
        )
    )
    return PracticeSummary(
        len(responses), tuple(rows), by_organisation, _duplicates([ret[0] for ret in returns])
    )


# -- §3 demand --------------------------------------------------------------------------------

HIGH, DIFFICULT = "H", "3"
LIKELY_WITHIN_TWO_YEARS = ("H", "M")


@dataclass(frozen=True)
class Post:
    """One senior post of a demand return, as the respondent gave it."""

    organisation: str
    post: str
    salary: str
    vacancy: str
    recruitment: str
    development: str
    restructure: str


@dataclass(frozen=True)
class DemandOrganisation:
    """One organisation's posts by likelihood of vacancy, difficulty and development use."""

    organisation: str
    posts: int
    vacancy: dict[str, int]
    likely_within_two_years: int
    difficult: int
    at_risk: int
    development: dict[str, int]
    restructure: int


@dataclass(frozen=True)
class DemandSummary:
    """`demand_summary`: posts by likelihood × ease of recruitment, the risks, per organisation."""

    returns: int
    posts: int
    vacancy_labels: dict[str, str]
    recruitment_labels: dict[str, str]
    development_labels: dict[str, str]
    grid: dict[str, dict[str, int]]
    at_risk: tuple[Post, ...]
    development: dict[str, int]
    organisations: tuple[DemandOrganisation, ...]
    duplicates: tuple[str, ...]


def _field_labels(instrument: Instrument, field_id: str) -> dict[str, str]:
    field = next(f for f in instrument.item("senior_posts").fields if f.id == field_id)
    return {o.code: o.label for o in field.options}


def demand_posts(responses: list[Response]) -> list[Post]:
    """Every post of every return, with its organisation."""
    return [
        Post(
            organisation_of(response),
            row.get("post", ""),
            row.get("salary", ""),
            row.get("vacancy", ""),
            row.get("recruitment", ""),
            row.get("development", ""),
            row.get("restructure", ""),
        )
        for response in responses
        for row in row_objects(response.get("senior_posts", []))
    ]


def demand_summary(instrument: Instrument, responses: list[Response]) -> DemandSummary:
    """The seed's risk view: likelihood of vacancy × ease of recruitment, H and 3 named."""
    vacancy = _field_labels(instrument, "vacancy")
    recruitment = _field_labels(instrument, "recruitment")
    development = _field_labels(instrument, "development")
    posts = demand_posts(responses)
    grid = {
        v: {
            r: sum(1 for p in posts if (p.vacancy or "") == v and (p.recruitment or "") == r)
            for r in [*recruitment, ""]
        }
        for v in [*vacancy, ""]
    }
    names = sorted({p.organisation for p in posts} | {organisation_of(r) for r in responses})
    organisations = tuple(
        _demand_organisation(
            name, [p for p in posts if p.organisation == name], vacancy, development
        )
        for name in names
    )
    return DemandSummary(
        returns=len(responses),
        posts=len(posts),
        vacancy_labels=vacancy,
        recruitment_labels=recruitment,
        development_labels=development,
        grid=grid,
        at_risk=tuple(p for p in posts if p.vacancy == HIGH and p.recruitment == DIFFICULT),
        development={code: sum(1 for p in posts if p.development == code) for code in development},
        organisations=organisations,
        duplicates=_duplicates([organisation_of(r) for r in responses]),
    )


def _demand_organisation(
    name: str, posts: list[Post], vacancy: dict[str, str], development: dict[str, str]
) -> DemandOrganisation:
    return DemandOrganisation(
        organisation=name,
        posts=len(posts),
        vacancy={code: sum(1 for p in posts if p.vacancy == code) for code in vacancy},
        likely_within_two_years=sum(1 for p in posts if p.vacancy in LIKELY_WITHIN_TWO_YEARS),
        difficult=sum(1 for p in posts if p.recruitment == DIFFICULT),
        at_risk=sum(1 for p in posts if p.vacancy == HIGH and p.recruitment == DIFFICULT),
        development={code: sum(1 for p in posts if p.development == code) for code in development},
        restructure=sum(1 for p in posts if p.restructure == "yes"),
    )


# -- §4 supply --------------------------------------------------------------------------------

LEVELS = (("senior", "Senior leaders"), ("middle", "Middle leaders"))
TEXTS = (
    ("strengths", "Strengths of current pool"),
    ("development_areas", "Key development areas of current pool"),
    ("future_requirements", "Future skills/ experience requirements"),
)


@dataclass(frozen=True)
class SupplyRow:
    """One organisation's pool at one level (or the region's totals, texts empty)."""

    organisation: str
    leaders: int | None
    high_potential: int | None
    percent_high_potential: float | None
    progress_3_years: int | None
    recruitment_problems: str
    texts: dict[str, str]


@dataclass(frozen=True)
class SupplyLevel:
    """The talent pool at one level: a row per organisation, then the region's totals."""

    code: str
    label: str
    rows: tuple[SupplyRow, ...]
    total: SupplyRow
    with_recruitment_problems: int


def _number(response: Response, item_id: str) -> int | None:
    values = response.get(item_id, [])
    try:
        return round(float(values[0])) if values else None
    except ValueError:
        return None


def supply_summary(instrument: Instrument, responses: list[Response]) -> tuple[SupplyLevel, ...]:
    """Per level, each organisation's numbers and words and the region's totals."""
    levels = []
    for code, label in LEVELS:
        rows = []
        for response in sorted(responses, key=organisation_of):
            leaders = _number(response, f"{code}_leaders")
            high = _number(response, f"{code}_high_potential")
            problems = response.get(f"{code}_recruitment_problems", [])
            rows.append(
                SupplyRow(
                    organisation_of(response),
                    leaders,
                    high,
                    percent(high, leaders) if high is not None and leaders else None,
                    _number(response, f"{code}_progress_3_years"),
                    {"yes": "Yes", "no": "No"}.get(problems[0] if problems else "", "–"),
                    {
                        key: " ".join(" ".join(response.get(f"{code}_{key}", [])).split())
                        for key, _ in TEXTS
                    },
                )
            )
        leaders_total = sum(r.leaders or 0 for r in rows)
        high_total = sum(r.high_potential or 0 for r in rows)
        total = SupplyRow(
            "All organisations",
            leaders_total,
            high_total,
            percent(high_total, leaders_total),
            sum(r.progress_3_years or 0 for r in rows),
            "",
            {},
        )
        with_problems = sum(1 for r in rows if r.recruitment_problems == "Yes")
        levels.append(SupplyLevel(code, label, tuple(rows), total, with_problems))
    return tuple(levels)
