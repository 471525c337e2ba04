"""The four-level evaluation's figures, checked by hand on small fixtures, with suppression."""

from __future__ import annotations

import math

import pytest

from analysis.impact import (
    behaviour_level,
    difference_figure,
    goals_done_figure,
    learning_level,
    mean_figure,
    reaction_level,
    results_level,
    share_figure,
)


def test_a_mean_carries_its_n_and_t_interval_and_is_withheld_below_k():
    # [3, 4, 5]: mean 4, SD 1; t(0.975, 2 df) = 4.302653, so half-width 4.302653 / sqrt(3).
    figure = mean_figure("Relevance", [3, 4, 5], k=3)
    assert (figure.n, figure.value) == (3, 4.0)
    assert figure.low == pytest.approx(4 - 2.484138, abs=1e-5)
    assert figure.high == pytest.approx(4 + 2.484138, abs=1e-5)
    withheld = mean_figure("Relevance", [4, 5], k=3)
    assert not withheld.shown and withheld.n == 2 and withheld.low is None


def test_a_share_has_a_wilson_interval():
    # 8 of 10 with z = 1.96: centre 0.99208/1.38416, half 1.96*sqrt(.016+.009604)/1.38416.
    figure = share_figure("Would recommend", 8, 10, k=3)
    assert figure.value == 0.8 and (figure.count, figure.of) == (8, 10)
    assert figure.low == pytest.approx(0.4902, abs=1e-4)
    assert figure.high == pytest.approx(0.9433, abs=1e-4)
    assert not share_figure("Would recommend", 2, 2, k=3).shown


def test_a_difference_of_two_anonymous_groups_uses_welch():
    # [1,2,3] then [3,4,5]: change 2, SE sqrt(1/3 + 1/3), Welch df 4, t(0.975, 4) = 2.776445.
    figure = difference_figure("Change", [1, 2, 3], [3, 4, 5], k=3)
    half = 2.776445 * math.sqrt(2 / 3)
    assert figure.value == 2.0 and (figure.n, figure.of) == (3, 3)
    assert figure.low == pytest.approx(2 - half, abs=1e-5)
    assert figure.high == pytest.approx(2 + half, abs=1e-5)
    assert not difference_figure("Change", [1, 2], [3, 4, 5], k=3).shown


def test_reaction_per_module_and_combined_only_over_modules_shown():
    answered = [
        {
            "relevance": ["5"],
            "quality": ["4"],
            "recommend": ["yes"],
            "what_worked": ["The DCS panel"],
        },
        {"relevance": ["4"], "quality": ["4"], "recommend": ["yes"]},
        {"relevance": ["3"], "quality": ["5"], "recommend": ["not_sure"]},
    ]
    other = [
        {"relevance": ["2"], "quality": ["3"], "recommend": ["no"]},
        {"relevance": ["4"], "quality": ["3"], "recommend": ["yes"]},
        {"relevance": ["3"], "quality": ["3"], "recommend": ["yes"]},
    ]
    few = [
        {"relevance": ["1"], "quality": ["1"], "recommend": ["no"]},
        {"relevance": ["1"], "quality": ["1"], "recommend": ["no"]},
    ]
    rows, combined = reaction_level(
        [("Commissioning", answered), ("Finance", other), ("Masterclass", few)], k=3
    )
    first, second, small = rows
    assert first.relevance.value == 4.0 and first.quality.value == pytest.approx(13 / 3)
    assert (first.recommend.count, first.recommend.of) == (2, 3) and first.commented == 1
    assert second.recommend.value == pytest.approx(2 / 3)
    assert small.respondents == 2 and not small.relevance.shown and not small.recommend.shown
    # The combined row is the two shown modules only: (5+4+3+2+4+3)/6 = 3.5.
    assert combined.respondents == 6 and combined.relevance.value == 3.5
    assert (combined.recommend.count, combined.recommend.of) == (4, 6)


def test_learning_compares_confidence_before_and_after():
    before = [
        {"role_complexity": ["2"]},
        {"role_complexity": ["3"]},
        {"role_complexity": ["2"]},
        {"political_context": ["1"]},
    ]
    after = [
        {"role_complexity": ["4"]},
        {"role_complexity": ["4"]},
        {"role_complexity": ["5"]},
        {"political_context": ["3"]},
    ]
    complexity, political = learning_level(
        [("role_complexity", "The role's complexity"), ("political_context", "Politics")],
        before,
        after,
        k=3,
    )
    assert complexity.before.value == pytest.approx(7 / 3)
    assert complexity.after.value == pytest.approx(13 / 3)
    assert complexity.change.value == pytest.approx(2.0)
    assert (complexity.change.n, complexity.change.of) == (3, 3)
    assert not political.before.shown and not political.change.shown


def _result(**others):
    return {
        "behaviours": {
            bid: {"title": bid.title(), "others": value, "others_n": 5}
            for bid, value in others.items()
        }
    }


def test_behaviour_change_only_where_both_reports_published_the_behaviour():
    pairs = [
        (_result(belief=2.0, results=2.5), _result(belief=2.5, results=3.0)),
        (_result(belief=1.5, results=None), _result(belief=2.5, results=3.0)),
        (_result(belief=3.0, results=2.0), _result(belief=3.0, results=2.5)),
    ]
    belief, results = behaviour_level(pairs, {"belief": "Belief", "results": "Results"}, k=3)
    # Belief: changes 0.5, 1.0, 0.0 over three participants.
    assert belief.change.n == 3 and belief.change.value == pytest.approx(0.5)
    assert belief.before.value == pytest.approx(6.5 / 3)
    half = 4.302653 * 0.5 / math.sqrt(3)  # SD of (0.5, 1, 0) is 0.5
    assert belief.change.low == pytest.approx(0.5 - half, abs=1e-5)
    # Results: the second participant's earlier report published no others' figure.
    assert results.change.n == 2 and not results.change.shown


def test_goals_done_share_treats_each_participant_as_a_cluster():
    plans = [[True, False], [True, True], [False, False, True, False], [True, True], []]
    figure = goals_done_figure(plans, k=3)
    # 6 of 10 goals done over 4 participants with a plan (the empty plan does not count).
    assert (figure.n, figure.count, figure.of, figure.value) == (4, 6, 10, 0.6)
    # Ratio-estimator SE: residuals d - 0.6 g = -0.2, 0.8, -1.4, 0.8; sum of squares 3.28,
    # / (m - 1) = 1.093333, / m = 0.273333, sqrt = 0.522813; / mean goals 2.5 = 0.209125.
    assert figure.low == pytest.approx(0.6 - 1.959964 * 0.209125, abs=1e-5)
    assert figure.high == 1.0  # 1.0099, clipped to a share
    assert not goals_done_figure(plans[:2], k=3).shown


def test_results_by_starting_role_withhold_small_rows_and_their_complement():
    people = (
        [("Head of service", {"promoted"})] * 2
        + [("Head of service", set())] * 2
        + [("Assistant director", {"acting_up"})] * 3
        + [("Team manager", {"appointed"})]
    )
    overall, rows = results_level(people, k=3)
    assert overall.participants == 8
    assert (overall.stepped_up.count, overall.interim.count) == (3, 3)
    by_role = {row.starting_role: row for row in rows}
    # Team manager has one participant; alone it could be read as the total minus the rest,
    # so the next smallest row (assistant director, 3) is withheld too, sizes included.
    assert by_role["Team manager"].participants is None
    assert by_role["Assistant director"].participants is None
    assert not by_role["Assistant director"].interim.shown
    head = by_role["Head of service"]
    assert head.participants == 4 and head.stepped_up.value == 0.5


def test_an_interval_stays_within_the_scale():
    figure = mean_figure("Quality", [5, 5, 4], k=3, bounds=(1, 5))
    assert figure.high == 5 and figure.low < figure.value < figure.high
