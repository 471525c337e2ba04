"""A report's gap always equals the shown You minus the shown Others, and the flag follows it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.scoring import RaterAnswers, compare_shown, score_participant, shown_gaps
from tests.analysis.conftest import levelled_instrument

INSTRUMENT = levelled_instrument({"alpha": 3, "beta": 2})
ITEMS = ["alpha_0", "alpha_1", "alpha_2", "beta_0", "beta_1"]
LEVELS = st.sampled_from(["1", "2", "3", "4"])


def _shown(value: float) -> str:
    return f"{value:.1f}"  # what the page's `num` filter prints


def _consistent(self_level: float, others: float, gap: float, flag, threshold: float) -> None:
    shown_gap = f"{gap:+.1f}"
    assert float(shown_gap) == round(float(_shown(self_level)) - float(_shown(others)), 1)
    if float(shown_gap) >= threshold:
        assert flag == "blind_spot"
    elif -float(shown_gap) >= threshold:
        assert flag == "hidden_strength"
    else:
        assert flag is None


def test_the_issue_examples():
    # "You 2.3, Others 1.9, Gap +0.5" (2.34 - 1.86) and "2.7 / 2.2 / +0.5" (flagged)
    assert compare_shown(2.34, 1.86, 0.5) == (0.4, None)
    assert compare_shown(2.7, 2.2, 0.5) == (0.5, "blind_spot")
    assert compare_shown(1.86, 2.34, 0.5) == (-0.4, None)
    assert compare_shown(None, 2.0, 0.5) == (None, None)


@given(st.floats(1, 4), st.floats(1, 4), st.sampled_from([0.3, 0.5, 0.75, 1.0]))
def test_any_two_figures_give_a_gap_that_adds_up(self_level, others, threshold):
    gap, flag = compare_shown(self_level, others, threshold)
    _consistent(self_level, others, gap, flag, threshold)


@given(
    st.lists(LEVELS, min_size=5, max_size=5),
    st.lists(st.lists(LEVELS, min_size=5, max_size=5), min_size=3, max_size=7),
)
def test_scored_reports_show_gaps_that_add_up(self_levels, peers):
    raters = [RaterAnswers("self", {i: [v] for i, v in zip(ITEMS, self_levels, strict=True)})]
    raters += [
        RaterAnswers("peer", {i: [v] for i, v in zip(ITEMS, levels, strict=True)})
        for levels in peers
    ]
    result = score_participant(INSTRUMENT, raters, k=3)
    for row in result["behaviours"].values():
        _consistent(row["self"], row["others"], row["gap"], row["flag"], 0.5)


def test_reports_frozen_with_an_unrounded_gap_are_shown_consistently():
    frozen = {
        "blind_spot_threshold": 0.5,
        "behaviours": {
            "alpha": {"self": 2.34, "others": 1.86, "gap": 0.48, "flag": None},
            "beta": {"self": 2.7, "others": 2.24, "gap": 0.46, "flag": None},
        },
    }
    shown = shown_gaps(frozen)["behaviours"]
    assert (shown["alpha"]["gap"], shown["alpha"]["flag"]) == (0.4, None)
    assert (shown["beta"]["gap"], shown["beta"]["flag"]) == (0.5, "blind_spot")
    assert frozen["behaviours"]["alpha"]["gap"] == 0.48  # the stored copy is left as it was
