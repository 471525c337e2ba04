"""Reliability statistics for the commissioners' technical note, written with numpy only.

- Cronbach's alpha: rows are responses, columns items; rows with any missing value are dropped
  (listwise), variances use ddof=1 (as pingouin does with nan_policy="listwise").
- ICC(1) and ICC(1,k): one-way random-effects ANOVA with targets as groups. With unequal group
  sizes the "k" is the ANOVA's adjusted mean group size k0 = (N - sum(n_i^2) / N) / (a - 1)
  (Snedecor & Cochran; equal to k when balanced), ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW)
  and ICC(1,k) = (MSB - MSW) / MSB, the Spearman-Brown reliability of a mean of k0 ratings.
- Krippendorff's alpha, ordinal metric, missing values allowed: coders x units data as in the
  `krippendorff` package; units with fewer than two values carry no pairable information.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .results import Cronbach, Icc


def _as_float_matrix(rows: Sequence[Sequence[float | None]]) -> npt.NDArray[np.float64]:
    return np.array([[np.nan if v is None else float(v) for v in row] for row in rows], dtype=float)


def cronbach_alpha(matrix: Sequence[Sequence[float | None]]) -> Cronbach:
    """Cronbach's alpha over complete rows: {"alpha", "n", "items"} (alpha None if undefined)."""
    data = _as_float_matrix(matrix)
    if data.size == 0:
        return {"alpha": None, "n": 0, "items": 0}
    complete = data[~np.isnan(data).any(axis=1)]
    n, items = complete.shape
    if n < 2 or items < 2:
        return {"alpha": None, "n": int(n), "items": int(items)}
    total_variance = complete.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return {"alpha": None, "n": int(n), "items": int(items)}
    item_variance = complete.var(axis=0, ddof=1).sum()
    alpha = items / (items - 1) * (1 - item_variance / total_variance)
    return {"alpha": float(alpha), "n": int(n), "items": int(items)}


def icc_oneway(groups: Sequence[Sequence[float]]) -> Icc:
    """ICC(1) and ICC(1,k) from one-way ANOVA; groups are each target's ratings."""
    arrays = [np.asarray(g, dtype=float) for g in groups if len(g) > 0]
    sizes = np.array([len(g) for g in arrays], dtype=float)
    targets, total = len(arrays), sizes.sum()
    empty: Icc = {
        "icc1": None,
        "icc1k": None,
        "k_used": None,
        "targets": targets,
        "ratings": int(total),
    }
    if targets < 2 or total - targets < 1:
        return empty
    grand = np.concatenate(arrays).mean()
    between = sum(n * (g.mean() - grand) ** 2 for n, g in zip(sizes, arrays, strict=True))
    within = sum(((g - g.mean()) ** 2).sum() for g in arrays)
    msb = between / (targets - 1)
    msw = within / (total - targets)
    k0 = (total - (sizes**2).sum() / total) / (targets - 1)
    if msb == 0:
        return {**empty, "k_used": float(k0)}
    return {
        "icc1": float((msb - msw) / (msb + (k0 - 1) * msw)),
        "icc1k": float((msb - msw) / msb),
        "k_used": float(k0),
        "targets": targets,
        "ratings": int(total),
        "msb": float(msb),
        "msw": float(msw),
    }


def krippendorff_alpha_ordinal(reliability_data: Sequence[Sequence[float | None]]) -> float | None:
    """Krippendorff's alpha (ordinal) for coders x units data; None marks a missing value."""
    data = _as_float_matrix(reliability_data)
    if data.size == 0:
        return None
    values = np.unique(data[~np.isnan(data)])
    if len(values) < 2:
        return None
    # counts[u, v]: how many coders gave value v to unit u
    counts = (data.T[..., None] == values[None, None, :]).sum(axis=1).astype(float)
    pairable = counts.sum(axis=1)
    counts = counts[pairable >= 2]
    if not len(counts):
        return None
    per_unit = counts[:, :, None] * counts[:, None, :]
    per_unit -= counts[:, :, None] * np.eye(len(values))[None]
    observed = (per_unit / (counts.sum(axis=1) - 1)[:, None, None]).sum(axis=0)
    marginals = observed.sum(axis=0)
    expected = (np.outer(marginals, marginals) - np.diag(marginals)) / (marginals.sum() - 1)
    distance = _ordinal_distances(marginals)
    disagreement = (expected * distance).sum()
    return None if disagreement == 0 else float(1 - (observed * distance).sum() / disagreement)


def _ordinal_distances(marginals: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """d(c, k) = (sum of n_g for g from c to k - (n_c + n_k) / 2) squared."""
    cumulative = np.concatenate([[0.0], np.cumsum(marginals)])
    low = np.minimum.outer(np.arange(len(marginals)), np.arange(len(marginals)))
    high = np.maximum.outer(np.arange(len(marginals)), np.arange(len(marginals)))
    between = cumulative[high + 1] - cumulative[low]
    distances: npt.NDArray[np.float64] = (between - (marginals[low] + marginals[high]) / 2) ** 2
    return distances
