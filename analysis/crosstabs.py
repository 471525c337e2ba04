"""Cross-tabulations of two closed questions with small-cell and complementary suppression."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from instruments import Instrument

from .tallies import Response, applies, chosen

SUPPRESSED = "suppressed"


def suppression_note(k: int) -> str:
    """The sentence shown under any table with hidden figures."""
    return (f"Figures for fewer than {k} people are hidden, and so is at least one other figure in "
            "the same row or column, so that no hidden figure can be worked out from the totals.")


def protect(values: Mapping[Hashable, int], lines: Iterable[tuple[list, Hashable | None]],
            sensitive: Iterable[Hashable], k: int) -> set:
    """Keys to hide: sensitive counts of 1..k-1, then complements so no line has one hidden entry.

    A line is (parts, total) where the parts add up to the total. If exactly one entry of a line is
    hidden it could be recovered by subtraction, so another is hidden too: the smallest visible
    non-zero part (it hides the most for the least), else a zero part, else the line's total.
    Repeats until every line has no hidden entry or at least two. Zeros are never hidden for being
    small: a zero is no one.
    """
    lines = [(list(parts), total) for parts, total in lines]
    hidden = {key for key in sensitive if 0 < values[key] < k}
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            members = parts + ([total] if total is not None else [])
            if sum(1 for key in members if key in hidden) != 1:
                continue
            pick = _complement(values, parts, total, hidden)
            if pick is not None:
                hidden.add(pick)
                changed = True
    return hidden


def _complement(values, parts, total, hidden):
    visible = [(values[key], index, key) for index, key in enumerate(parts) if key not in hidden]
    non_zero = [entry for entry in visible if entry[0] > 0]
    if non_zero:
        return min(non_zero)[2]
    if visible:
        return min(visible)[2]
    return total if total is not None and total not in hidden else None


def _single_answers(instrument: Instrument, item_id: str, responses: list[Response]):
    item = instrument.item(item_id)
    if item.type not in ("single_choice", "rating_scale"):
        raise ValueError(f"'{item_id}' is a {item.type} question; cross-tabulate questions that "
                         "take one answer (single choice or rating scale)")
    answers = []
    for response in responses:
        codes = chosen(item, response) if applies(instrument, item, response) else []
        answers.append(codes[0] if codes else None)
    return item, answers


def crosstab(instrument: Instrument, responses: list[Response], row_item: str, col_item: str,
             k: int) -> dict[str, Any]:
    """Counts of row × column answers among those who answered both, small cells suppressed.

    Rule: every cell with 1..k-1 people is hidden (value None, flag "suppressed"); then any row or
    column (including the row of column totals and the column of row totals) left with exactly one
    hidden entry has its smallest visible non-zero cell hidden too (else a zero, else its total),
    repeated until stable, so no hidden cell can be recovered by subtracting published figures.
    Every hidden entry carries the same flag, so readers cannot tell which was the small one.
    Zeros are shown. Totals are counted over respondents who answered both questions.
    """
    row, row_answers = _single_answers(instrument, row_item, responses)
    col, col_answers = _single_answers(instrument, col_item, responses)
    rows = [o.code for o in row.options]
    cols = [o.code for o in col.options]
    values: dict[Any, int] = {(r, c): 0 for r in rows for c in cols}
    for r, c in zip(row_answers, col_answers, strict=True):
        if r is not None and c is not None:
            values[(r, c)] += 1
    for r in rows:
        values[(r, "*")] = sum(values[(r, c)] for c in cols)
    for c in cols:
        values[("*", c)] = sum(values[(r, c)] for r in rows)
    values[("*", "*")] = sum(values[(r, "*")] for r in rows)
    lines = [([(r, c) for c in cols], (r, "*")) for r in rows]
    lines += [([(r, c) for r in rows], ("*", c)) for c in cols]
    lines += [([(r, "*") for r in rows], ("*", "*")), ([("*", c) for c in cols], ("*", "*"))]
    hidden = protect(values, lines, [(r, c) for r in rows for c in cols], k)

    def shown(key):
        return None if key in hidden else values[key]

    return {
        "row_item": row_item, "col_item": col_item, "threshold": k,
        "rows": [row.option_label(r) for r in rows],
        "columns": [col.option_label(c) for c in cols],
        "cells": {row.option_label(r): {col.option_label(c): shown((r, c)) for c in cols}
                  for r in rows},
        "flags": {row.option_label(r): {col.option_label(c): SUPPRESSED for c in cols
                                        if (r, c) in hidden} for r in rows},
        "row_totals": {row.option_label(r): shown((r, "*")) for r in rows},
        "column_totals": {col.option_label(c): shown(("*", c)) for c in cols},
        "total": shown(("*", "*")),
        "excluded": sum(1 for r, c in zip(row_answers, col_answers, strict=True)
                        if r is None or c is None),
        "suppressed": len(hidden),
        "note": suppression_note(k) if hidden else "",
    }


def declared_crosstabs(instrument: Instrument, responses: list[Response], k: int) -> list[dict]:
    """Every cross-tabulation the instrument declares under `crosstabs:`."""
    return [crosstab(instrument, responses, r, c, k) for r, c in instrument.crosstabs]
