"""Cohort views: normalised distributions, heat map, pseudonyms and the technical note."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest

from analysis.cohort import cohort_summary, pseudonyms
from analysis.report_charts import heat_map_chart
from analysis.scoring import RaterAnswers, score_participant
from tests.analysis.conftest import levelled_instrument

ITEMS = {
    "alpha": ["alpha_0", "alpha_1", "alpha_2"],
    "beta": ["beta_0", "beta_1"],
    "gamma": ["gamma_0"],
}


INSTRUMENT = levelled_instrument({bid: len(ids) for bid, ids in ITEMS.items()})


def peers(levels_per_rater: list[dict[str, int]]) -> list[RaterAnswers]:
    return [
        RaterAnswers(
            "peer",
            {i: [str(levels[bid])] for bid, ids in ITEMS.items() if bid in levels for i in ids},
        )
        for levels in levels_per_rater
    ]


def uniform(alpha: int, beta: int, gamma: int) -> list[RaterAnswers]:
    return peers([{"alpha": alpha, "beta": beta, "gamma": gamma}] * 3)


COHORT = {
    "p1": uniform(4, 4, 4),
    "p2": uniform(3, 2, 1),
    "p3": uniform(2, 1, 1),
    "p4": uniform(4, 3, 2),
}


def summary(cohort_raters, k=3, **kwargs):
    results = {pid: score_participant(INSTRUMENT, raters) for pid, raters in cohort_raters.items()}
    return cohort_summary(INSTRUMENT, results, k, **kwargs), results


def test_behaviours_are_compared_after_centring_each_participant():
    cohort, _ = summary(COHORT)
    alpha = cohort["behaviours"]["alpha"]
    assert alpha["raw"]["mean"] == pytest.approx((4 + 3 + 2 + 4) / 4)
    centred = [4 - 4, 3 - 2, 2 - 4 / 3, 4 - 3]
    assert alpha["normalised"]["mean"] == pytest.approx(sum(centred) / 4)
    assert cohort["strongest"] == ["alpha"] and cohort["weakest"] == ["gamma"]
    json.dumps(cohort)


def test_a_behaviour_with_fewer_than_k_participants_is_not_shown():
    partial = dict(COHORT)
    for pid in ("p2", "p3"):  # two raters only: their gamma cannot be published
        partial[pid] = COHORT[pid][:2] + peers([{"alpha": 1, "beta": 1}])
    cohort, results = summary(partial, k=3)
    assert results["p2"]["behaviours"]["gamma"]["others"] is None
    assert cohort["behaviours"]["gamma"]["participants"] == 2
    assert cohort["behaviours"]["gamma"]["shown"] is False
    assert cohort["behaviours"]["gamma"]["raw"] is None
    assert cohort["behaviours"]["alpha"]["shown"] is True


def test_heat_map_rows_are_each_participants_published_means():
    cohort, results = summary(COHORT)
    grid = cohort["heat_map"]
    assert grid["participants"] == ["p1", "p2", "p3", "p4"]
    assert grid["raw"][1] == [results["p2"]["behaviours"][b]["others"] for b in ITEMS]
    assert sum(grid["normalised"][1]) == pytest.approx(0)
    names = pseudonyms(grid["participants"], seed="cohort-7")
    figure, rows = heat_map_chart(cohort, names)
    figure_json = figure.to_json()
    assert all(f'"{pid}"' not in figure_json for pid in grid["participants"])
    assert {row["participant"] for row in rows} == set(names.values())


def test_pseudonyms_are_stable_per_seed_and_not_in_id_order():
    ids = [f"id{n:02d}" for n in range(30)]
    first = pseudonyms(ids, "seed-a")
    assert first == pseudonyms(list(reversed(ids)), "seed-a")
    assert set(first.values()) >= {"Participant A", "Participant Z", "Participant AA"}
    assert len(set(first.values())) == 30
    assert first != pseudonyms(ids, "seed-b")
    assert [first[i] for i in ids[:10]] != [f"Participant {c}" for c in "ABCDEFGHIJ"]


def varied_cohort(seed: int) -> dict[str, list[RaterAnswers]]:
    rng = np.random.default_rng(seed)
    cohort = {}
    for pid in range(6):
        tendency = rng.integers(1, 5)
        cohort[f"p{pid}"] = [
            RaterAnswers(
                "peer",
                {
                    i: [str(int(np.clip(tendency + rng.integers(-1, 2), 1, 4)))]
                    for ids in ITEMS.values()
                    for i in ids
                },
            )
            for _ in range(4)
        ]
        cohort[f"p{pid}"].append(RaterAnswers("self", {"alpha_0": ["4"]}))
    return cohort


@pytest.mark.parametrize("seed", range(4))
def test_technical_note_matches_reference_implementations(seed):
    raters = varied_cohort(seed)
    note = summary(raters, raters_by_participant=raters)[0]["technical_note"]["behaviours"]
    peer_rows = [
        (pid, n, r)
        for pid, rs in raters.items()
        for n, r in enumerate(x for x in rs if x.relationship != "self")
    ]
    levels = pd.DataFrame(
        [{i: float(r.answers[i][0]) for i in ITEMS["alpha"]} for _, _, r in peer_rows]
    )
    alpha_ref, _ = pingouin.cronbach_alpha(data=levels, nan_policy="listwise")
    assert note["alpha"]["cronbach"]["alpha"] == pytest.approx(alpha_ref, abs=1e-9)
    scores = pd.DataFrame(
        [(pid, n, levels.iloc[row].mean()) for row, (pid, n, _) in enumerate(peer_rows)],
        columns=["target", "rater", "score"],
    )
    icc = pingouin.intraclass_corr(scores, targets="target", raters="rater", ratings="score")
    by_type = dict(zip(icc["Type"], icc["ICC"], strict=True))
    assert note["alpha"]["icc"]["icc1"] == pytest.approx(by_type["ICC(1,1)"], abs=1e-9)
    assert note["alpha"]["icc"]["icc1k"] == pytest.approx(by_type["ICC(1,k)"], abs=1e-9)
    units = np.array(
        [
            [
                float(r.answers[i][0])
                for pid, rs in raters.items()
                for i in ITEMS["beta"]
                for r in [[x for x in rs if x.relationship != "self"][coder]]
            ]
            for coder in range(4)
        ]
    )
    expected = krippendorff.alpha(reliability_data=units, level_of_measurement="ordinal")
    assert note["beta"]["krippendorff_ordinal"] == pytest.approx(expected, abs=1e-9)
