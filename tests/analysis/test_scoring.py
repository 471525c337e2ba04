"""Levelled 360 scoring: groups, pooling, the half-the-items rule, gaps, distance and comments."""

from __future__ import annotations

import json

import pytest

from analysis.anonymity import comments_for_report
from analysis.report_charts import behaviour_chart, gap_chart, levelled_chart
from analysis.scoring import RaterAnswers, change_over_time, score_participant
from tests.analysis.conftest import levelled_instrument

NO = "not_observed"


INSTRUMENT = levelled_instrument({"alpha": 3, "beta": 2, "gamma": 1})
ITEMS = {
    "alpha": ["alpha_0", "alpha_1", "alpha_2"],
    "beta": ["beta_0", "beta_1"],
    "gamma": ["gamma_0"],
}


def rater(relationship: str, *values: str) -> RaterAnswers:
    """A rater giving `values` to alpha_0.., beta_0.., gamma_0 in order ('' = skipped)."""
    item_ids = [i for ids in ITEMS.values() for i in ids]
    pairs = zip(item_ids[: len(values)], values, strict=True)
    return RaterAnswers(relationship, {i: [v] for i, v in pairs if v})


def same(relationship: str, level: str) -> RaterAnswers:
    return rater(relationship, *[level] * 6)


def lopsided() -> list[RaterAnswers]:
    return [
        same("self", "3"),
        same("line_manager", "2"),
        same("partner", "1"),
        same("direct_report", "4"),
        same("direct_report", "3"),
        same("peer", "2"),
        same("peer", "3"),
        same("peer", "3"),
        same("peer", NO),
    ]


def test_lopsided_groups_are_pooled_and_the_report_says_so():
    result = score_participant(INSTRUMENT, lopsided(), "head_of_service")
    alpha = result["behaviours"]["alpha"]
    assert set(alpha["groups"]) == {"line_manager", "peer", "pooled"}
    pooled = alpha["groups"]["pooled"]
    assert pooled["label"] == "Other raters"
    assert sorted(pooled["relationships"]) == ["direct_report", "partner"]
    assert pooled["n"] == 3 and pooled["mean"] == pytest.approx((1 + 4 + 3) / 3)
    assert alpha["groups"]["peer"]["n"] == 3  # the all-"not observed" peer is not a score
    assert alpha["groups"]["peer"]["mean"] == pytest.approx(8 / 3)
    assert alpha["groups"]["peer"]["not_observed_rate"] == pytest.approx(3 / 12)
    assert alpha["others_n"] == 7
    assert alpha["others"] == pytest.approx((2 + 1 + 4 + 3 + 2 + 3 + 3) / 7)
    notes = [p for p in result["pooled"] if p["behaviour"] == "alpha" and p["item"] is None]
    assert sorted(notes[0]["groups"]) == ["direct_report", "partner"]
    assert "fewer than 3" in notes[0]["reason"]
    assert result["response_counts"]["peer"] == 4 and result["response_counts"]["partner"] == 1
    json.dumps(result)  # plain data all the way down


def test_small_pool_is_folded_into_the_smallest_published_group():
    raters = [
        same("line_manager", "2"),
        same("peer", "2"),
        same("peer", "3"),
        same("peer", "3"),
        same("direct_report", "4"),
        same("direct_report", "4"),
        same("direct_report", "4"),
        same("direct_report", "4"),
        same("partner", "1"),
    ]
    groups = score_participant(INSTRUMENT, raters)["behaviours"]["gamma"]["groups"]
    assert set(groups) == {"line_manager", "peer_and_others", "direct_report"}
    assert groups["peer_and_others"]["label"] == "Peer and other raters"
    assert groups["peer_and_others"]["n"] == 4
    assert groups["peer_and_others"]["mean"] == pytest.approx((2 + 3 + 3 + 1) / 4)


def test_pool_is_suppressed_when_only_the_line_manager_is_published():
    raters = [same("self", "3"), same("line_manager", "2"), same("peer", "4"), same("partner", "4")]
    result = score_participant(INSTRUMENT, raters)
    for behaviour in result["behaviours"].values():
        assert set(behaviour["groups"]) == {"line_manager"}
        assert behaviour["others"] == 2 and behaviour["others_n"] == 1
    for item in result["items"].values():
        assert item["others"] == 2 and item["others_n"] == 1
    reasons = [p["reason"] for p in result["pooled"] if p["item"] is None]
    assert len(reasons) == 3 and all("left out of every figure" in r for r in reasons)


def test_a_rater_counts_only_when_they_rated_at_least_half_the_items():
    raters = [
        same("peer", "2"),
        same("peer", "2"),
        same("peer", "2"),
        rater("peer", "4", NO, NO, "4", NO, NO),  # 1 of 3 alpha items, 1 of 2 beta items
        rater("peer", "4", "4", NO, "", "", ""),
    ]  # 2 of 3 alpha items, no beta item
    behaviours = score_participant(INSTRUMENT, raters)["behaviours"]
    assert behaviours["alpha"]["groups"]["peer"]["n"] == 4
    assert behaviours["alpha"]["others"] == pytest.approx((2 * 3 + 4) / 4)
    assert behaviours["beta"]["groups"]["peer"]["n"] == 4
    assert behaviours["beta"]["others"] == pytest.approx((2 * 3 + 4) / 4)
    assert behaviours["gamma"]["groups"]["peer"]["n"] == 3


def test_not_observed_is_never_a_zero_and_its_rate_is_reported():
    raters = [rater("peer", "4", NO, "4"), rater("peer", "4", "4", NO), rater("peer", NO, "4", "4")]
    alpha = score_participant(INSTRUMENT, raters)["behaviours"]["alpha"]
    assert alpha["others"] == 4 and alpha["groups"]["peer"]["mean"] == 4
    assert alpha["groups"]["peer"]["not_observed_rate"] == pytest.approx(3 / 9)


def test_no_group_figure_is_one_raters_rating_and_sd_needs_k_plus_two():
    levels = ["1", "2", "3", "4", "4"]
    for n in (3, 4, 5):
        raters = [same("peer", level) for level in levels[:n]]
        result = score_participant(INSTRUMENT, raters, k=3)
        for row in [*result["behaviours"].values(), *result["items"].values()]:
            for stats in [*row["groups"].values(), row["others_stats"]]:
                assert "min" not in stats and "max" not in stats
                assert (stats["sd"] is None) == (stats["n"] < 5)


@pytest.mark.parametrize(
    ("self_level", "other_levels", "threshold", "flag"),
    [
        ("3", ["2", "3", "2", "3"], 0.5, "blind_spot"),  # gap exactly +0.5
        ("3", ["2", "3", "3", "2", "3"], 0.5, None),  # gap +0.4
        ("2", ["2", "3", "2", "3"], 0.5, "hidden_strength"),  # gap exactly -0.5
        ("3", ["2", "3", "2", "3"], 0.75, None),  # same gap, stricter threshold
        ("4", ["2", "3", "2", "3"], 0.75, "blind_spot"),
    ],
)
def test_blind_spots_and_hidden_strengths_at_the_threshold(
    self_level, other_levels, threshold, flag
):
    raters = [same("self", self_level)] + [same("peer", level) for level in other_levels]
    gamma = score_participant(INSTRUMENT, raters, blind_spot_threshold=threshold)
    gamma = gamma["behaviours"]["gamma"]
    others = sum(int(level) for level in other_levels) / len(other_levels)
    assert gamma["gap"] == pytest.approx(int(self_level) - others)
    assert gamma["flag"] == flag


def test_distance_to_travel_is_floored_at_zero_and_readiness_counts_behaviours():
    raters = [
        same("peer", "2"),
        same("peer", "3"),
        same("peer", "3"),
        rater("line_manager", "4", "4", "4", "1", "1", "2"),
    ]
    director = score_participant(INSTRUMENT, raters, "director")
    assert director["behaviours"]["alpha"]["distance"] == pytest.approx(4 - (2 + 3 + 3 + 4) / 4)
    team = score_participant(INSTRUMENT, raters, "team_manager")
    assert all(b["distance"] == 0 for b in team["behaviours"].values())
    assert team["readiness"]["at_or_above_target"] == 3
    head = score_participant(INSTRUMENT, raters, "assistant_director")["readiness"]
    assert head["at_or_above_target"] == 1  # alpha's others' mean (2+3+3+4)/4 is exactly 3
    assert "Assistant director" in head["summary"] and "1 of 3" in head["summary"]
    assert score_participant(INSTRUMENT, raters)["readiness"]["target"] is None
    with pytest.raises(ValueError, match="unknown aspired role"):
        score_participant(INSTRUMENT, raters, "chief_executive")


def test_highest_and_lowest_items_use_published_items_only():
    raters = [rater("peer", "4", "3", "2", "1", "2", "4") for _ in range(2)]
    raters.append(rater("peer", "4", "3", "2", "1", "2", NO))  # gamma: 2 peers, not published
    result = score_participant(INSTRUMENT, raters)
    assert result["items"]["gamma_0"]["others"] is None
    assert [row["item"] for row in result["highest_items"]] == ["alpha_0", "alpha_1"]
    assert [row["item"] for row in result["lowest_items"]] == ["beta_0", "beta_1"]
    assert result["highest_items"][0]["others"] == 4


def test_item_figures_that_would_expose_a_rater_who_skipped_items_are_withheld():
    raters = [rater("peer", "3", "3", "3") for _ in range(4)] + [rater("peer", "1", "1", NO)]
    result = score_participant(INSTRUMENT, raters)
    assert result["behaviours"]["alpha"]["groups"]["peer"]["n"] == 5
    assert result["items"]["alpha_0"]["groups"]["peer"]["n"] == 5
    assert "peer" not in result["items"]["alpha_2"]["groups"]
    withheld = [p for p in result["pooled"] if p["item"] == "alpha_2"]
    assert withheld and "withheld" in withheld[0]["reason"]


def test_change_over_time_only_where_both_reports_published_others():
    before = score_participant(INSTRUMENT, [same("peer", "2")] * 3)
    after = score_participant(INSTRUMENT, [same("peer", "3")] * 3)
    after["behaviours"]["beta"]["others"] = None
    change = change_over_time(before, after)
    assert set(change) == {"alpha", "gamma"}
    assert change["alpha"]["change"] == pytest.approx(1.0)


def test_comments_are_unattributed_shuffled_and_withheld_below_k():
    comments = [("peer", "q1", f"peer comment {n}") for n in range(6)]
    comments += [("self", "q1", "my own view"), ("line_manager", "q1", "manager view")]
    counts = {"self": 1, "line_manager": 1, "peer": 6}
    shown = comments_for_report(comments, counts, seed="report-1")["q1"]
    assert shown["self"] == ["my own view"]
    assert sorted(shown["raters"]) == sorted(
        [f"peer comment {n}" for n in range(6)] + ["manager view"]
    )
    assert comments_for_report(list(reversed(comments)), counts, "report-1")["q1"] == shown
    orders = {
        tuple(comments_for_report(comments, counts, f"r{n}")["q1"]["raters"]) for n in range(5)
    }
    assert len(orders) > 1
    attributed = comments_for_report(comments, counts, "report-1", attributed=["line_manager"])
    assert attributed["q1"]["line_manager"] == ["manager view"]
    few = comments_for_report(
        [("partner", "q1", "hm"), ("self", "q1", "me")], {"self": 1, "partner": 1}, "report-1"
    )["q1"]
    assert few["raters"] == [] and few["withheld"] == 1 and few["self"] == ["me"]


def test_charts_never_carry_a_suppressed_groups_numbers():
    base = lopsided()[:2]  # self and line manager: a lone partner cannot be pooled or folded
    with_partner = score_participant(INSTRUMENT, base + [same("partner", "1")], "director")
    without = score_participant(INSTRUMENT, base, "director")
    for chart in (levelled_chart, gap_chart):
        assert json.dumps(chart(with_partner)[0]) == json.dumps(chart(without)[0])
    figure, rows = behaviour_chart(with_partner, "alpha")
    assert json.dumps(figure) == json.dumps(behaviour_chart(without, "alpha")[0])
    assert [row["group"] for row in rows] == ["Self", "Line manager", "All raters except self"]
    table = levelled_chart(with_partner)[1]
    assert table[0]["others"] == with_partner["behaviours"]["alpha"]["others"]
    assert table[0]["target"] == 4


def test_responses_stored_as_pooled_are_never_published_as_their_own_group():
    from analysis.anonymity import partition

    labels = {"peer": "Peer", "pooled": "Other raters"}
    blocks, notes = partition(
        {"peer": 3, "pooled": 4}, ["peer", "pooled"], labels, {"line_manager"}, k=3
    )
    assert [(b.label, b.relationships) for b in blocks] == [
        ("Peer", ("peer",)),
        ("Other raters", ("pooled",)),
    ]
    blocks, _ = partition(
        {"peer": 3, "pooled": 1}, ["peer", "pooled"], labels, {"line_manager"}, k=3
    )
    assert [b.relationships for b in blocks] == [("peer", "pooled")]
