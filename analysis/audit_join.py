"""The demand template joined to the skills and talent audit by organisation (seed 001_* §4).

The seed asks: "Does the information from the skills and talent audit correlate with this
organisational data?" Demand: an organisation's senior posts likely to fall vacant within two years
(vacancy H or M, seed §3). Supply: its audit respondents looking to move upwards within two years
(the audit summary's self-identified high potential, §8). Each organisation's figures sit side
by side; across organisations, a Spearman rank correlation with its n, and "too few organisations
to say" below MIN_ORGANISATIONS.

Audit figures are those of the audit summary by organisation, hidden as it hides them (a group of
fewer than k is hidden whole); an organisation whose audit figure is hidden is left out of the
correlation, so nothing hidden feeds a published number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .national_templates import DemandSummary, organisation_key
from .survey_results import AuditRow

MIN_ORGANISATIONS = 5
AUDIT_NOT_PLACES = ("Not stated", "All respondents")


@dataclass(frozen=True)
class JoinRow:
    """One organisation: its demand figures (None: no demand return) and its audit figures."""

    organisation: str
    posts: int | None
    likely_within_two_years: int | None
    at_risk: int | None
    audit_respondents: int | None
    audit_upward: int | None
    in_audit: bool


@dataclass(frozen=True)
class Correlation:
    """Spearman's rho over the organisations with both figures shown, or why there is none."""

    n: int
    rho: float | None
    p_value: float | None
    minimum: int
    verdict: str


@dataclass(frozen=True)
class AuditJoin:
    """`audit_join`: the per-organisation table and the rank correlation."""

    rows: tuple[JoinRow, ...]
    correlation: Correlation
    only_in_demand: tuple[str, ...]
    only_in_audit: tuple[str, ...]
    threshold: int


def _audit_by_key(audit_rows: Sequence[AuditRow]) -> dict[str, AuditRow]:
    """The audit's rows by matching key. The audit groups by the text as typed, so "Kent" and
    "kent" can be two rows: their counts are added when both are shown; when either is hidden,
    so is the sum (adding a hidden count to a shown one would publish it)."""
    found: dict[str, AuditRow] = {}
    for row in audit_rows:
        if row["group"] in AUDIT_NOT_PLACES:
            continue
        key = organisation_key(row["group"])
        if key not in found:
            found[key] = row
            continue
        first = found[key]
        found[key] = {
            **first,
            "respondents": _sum_shown(first["respondents"], row["respondents"]),
            "upward": _sum_shown(first["upward"], row["upward"]),
        }
    return found


def _sum_shown(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def audit_join(demand: DemandSummary, audit_rows: Sequence[AuditRow], k: int) -> AuditJoin:
    """Demand per organisation beside the audit's, matched by name, and their rank correlation."""
    audit = _audit_by_key(audit_rows)
    rows = []
    for org in demand.organisations:
        found = audit.get(organisation_key(org.organisation))
        rows.append(
            JoinRow(
                org.organisation,
                org.posts,
                org.likely_within_two_years,
                org.at_risk,
                found["respondents"] if found else None,
                found["upward"] if found else None,
                found is not None,
            )
        )
    matched = {organisation_key(o.organisation) for o in demand.organisations}
    only_audit = sorted(row["group"] for key, row in audit.items() if key not in matched)
    for name in only_audit:
        row = audit[organisation_key(name)]
        rows.append(JoinRow(name, None, None, None, row["respondents"], row["upward"], True))
    pairs = [
        (float(r.likely_within_two_years), float(r.audit_upward))
        for r in rows
        if r.likely_within_two_years is not None and r.audit_upward is not None
    ]
    return AuditJoin(
        rows=tuple(rows),
        correlation=rank_correlation(pairs),
        only_in_demand=tuple(r.organisation for r in rows if not r.in_audit),
        only_in_audit=tuple(only_audit),
        threshold=k,
    )


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing the mean of their ranks."""
    from scipy.stats import rankdata  # scipy loads in a second: only when a join is computed

    return [float(rank) for rank in rankdata(values)]


def rank_correlation(pairs: Sequence[tuple[float, float]]) -> Correlation:
    """Spearman's rho (scipy's, with its two-sided p) and a verdict in words."""
    from scipy.stats import spearmanr

    n = len(pairs)
    if n < MIN_ORGANISATIONS:
        return Correlation(
            n,
            None,
            None,
            MIN_ORGANISATIONS,
            f"Too few organisations to say: {n} with both figures, at least "
            f"{MIN_ORGANISATIONS} are needed.",
        )
    if len({a for a, _ in pairs}) == 1 or len({b for _, b in pairs}) == 1:
        return Correlation(
            n,
            None,
            None,
            MIN_ORGANISATIONS,
            "Cannot say: every organisation has the same figure on one side.",
        )
    found = spearmanr([a for a, _ in pairs], [b for _, b in pairs])
    rho, p_value = float(found.statistic), round(float(found.pvalue), 3)
    return Correlation(n, round(rho, 2), p_value, MIN_ORGANISATIONS, _verdict(rho, p_value, n))


def _verdict(rho: float, p_value: float, n: int) -> str:
    size = abs(rho)
    if size < 0.4:
        kind = "Little or no rank correlation"
    else:
        strength = "strong" if size >= 0.7 else "moderate"
        kind = f"A {strength} {'positive' if rho > 0 else 'negative'} rank correlation"
    chance = "is unlikely to be chance alone" if p_value < 0.05 else "could well be chance"
    return (
        f"{kind} (rho {rho:.2f}) over {n} organisations, which {chance} (p {p_value:.3f}). "
        "A correlation says the two go together, not why."
    )
