"""Our numpy reliability statistics agree with pingouin, statsmodels and krippendorff to 1e-9."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm

from analysis.reliability import cronbach_alpha, icc_oneway, krippendorff_alpha_ordinal

SEEDS = range(8)


def with_none(matrix: np.ndarray) -> list[list[float | None]]:
    return [[None if np.isnan(v) else float(v) for v in row] for row in matrix]


def correlated_levels(rng, rows: int, columns: int) -> np.ndarray:
    """Levels 1-4 that share a per-row tendency, like one rater's answers on one behaviour."""
    tendency = rng.integers(1, 5, size=(rows, 1))
    return np.clip(tendency + rng.integers(-1, 2, size=(rows, columns)), 1, 4).astype(float)


@pytest.mark.parametrize("seed", SEEDS)
def test_cronbach_alpha_matches_pingouin_listwise(seed):
    rng = np.random.default_rng(seed)
    data = correlated_levels(rng, 40, 3)
    data[rng.random(data.shape) < 0.1] = np.nan
    expected, _ = pingouin.cronbach_alpha(data=pd.DataFrame(data), nan_policy="listwise")
    ours = cronbach_alpha(with_none(data))
    assert ours["alpha"] == pytest.approx(expected, abs=1e-9)
    assert ours["n"] == int((~np.isnan(data).any(axis=1)).sum())


def test_cronbach_alpha_is_undefined_without_enough_data():
    assert cronbach_alpha([[1, 2]])["alpha"] is None
    assert cronbach_alpha([[1], [2], [3]])["alpha"] is None
    assert cronbach_alpha([[2, 2], [2, 2], [2, 2]])["alpha"] is None


@pytest.mark.parametrize("seed", SEEDS)
def test_icc_matches_pingouin_on_balanced_groups(seed):
    rng = np.random.default_rng(seed)
    groups = [list(rng.integers(1, 5) + rng.integers(-1, 2, size=5)) for _ in range(9)]
    long = pd.DataFrame(
        [(t, r, float(v)) for t, g in enumerate(groups) for r, v in enumerate(g)],
        columns=["target", "rater", "level"],
    )
    table = pingouin.intraclass_corr(long, targets="target", raters="rater", ratings="level")
    by_type = dict(zip(table["Type"], table["ICC"], strict=True))
    ours = icc_oneway(groups)
    assert ours["icc1"] == pytest.approx(by_type["ICC(1,1)"], abs=1e-9)
    assert ours["icc1k"] == pytest.approx(by_type["ICC(1,k)"], abs=1e-9)
    assert ours["k_used"] == 5


@pytest.mark.parametrize("seed", SEEDS)
def test_icc_with_unequal_groups_uses_statsmodels_mean_squares_and_k0(seed):
    rng = np.random.default_rng(seed)
    groups = [
        list(rng.integers(1, 5) + rng.integers(-1, 2, size=rng.integers(2, 8))) for _ in range(7)
    ]
    long = pd.DataFrame(
        [(f"t{t}", float(v)) for t, g in enumerate(groups) for v in g], columns=["target", "level"]
    )
    anova = anova_lm(smf.ols("level ~ C(target)", data=long).fit())
    msb, msw = anova["mean_sq"].iloc[0], anova["mean_sq"].iloc[1]
    sizes = np.array([len(g) for g in groups])
    k0 = (sizes.sum() - (sizes**2).sum() / sizes.sum()) / (len(groups) - 1)
    ours = icc_oneway(groups)
    assert ours["k_used"] == pytest.approx(k0, abs=1e-12)
    assert ours["icc1"] == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw), abs=1e-9)
    assert ours["icc1k"] == pytest.approx((msb - msw) / msb, abs=1e-9)


def test_icc_needs_two_targets_and_some_spread():
    assert icc_oneway([[1, 2, 3]])["icc1"] is None
    assert icc_oneway([[2, 2], [2, 2]])["icc1"] is None


@pytest.mark.parametrize("seed", SEEDS)
def test_krippendorff_ordinal_matches_the_krippendorff_package(seed):
    rng = np.random.default_rng(seed)
    data = correlated_levels(rng, 30, 6).T  # 6 coders x 30 units
    data[rng.random(data.shape) < 0.35] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert krippendorff_alpha_ordinal(with_none(data)) == pytest.approx(expected, abs=1e-9)


def test_krippendorff_textbook_example():
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert krippendorff_alpha_ordinal(with_none(np.array(data))) == pytest.approx(
        expected, abs=1e-9
    )
    assert expected == pytest.approx(0.815, abs=5e-4)  # Krippendorff (2011), ordinal


def test_krippendorff_is_undefined_without_pairable_disagreement():
    assert krippendorff_alpha_ordinal([[1, 2, None], [None, None, 3]]) is None
    assert krippendorff_alpha_ordinal([[2, 2], [2, 2]]) is None
