"""Cross-tabulations of two closed questions with small-cell and complementary suppression."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from instruments import Instrument, Item, type_of

from .survey_results import Crosstab
from .tallies import Response, applies, chosen

# A table's figures are keyed by (row, column), '*' for a margin; a line is (the keys of its
# parts, the key of their total or None).
Key = tuple[str, str]
Line = tuple[list[Key], Key | None]

SUPPRESSED = "suppressed"


def suppression_note(k: int) -> str:
    """The sentence shown under any table with hidden figures."""
    return (
        f"Figures for fewer than {k} people are hidden, and so is at least one other figure in "
        "the same row or column, so that no hidden figure can be worked out from the totals."
    )


def protect(
    values: Mapping[Key, int],
    lines: Iterable[tuple[Sequence[Key], Key | None]],
    sensitive: Iterable[Key],
    k: int,
    keep: Iterable[Key] = (),
    start: Iterable[Key] = (),
) -> set[Key]:
    """Keys to hide: sensitive counts of 1..k-1, then complements until none can be worked out.

    `start` are keys hidden whatever their value: every figure of a group of fewer than k
    people, zeros included, since a visible zero beside a hidden cell reads as "chose that".

    A line is (parts, total) where the parts add up to the total; `keep` are figures published
    elsewhere anyway (one-way tallies), never hidden. First, if exactly one entry of a line is
    hidden it could be recovered by subtraction, so another is hidden too: the smallest visible
    non-zero part (it hides the most for the least), else the total, else a zero part. Then an
    audit solves the published figures as linear programmes (hidden counts >= 0): a hidden entry
    whose smallest and largest possible values coincide is exposed, so one more entry of its lines
    is hidden, and both steps repeat until nothing hidden can be pinned down or nothing is left to
    hide (callers check `small_cells_exposed` and withhold the table then).
    Zeros are never hidden for being small: a zero is no one.
    """
    listed: list[Line] = [(list(parts), total) for parts, total in lines]
    kept = set(keep)
    hidden = {key for key in sensitive if 0 < values[key] < k} | set(start)
    while True:
        _one_per_line(values, listed, hidden, kept)
        picks: list[Key] = []
        for key in exposed(values, listed, hidden):
            around = [line for line in listed if key in line[0] or key == line[1]]
            picks = [
                pick
                for parts, total in around
                if (pick := _complement(values, parts, total, hidden, kept)) is not None
            ]
            if picks:
                break
        if not picks:
            return hidden
        hidden.add(min(picks, key=lambda key: (values[key] == 0, values[key], str(key))))


def small_cells_exposed(
    values: Mapping[Key, int],
    lines: Iterable[tuple[Sequence[Key], Key | None]],
    sensitive: Iterable[Key],
    hidden: set[Key],
    k: int,
    start: Iterable[Key] = (),
) -> bool:
    """True when a count of 1..k-1 (or a `start` key) can be worked out from what is published."""
    small = {key for key in sensitive if 0 < values[key] < k} | set(start)
    listed: list[Line] = [(list(parts), total) for parts, total in lines]
    return bool(small & set(exposed(values, listed, hidden)))


def _one_per_line(
    values: Mapping[Key, int], lines: list[Line], hidden: set[Key], keep: set[Key]
) -> None:
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            members = parts + ([total] if total is not None else [])
            if sum(1 for key in members if key in hidden) != 1:
                continue
            pick = _complement(values, parts, total, hidden, keep)
            if pick is not None:
                hidden.add(pick)
                changed = True


def _complement(
    values: Mapping[Key, int], parts: list[Key], total: Key | None, hidden: set[Key], keep: set[Key]
) -> Key | None:
    visible = [
        (values[key], index, key)
        for index, key in enumerate(parts)
        if key not in hidden and key not in keep
    ]
    non_zero = [entry for entry in visible if entry[0] > 0]
    if non_zero:
        return min(non_zero)[2]
    if total is not None and total not in hidden and total not in keep:
        return total  # a hidden zero is often pinned by its other line, so the total hides more
    return min(visible)[2] if visible else None


def exposed(values: Mapping[Key, int], lines: list[Line], hidden: set[Key]) -> list[Key]:
    """Hidden keys whose value the published figures fix exactly (checked by linear programming)."""
    keys = sorted(hidden, key=str)
    column = {key: index for index, key in enumerate(keys)}
    equations: list[npt.NDArray[np.float64]] = []
    constants: list[float] = []
    for parts, total in lines:
        if total is None:
            continue
        row, constant = np.zeros(len(keys)), 0.0
        for key, sign in [(part, 1) for part in parts] + [(total, -1)]:
            if key in column:
                row[column[key]] += sign
            else:
                constant -= sign * values[key]
        if row.any():
            equations.append(row)
            constants.append(constant)
    if not equations:
        return []
    from scipy.optimize import linprog  # scipy loads in a second: only when a table is checked

    pinned: list[Key] = []
    for key in keys:
        objective = np.zeros(len(keys))
        objective[column[key]] = 1
        low = linprog(objective, A_eq=equations, b_eq=constants, bounds=(0, None))
        high = linprog(-objective, A_eq=equations, b_eq=constants, bounds=(0, None))
        if low.success and high.success and -high.fun - low.fun < 0.5:
            pinned.append(key)
    return pinned


def grid_lines(rows: list[str], cols: list[str]) -> list[Line]:
    """Lines of a rows × cols table whose margins are keyed with '*'."""
    lines: list[Line] = [([(r, c) for c in cols], (r, "*")) for r in rows]
    lines += [([(r, c) for r in rows], ("*", c)) for c in cols]
    lines += [([(r, "*") for r in rows], ("*", "*")), ([("*", c) for c in cols], ("*", "*"))]
    return lines


def add_totals(values: dict[Key, int], rows: list[str], cols: list[str]) -> None:
    """Add row ("*" column), column ("*" row) and grand totals to a grid of counts."""
    for r in rows:
        values[(r, "*")] = sum(values[(r, c)] for c in cols)
    for c in cols:
        values[("*", c)] = sum(values[(r, c)] for r in rows)
    values[("*", "*")] = sum(values[(r, "*")] for r in rows)


def small_groups(values: Mapping[Key, int], rows: list[str], cols: list[str], k: int) -> set[Key]:
    """Every cell of a row or column whose total is 1..k-1.

    A row of one person with one hidden cell and visible zeros says which option they chose (or
    narrows it to two), so every cell of such a row is hidden, zeros included. Its total stays:
    it is the one-way tally the question's own findings publish anyway.
    """
    start: set[Key] = set()
    for r in rows:
        if 0 < values[(r, "*")] < k:
            start |= {(r, c) for c in cols}
    for c in cols:
        if 0 < values[("*", c)] < k:
            start |= {(r, c) for r in rows}
    # A cell in a row or column of no one is zero for all to see: hiding it protects nobody.
    return {(r, c) for r, c in start if values[(r, "*")] and values[("*", c)]}


def protect_grid(
    values: Mapping[Key, int], rows: list[str], cols: list[str], k: int
) -> tuple[set[Key], bool]:
    """(keys to hide, whether the table must be withheld) for a table with '*' margins.

    Margins are one-way counts that survey tallies publish anyway, so only cells are hidden:
    small cells, every cell of a row or column of fewer than k people (`small_groups`), and
    complements. When even that cannot
    stop a small cell being worked out from the margins, every figure but the grand total is
    withheld.
    """
    lines = grid_lines(rows, cols)
    cells = [(r, c) for r in rows for c in cols]
    start = small_groups(values, rows, cols, k)
    margins = [key for key in values if "*" in key and key not in start]
    hidden = protect(values, lines, cells, k, keep=margins, start=start)
    if small_cells_exposed(values, lines, cells, hidden, k, start):
        return set(values) - {("*", "*")}, True
    return hidden, False


def withheld_note(k: int) -> str:
    """The sentence shown instead of a table too small to publish safely."""
    return (
        f"Too few people answered to show this table without revealing a group of fewer "
        f"than {k}; only the total is shown."
    )


def _single_answers(
    instrument: Instrument, item_id: str, responses: list[Response]
) -> tuple[Item, list[str | None]]:
    item = instrument.item(item_id)
    if not type_of(item).crosstabs:
        raise ValueError(
            f"'{item_id}' is a {item.type} question; cross-tabulate questions that "
            "take one answer (single choice or rating scale)"
        )
    answers: list[str | None] = []
    for response in responses:
        codes = chosen(item, response) if applies(instrument, item, response) else []
        answers.append(codes[0] if codes else None)
    return item, answers


def crosstab(
    instrument: Instrument, responses: list[Response], row_item: str, col_item: str, k: int
) -> Crosstab:
    """Counts of row × column answers among those who answered both, small cells suppressed.

    Rule: every cell with 1..k-1 people is hidden (value None, flag "suppressed"); then any row or
    column left with exactly one hidden cell has its smallest visible non-zero cell hidden too
    (else a zero), repeated until stable; then a linear-programming audit hides more until no
    hidden cell's value is fixed by the published figures (see `protect`). Every hidden cell
    carries the same flag, so readers cannot tell which was the small one. Zeros and the totals
    are shown (the totals are one-way tallies, published anyway); if the totals alone would give
    a small cell away, the whole table is withheld except the grand total. Totals count the
    respondents who answered both questions.
    """
    row, row_answers = _single_answers(instrument, row_item, responses)
    col, col_answers = _single_answers(instrument, col_item, responses)
    rows = [o.code for o in row.options]
    cols = [o.code for o in col.options]
    values: dict[Key, int] = {(r, c): 0 for r in rows for c in cols}
    for r, c in zip(row_answers, col_answers, strict=True):
        if r is not None and c is not None:
            values[(r, c)] += 1
    add_totals(values, rows, cols)
    hidden, withheld = protect_grid(values, rows, cols, k)

    def shown(key: Key) -> int | None:
        return None if key in hidden else values[key]

    return {
        "row_item": row_item,
        "col_item": col_item,
        "threshold": k,
        "rows": [row.option_label(r) for r in rows],
        "columns": [col.option_label(c) for c in cols],
        "cells": {
            row.option_label(r): {col.option_label(c): shown((r, c)) for c in cols} for r in rows
        },
        "flags": {
            row.option_label(r): {col.option_label(c): SUPPRESSED for c in cols if (r, c) in hidden}
            for r in rows
        },
        "row_totals": {row.option_label(r): shown((r, "*")) for r in rows},
        "column_totals": {col.option_label(c): shown(("*", c)) for c in cols},
        "total": shown(("*", "*")),
        "excluded": sum(
            1 for r, c in zip(row_answers, col_answers, strict=True) if r is None or c is None
        ),
        "suppressed": len(hidden),
        "withheld": withheld,
        "note": withheld_note(k) if withheld else suppression_note(k) if hidden else "",
    }


def declared_crosstabs(instrument: Instrument, responses: list[Response], k: int) -> list[Crosstab]:
    """Every cross-tabulation the instrument declares under `crosstabs:`."""
    return [crosstab(instrument, responses, r, c, k) for r, c in instrument.crosstabs]
