"""The national templates' summaries as findings tables (page, print, CSV, XLSX, PDF alike)."""

from __future__ import annotations

import re
from typing import Any

from analysis.audit_join import AuditJoin
from analysis.national_templates import DemandSummary, PracticeSummary, SupplyLevel
from analysis.tallies import percent

from .national import PI, PRACTICE, SUPPLY
from .national_pi_tables import number as _number
from .national_pi_tables import pct as _pct
from .national_pi_tables import pi_tables
from .national_pi_tables import table as _table

NONE_GIVEN = "Not given"


def national_tables(findings: dict[str, Any], hidden: str) -> list[dict[str, Any]]:
    """The template summary's tables; a hidden figure reads `hidden`, as in every table."""
    found = findings.get("national")
    if not found:
        return []
    summary = found["summary"]
    if found["template"] == PRACTICE:
        return practice_tables(summary)
    if found["template"] == SUPPLY:
        return [t for level in summary for t in supply_tables(level)]
    if found["template"] == PI:
        return pi_tables(summary, hidden)
    tables = demand_tables(summary)
    if found["join"] is not None:
        tables.append(join_table(found["join"], found["join_campaign"]["title"], hidden))
    return tables


def _short(label: str) -> str:
    """A practice's number as printed ("6.1"), for a narrow column heading."""
    match = re.match(r"(\d+(?:\.\d+)?)\.?\s", label)
    return match.group(1) if match else label


def practice_tables(summary: PracticeSummary) -> list[dict[str, Any]]:
    """Organisations with each practice (and how), then each organisation's yes/no."""
    bands = list(summary.practices[0].maturity) if summary.practices else []
    rows = [
        [
            p.label,
            p.answered,
            p.implemented,
            _pct(p.percent_implemented),
            p.all_management_roles,
            p.tailored,
            *[p.maturity[b] for b in bands],
            "; ".join(p.gaps) or "none",
        ]
        for p in summary.practices
    ]
    note = f"{summary.returns} returns."
    if summary.duplicates:
        note += f" More than one return from: {'; '.join(summary.duplicates)}."
    header = [
        "Practice",
        "Organisations answering",
        "In place",
        "Percent in place",
        "Of those, used for all management roles",
        "Of those, tailored for children's services",
        *[f"In place for: {b.lower()}" for b in bands],
        "Gaps: organisations without it",
    ]
    by_org = [
        [name, *[answers[p.code] for p in summary.practices]]
        for name, answers in summary.by_organisation
    ]
    legend = "; ".join(f"{_short(p.label)}: {p.label.split(' ', 1)[-1]}" for p in summary.practices)
    return [
        _table("Workforce development practices in place", header, rows, "practice", note),
        _table(
            "Practices in place by organisation",
            ["Organisation", *[_short(p.label) for p in summary.practices]],
            by_org,
            "practice_by_organisation",
            f"Columns are the practices: {legend}.",
        ),
    ]


def demand_tables(summary: DemandSummary) -> list[dict[str, Any]]:
    """The risk grid, the posts at risk, development opportunities, a row per organisation."""
    tables = [_risk_grid(summary)]
    if summary.at_risk:
        tables.append(_at_risk(summary))
    none = summary.posts - sum(summary.development.values())
    tables.append(
        _table(
            "Potential for development opportunity",
            ["Opportunity", "Posts", "Percent of posts"],
            [
                [summary.development_labels[c], n, _pct(percent(n, summary.posts))]
                for c, n in summary.development.items()
            ]
            + [[NONE_GIVEN, none, _pct(percent(none, summary.posts))]],
            "development",
        )
    )
    tables.append(_by_organisation(summary))
    return tables


def _risk_grid(summary: DemandSummary) -> dict[str, Any]:
    vacancy = {**summary.vacancy_labels, "": NONE_GIVEN}
    recruitment = {**summary.recruitment_labels, "": NONE_GIVEN}
    rows = [
        [label, *[summary.grid[v][r] for r in recruitment], sum(summary.grid[v].values())]
        for v, label in vacancy.items()
    ]
    rows.append(
        ["Total", *[sum(summary.grid[v][r] for v in vacancy) for r in recruitment], summary.posts]
    )
    risk = len(summary.at_risk)
    note = (
        f"{summary.posts} posts from {summary.returns} returns. At risk (vacancy likely within "
        f"12 months and difficult to recruit): {risk} {'post' if risk == 1 else 'posts'}."
    )
    if summary.duplicates:  # counted as given: the mix keeps no order to say which is newer
        note += f" More than one return from: {'; '.join(summary.duplicates)}."
    return _table(
        "Posts by likelihood of vacancy and ease of recruitment",
        ["Likelihood of vacancy", *recruitment.values(), "Total"],
        rows,
        "risk_grid",
        note,
    )


def _at_risk(summary: DemandSummary) -> dict[str, Any]:
    development = {**summary.development_labels, "": NONE_GIVEN}
    return _table(
        "Posts at risk: vacancy likely within 12 months and difficult to recruit",
        [
            "Organisation",
            "Post title",
            "Salary range",
            "Development opportunity",
            "Subject to restructure",
        ],
        [
            [
                p.organisation,
                p.post,
                p.salary or "–",
                development.get(p.development, "–"),
                {"yes": "Yes", "no": "No"}.get(p.restructure, "–"),
            ]
            for p in summary.at_risk
        ],
        "at_risk",
        text=True,
    )


def _by_organisation(summary: DemandSummary) -> dict[str, Any]:
    header = [
        "Organisation",
        "Posts",
        *summary.vacancy_labels,
        "Vacancy likely within 2 years",
        "Difficult to recruit",
        "At risk",
        *summary.development_labels,
        "Subject to restructure",
    ]
    rows = [
        [
            o.organisation,
            o.posts,
            *o.vacancy.values(),
            o.likely_within_two_years,
            o.difficult,
            o.at_risk,
            *o.development.values(),
            o.restructure,
        ]
        for o in summary.organisations
    ]
    return _table(
        "Demand by organisation",
        header,
        rows,
        "by_organisation",
        "H, M, L: likelihood of vacancy; I, P, S: interim, placement, secondment.",
    )


def join_table(join: AuditJoin, audit_title: str, hidden: str) -> dict[str, Any]:
    """Demand beside the audit per organisation, with the rank correlation in the note."""

    def shown(value: int | None, present: bool) -> Any:
        if not present:
            return "–"
        return hidden if value is None else value

    rows = [
        [
            r.organisation,
            _number(r.posts),
            _number(r.likely_within_two_years),
            _number(r.at_risk),
            shown(r.audit_respondents, r.in_audit),
            shown(r.audit_upward, r.in_audit),
        ]
        for r in join.rows
    ]
    c = join.correlation
    note = (
        f"Joined with '{audit_title}' by organisation name. Correlation of posts likely vacant "
        f"within 2 years with audit respondents looking to move upwards within two years, over "
        f"organisations with both figures shown: {c.verdict}"
    )
    if join.only_in_demand:
        note += f" No audit answers named: {'; '.join(join.only_in_demand)}."
    if join.only_in_audit:
        note += f" Only in the audit: {'; '.join(join.only_in_audit)}."
    return _table(
        "Demand and the skills and talent audit by organisation",
        [
            "Organisation",
            "Senior posts",
            "Vacancy likely within 2 years",
            "At risk",
            "Audit respondents",
            "Looking to move upwards within two years",
        ],
        rows,
        "audit_join",
        note,
    )


def supply_tables(level: SupplyLevel) -> list[dict[str, Any]]:
    """One level of the supply matrix: its numbers, then its words."""
    numbers = [
        [
            r.organisation,
            _number(r.leaders),
            _number(r.high_potential),
            _pct(r.percent_high_potential),
            _number(r.progress_3_years),
            r.recruitment_problems,
        ]
        for r in (*level.rows, level.total)
    ]
    numbers[-1][-1] = f"{level.with_recruitment_problems} with problems"
    words = [[r.organisation, *[r.texts[key] or "–" for key in r.texts]] for r in level.rows]
    label = level.label.lower()
    return [
        _table(
            f"The talent pool: {label}",
            [
                "Organisation",
                f"Number of {label}",
                "Number of high potential individuals",
                "High potential, percent of the pool",
                "Could progress within three years",
                "Recruitment problems",
            ],
            numbers,
            f"supply_{level.code}",
        ),
        _table(
            f"The talent pool: {label}, in the organisations' words",
            [
                "Organisation",
                "Strengths of current pool",
                "Key development areas of current pool",
                "Future skills/ experience requirements",
            ],
            words,
            f"supply_{level.code}_words",
            text=True,
        ),
    ]
