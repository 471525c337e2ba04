"""Proportions with Wilson intervals, and group splits with small cells suppressed."""

from __future__ import annotations

import math
from collections.abc import Sequence


def wilson(count: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95% interval for count/total, as proportions (0, 0 when total is 0)."""
    if total <= 0:
        return (0.0, 0.0)
    proportion = count / total
    denominator = 1 + z * z / total
    centre = (proportion + z * z / (2 * total)) / denominator
    half_width = (
        z
        * math.sqrt(proportion * (1 - proportion) / total + z * z / (4 * total * total))
        / denominator
    )
    return (max(0.0, centre - half_width), min(1.0, centre + half_width))


def percent(count: int, total: int) -> float:
    """count as a percentage of total, one decimal place (0 when total is 0)."""
    return round(100 * count / total, 1) if total else 0.0


Cell = dict[str, int | float | bool | None]  # one group's figures for one theme


def group_split(
    rows: Sequence[int], groups: Sequence[str | None], answered: Sequence[int], threshold: int
) -> dict[str, Cell]:
    """Per group: commenters, theme count and %; cells below the threshold suppressed."""
    base: dict[str, int] = {}
    for row in answered:
        label = _label(groups[row])
        base[label] = base.get(label, 0) + 1
    counts = dict.fromkeys(base, 0)
    for row in rows:
        counts[_label(groups[row])] += 1
    hidden = {label for label in base if base[label] < threshold or 0 < counts[label] < threshold}
    shown = sorted((counts[label], label) for label in base if label not in hidden)
    # One hidden cell could be recovered as the theme total minus the others: hide one more.
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    split: dict[str, Cell] = {}
    for label in sorted(base):
        if label in hidden:
            split[label] = {
                "n": base[label] if base[label] >= threshold else None,
                "count": None,
                "percent": None,
                "suppressed": True,
            }
        else:
            split[label] = {
                "n": base[label],
                "count": counts[label],
                "percent": percent(counts[label], base[label]),
                "suppressed": False,
            }
    return split


def _label(value: str | None) -> str:
    return str(value).strip() if value is not None and str(value).strip() else "(not given)"
