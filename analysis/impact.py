"""The four-level evaluation of a programme cohort (Kirkpatrick, seed 001_* §13): pure functions.

Every figure carries its n and a 95% interval and is withheld when fewer than k people are
behind it (docs/design.md §8). Reaction (level 1) and learning (level 2) come from anonymous
questionnaires, mixed in batches of at least k like any survey; behaviour (level 3) from each
participant's two frozen reports, only for participants with both windows closed and only where
both reports published others' figure for the behaviour (the rules of a single report's change
over time); results (level 4) from appointments and promotions the commissioner records.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .results import ParticipantResult
from .scoring import change_over_time
from .theming.stats import wilson

Answers = Mapping[str, Sequence[str]]
CONFIDENCE = 0.95
Z = 1.959964
# The bundled questionnaires' item ids (instruments/library/module_reaction.yaml and
# programme_confidence.yaml).
RELEVANCE, QUALITY, RECOMMEND = "relevance", "quality", "recommend"
REACTION_TEXT = ("what_worked", "what_to_change")
FIVE_POINT, LEVELS = (1.0, 5.0), (1.0, 4.0)
STEP_UP = ("promoted", "appointed")
INTERIM = ("acting_up", "secondment")


@dataclass(frozen=True)
class Figure:
    """One published number with its n and 95% interval; value None when fewer than k."""

    label: str
    kind: str  # "mean", "share" (0-1) or "change"
    n: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    count: int | None = None  # shares: how many of `of`
    of: int | None = None

    @property
    def shown(self) -> bool:
        """True when the figure is published."""
        return self.value is not None


@dataclass(frozen=True)
class BeforeAfter:
    """Before, after and the change between them for one aim or behaviour."""

    label: str
    before: Figure
    after: Figure
    change: Figure


@dataclass(frozen=True)
class ModuleReaction:
    """Level 1 for one module or masterclass questionnaire."""

    title: str
    respondents: int
    relevance: Figure
    quality: Figure
    recommend: Figure
    commented: int


def _t_quantile(df: float) -> float:
    """Student's t quantile for the two-sided CONFIDENCE interval (scipy loads on first use)."""
    from scipy import stats

    return float(stats.t.ppf((1 + CONFIDENCE) / 2, df))


def mean_figure(
    label: str,
    values: Sequence[float],
    k: int,
    kind: str = "mean",
    bounds: tuple[float, float] | None = None,
) -> Figure:
    """Mean with a t interval (clipped to the scale's `bounds`); withheld below k values."""
    n = len(values)
    if n < k or n == 0:
        return Figure(label, kind, n)
    mean = statistics.fmean(values)
    if n < 2:
        return Figure(label, kind, n, mean)
    half = _t_quantile(n - 1) * statistics.stdev(values) / math.sqrt(n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return Figure(label, kind, n, mean, low, high)


def share_figure(label: str, count: int, of: int, k: int) -> Figure:
    """count/of with a Wilson interval; withheld when fewer than k are counted."""
    if of < k or of == 0:
        return Figure(label, "share", of, count=None, of=of)
    low, high = wilson(count, of, Z)
    return Figure(label, "share", of, count / of, low, high, count, of)


def difference_figure(
    label: str, before: Sequence[float], after: Sequence[float], k: int
) -> Figure:
    """After minus before for two independent groups (Welch interval); n is the after group."""
    if len(before) < k or len(after) < k or min(len(before), len(after)) < 2:
        return Figure(label, "change", len(after), of=len(before))
    mb, ma = statistics.fmean(before), statistics.fmean(after)
    vb, va = statistics.variance(before) / len(before), statistics.variance(after) / len(after)
    difference = ma - mb
    if vb + va == 0:
        return Figure(
            label, "change", len(after), difference, difference, difference, of=len(before)
        )
    df = (vb + va) ** 2 / (vb**2 / (len(before) - 1) + va**2 / (len(after) - 1))
    half = _t_quantile(df) * math.sqrt(vb + va)
    return Figure(
        label,
        "change",
        len(after),
        difference,
        difference - half,
        difference + half,
        of=len(before),
    )


def numbers(responses: Iterable[Answers], item_id: str) -> list[float]:
    """The numeric answers to one rating item (skipped and non-numeric answers left out)."""
    found = []
    for answers in responses:
        values = answers.get(item_id) or ()
        try:
            found.append(float(values[0]))
        except (IndexError, ValueError):
            continue
    return found


def reaction_level(
    modules: Sequence[tuple[str, Sequence[Answers]]], k: int
) -> tuple[list[ModuleReaction], ModuleReaction | None]:
    """Per module: relevance, quality, would recommend; and all shown modules together.

    The combined row uses only modules whose own figures are shown, so subtracting the shown
    modules from it can never reveal a withheld one.
    """
    rows = [_module(title, list(responses), k) for title, responses in modules]
    shown = [
        list(responses)
        for (title, responses), row in zip(modules, rows, strict=True)
        if row.relevance.shown and row.quality.shown and row.recommend.shown
    ]
    combined = (
        _module("All modules shown above", [a for r in shown for a in r], k)
        if len(shown) > 1
        else None
    )
    return rows, combined


def _module(title: str, responses: list[Answers], k: int) -> ModuleReaction:
    recommend = [values[0] for a in responses if (values := a.get(RECOMMEND))]
    commented = sum(
        1
        for a in responses
        if any(str(v).strip() for item in REACTION_TEXT for v in a.get(item) or ())
    )
    return ModuleReaction(
        title,
        len(responses),
        mean_figure(
            "Relevance to my role (1 to 5)", numbers(responses, RELEVANCE), k, bounds=FIVE_POINT
        ),
        mean_figure("Quality (1 to 5)", numbers(responses, QUALITY), k, bounds=FIVE_POINT),
        share_figure(
            "Would recommend it to a colleague", recommend.count("yes"), len(recommend), k
        ),
        commented,
    )


def learning_level(
    aims: Sequence[tuple[str, str]], before: Sequence[Answers], after: Sequence[Answers], k: int
) -> list[BeforeAfter]:
    """Per aim (item id, wording): confidence before, after, and the change between the groups."""
    rows = []
    for item_id, title in aims:
        then, now = numbers(before, item_id), numbers(after, item_id)
        rows.append(
            BeforeAfter(
                title,
                mean_figure("Before", then, k, bounds=FIVE_POINT),
                mean_figure("After", now, k, bounds=FIVE_POINT),
                difference_figure("Change", then, now, k),
            )
        )
    return rows


def behaviour_level(
    pairs: Sequence[tuple[ParticipantResult, ParticipantResult]], titles: Mapping[str, str], k: int
) -> list[BeforeAfter]:
    """Per behaviour: others' mean before, after and the mean change, over the same participants.

    `pairs` are (earlier result, later result) of participants with both reports; a behaviour
    counts for a participant only where both reports published others' figure for it.
    """
    changes = [change_over_time(before, after) for before, after in pairs]
    rows = []
    for bid, title in titles.items():
        mine = [c[bid] for c in changes if bid in c]
        rows.append(
            BeforeAfter(
                title,
                mean_figure("Before", [c["before"] for c in mine], k, bounds=LEVELS),
                mean_figure("After", [c["after"] for c in mine], k, bounds=LEVELS),
                mean_figure("Change", [c["change"] for c in mine], k, kind="change"),
            )
        )
    return rows


def goals_done_figure(plans: Sequence[Sequence[bool]], k: int) -> Figure:
    """Share of development-plan goals marked done, over participants with a plan.

    Goals of one person are not independent, so the interval is the ratio estimator's, with
    each participant as a cluster; n is the number of participants.
    """
    plans = [list(goals) for goals in plans if goals]
    m = len(plans)
    done = [sum(goals) for goals in plans]
    total = [len(goals) for goals in plans]
    label = "Development-plan goals marked done"
    if m < k or m == 0:
        return Figure(label, "share", m, count=None, of=sum(total))
    ratio = sum(done) / sum(total)
    if m < 2:
        return Figure(label, "share", m, ratio, count=sum(done), of=sum(total))
    mean_goals = sum(total) / m
    spread = sum((d - ratio * g) ** 2 for d, g in zip(done, total, strict=True)) / (m - 1)
    half = Z * math.sqrt(spread / m) / mean_goals
    return Figure(
        label,
        "share",
        m,
        ratio,
        max(0.0, ratio - half),
        min(1.0, ratio + half),
        sum(done),
        sum(total),
    )


@dataclass(frozen=True)
class ResultsRow:
    """Level 4 for the participants who started in one role; sizes withheld with the figures."""

    starting_role: str
    participants: int | None
    stepped_up: Figure
    interim: Figure

    @property
    def shown(self) -> bool:
        """True when the row is published."""
        return self.participants is not None


def results_level(
    participants: Sequence[tuple[str, set[str]]], k: int
) -> tuple[ResultsRow, list[ResultsRow]]:
    """Appointments and promotions: the whole cohort, then by starting role.

    A starting role with fewer than k participants is withheld whole, its size included; when
    that would leave a single withheld row (readable as the total minus the others), the next
    smallest goes too.
    """
    overall = _results_row("Whole cohort", [kinds for _, kinds in participants], k)
    by_role: dict[str, list[set[str]]] = {}
    for role, kinds in participants:
        by_role.setdefault(" ".join(role.split()) or "Not recorded", []).append(kinds)
    small = {role for role, members in by_role.items() if len(members) < k}
    if len(small) == 1 and len(by_role) > 1:
        small.add(min((r for r in by_role if r not in small), key=lambda r: (len(by_role[r]), r)))
    rows = [
        _results_row(role, members, k, withheld=role in small)
        for role, members in sorted(by_role.items())
    ]
    return overall, rows


def _results_row(role: str, members: list[set[str]], k: int, withheld: bool = False) -> ResultsRow:
    n = len(members)
    if withheld or n < k:
        return ResultsRow(
            role,
            None,
            Figure("Appointed or promoted", "share", 0),
            Figure("Acting up or seconded", "share", 0),
        )
    return ResultsRow(
        role,
        n,
        share_figure("Appointed or promoted", sum(1 for m in members if m & set(STEP_UP)), n, k),
        share_figure("Acting up or seconded", sum(1 for m in members if m & set(INTERIM)), n, k),
    )
