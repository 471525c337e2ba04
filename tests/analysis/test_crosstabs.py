"""Cross-tabulations: small cells hidden, and no hidden cell recoverable from what is shown."""

import itertools

import pytest

from analysis.crosstabs import SUPPRESSED, crosstab, declared_crosstabs, protect
from analysis.survey_charts import crosstab_table
from instruments import parse_instrument

from .test_tallies import load_seslip


def two_way(rows, cols):
    return parse_instrument(
        {
            "key": "two_way",
            "version": 1,
            "title": "Two way",
            "kind": "survey",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "items": [
                        {"id": "row", "type": "single_choice", "prompt": "Row?", "options": rows},
                        {"id": "col", "type": "single_choice", "prompt": "Col?", "options": cols},
                        {
                            "id": "many",
                            "type": "multiple_choice",
                            "prompt": "Many?",
                            "options": cols,
                        },
                    ],
                }
            ],
        }
    )


def responses_for(grid):
    """Responses producing `grid` ({(row, col): n}) of counts."""
    return [{"row": [r], "col": [c]} for (r, c), n in grid.items() for _ in range(n)]


def compositions(total, parts):
    """Every way of writing `total` as `parts` non-negative whole numbers."""
    if parts == 0:
        return [()] if total == 0 else []
    return [
        (first, *rest)
        for first in range(total + 1)
        for rest in compositions(total - first, parts - 1)
    ]


def feasible_values(table):
    """For each hidden cell, every value consistent with all published cells and totals.

    A hidden row or column total (a group of fewer than k) may be anything from 1 to k - 1.
    """
    rows, cols, cells = table["rows"], table["columns"], table["cells"]
    k = table["threshold"]
    hidden = {r: [c for c in cols if cells[r][c] is None] for r in rows}
    choices = []
    for r in rows:
        visible = sum(v for v in cells[r].values() if v is not None)
        total = table["row_totals"][r]
        totals = [total] if total is not None else range(visible + 1, visible + k)
        choices.append(
            [guess for t in totals for guess in compositions(t - visible, len(hidden[r]))]
        )
    found = {(r, c): set() for r in rows for c in hidden[r]}
    for guess in itertools.product(*choices):
        filled = {r: dict(cells[r]) for r in rows}
        for r, values in zip(rows, guess, strict=True):
            filled[r].update(zip(hidden[r], values, strict=True))
        column_sums = {c: sum(filled[r][c] for r in rows) for c in cols}
        if (
            all(table["column_totals"][c] in (None, column_sums[c]) for c in cols)
            and all(0 < column_sums[c] < k for c in cols if table["column_totals"][c] is None)
            and (sum(column_sums.values()) == table["total"])
        ):
            for r, c in found:
                found[(r, c)].add(filled[r][c])
    return found


def test_protect_hides_the_next_smallest_non_zero_part_of_a_line():
    values = {"a": 1, "b": 4, "c": 7, "zero": 0, "total": 12}
    hidden = protect(values, [(["a", "b", "c", "zero"], "total")], ["a", "b", "c", "zero"], 3)
    assert hidden == {"a", "b"}


def test_protect_falls_back_to_the_total_then_to_a_zero():
    values = {"a": 2, "zero": 0, "total": 2}
    assert protect(values, [(["a", "zero"], "total")], ["a"], 3) == {"a", "total"}
    values = {"a": 2, "zero": 0, "total": 2, "b": 5, "grand": 7}
    lines = [(["a", "zero"], "total"), (["total", "b"], "grand")]
    hidden = protect(values, lines, ["a"], 3)
    assert {"a", "total", "b"} <= hidden and "grand" not in hidden


def test_small_cells_are_hidden_zeros_and_safe_cells_shown():
    options = [{"code": x, "label": x.upper()} for x in ("a", "b", "c")]
    instrument = two_way(options, options)
    grid = {
        ("a", "a"): 5,
        ("a", "b"): 1,
        ("a", "c"): 6,
        ("b", "a"): 4,
        ("b", "b"): 7,
        ("b", "c"): 0,
        ("c", "a"): 3,
        ("c", "b"): 3,
        ("c", "c"): 3,
    }
    table = crosstab(instrument, responses_for(grid), "row", "col", k=3)
    assert table["cells"]["A"]["B"] is None and table["flags"]["A"]["B"] == SUPPRESSED
    assert table["cells"]["B"]["C"] == 0
    assert table["cells"]["C"]["C"] == 3
    assert table["row_totals"] == {"A": 12, "B": 11, "C": 9} and table["total"] == 32
    for row in table["rows"]:
        hidden_in_row = [c for c in table["columns"] if table["cells"][row][c] is None]
        assert len(hidden_in_row) != 1
    for col in table["columns"]:
        hidden_in_col = [r for r in table["rows"] if table["cells"][r][col] is None]
        assert len(hidden_in_col) != 1
    assert all(len(values) > 1 for values in feasible_values(table).values())
    assert "fewer than 3" in table["note"]


def test_a_small_cell_the_totals_give_away_withholds_the_table():
    options = [{"code": x, "label": x} for x in ("a", "b")]
    grid = {("a", "a"): 2, ("a", "b"): 0, ("b", "a"): 0, ("b", "b"): 0}  # everyone in one cell
    table = crosstab(two_way(options, options), responses_for(grid), "row", "col", k=3)
    assert table["withheld"] and table["total"] == 2
    assert table["row_totals"] == {"a": None, "b": None}
    assert all(v is None for row in table["cells"].values() for v in row.values())
    assert "only the total" in table["note"]


def test_a_table_without_small_cells_hides_nothing():
    options = [{"code": x, "label": x} for x in ("a", "b")]
    grid = {("a", "a"): 3, ("a", "b"): 4, ("b", "a"): 0, ("b", "b"): 5}
    table = crosstab(two_way(options, options), responses_for(grid), "row", "col", k=3)
    assert table["suppressed"] == 0 and table["note"] == ""
    assert table["cells"] == {"a": {"a": 3, "b": 4}, "b": {"a": 0, "b": 5}}


def test_respondents_missing_either_answer_are_left_out_and_counted():
    options = [{"code": x, "label": x} for x in ("a", "b")]
    responses = responses_for({("a", "a"): 3, ("b", "b"): 3}) + [{"row": ["a"]}, {"col": ["b"]}]
    table = crosstab(two_way(options, options), responses, "row", "col", k=3)
    assert table["excluded"] == 2 and table["total"] == 6


def test_multiple_choice_questions_cannot_be_cross_tabulated():
    options = [{"code": "a", "label": "a"}]
    with pytest.raises(ValueError, match="one answer"):
        crosstab(two_way(options, options), [], "row", "many", k=3)


def test_seslip_aspiration_by_gender_keeps_the_report_totals_and_hides_small_cells():
    instrument, responses = load_seslip()
    table = crosstab(instrument, responses, "aspiration", "gender", k=3)
    assert list(table["row_totals"].values()) == [14, 14, 18, 21, 4]
    assert table["column_totals"]["Male"] == 18 and table["column_totals"]["Female"] == 53
    shown = [v for row in table["cells"].values() for v in row.values() if v is not None]
    assert all(v == 0 or v >= 3 for v in shown)
    assert all(len(values) > 1 for values in feasible_values(table).values())


def test_seslip_declared_crosstabs_all_protect_every_hidden_cell():
    instrument, responses = load_seslip()
    tables = declared_crosstabs(instrument, responses, k=3)
    assert [(t["row_item"], t["col_item"]) for t in tables] == list(instrument.crosstabs)
    for table in tables:
        assert not table["withheld"]
        assert all(len(values) > 1 for values in feasible_values(table).values())
        rendered = crosstab_table(table)
        assert rendered["rows"][-1][-1] == str(table["total"])
        assert any("hidden" in cell for row in rendered["rows"] for cell in row) == bool(
            table["suppressed"]
        )


def test_a_row_of_fewer_than_k_people_is_hidden_whole_with_its_base():
    # One respondent in row "b": showing their row's zeros would narrow their answer down.
    options = [{"code": x, "label": x} for x in ("a", "b")]
    cols = [{"code": x, "label": x} for x in ("x", "y", "z")]
    grid = {
        ("a", "x"): 4,
        ("a", "y"): 3,
        ("a", "z"): 5,
        ("b", "x"): 0,
        ("b", "y"): 1,
        ("b", "z"): 0,
    }
    table = crosstab(two_way(options, cols), responses_for(grid), "row", "col", k=3)
    assert table["cells"]["b"] == {"x": None, "y": None, "z": None}
    assert table["flags"]["b"] == {"x": "suppressed", "y": "suppressed", "z": "suppressed"}
    # Its base is the one-way tally, published with the question anyway; the cells are not.
    assert table["row_totals"]["b"] == 1 and not table["withheld"]
    assert all(len(values) > 1 for values in feasible_values(table).values())
