"""Responses for SPSS (.sav) and Stata (.dta): valid variable names, variable and value labels.

Built from the same ExportTable as the CSV and XLSX files, so every row rule (published groups,
pooled relationships) applies here too. Code columns become numbered variables with value
labels; a multiple-choice question becomes one 0/1 variable per option, missing where the
question was skipped; "not observed" is a declared missing value (9 in SPSS, .a in Stata),
never a score.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from instruments.model import NOT_OBSERVED

from .exports import ExportTable

if TYPE_CHECKING:
    from pyreadstat.pyclasses import MissingRange

NOT_OBSERVED_SAV = 9
SPSS_RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
STATA_RESERVED = {
    "_all",
    "_b",
    "byte",
    "_coef",
    "_cons",
    "double",
    "float",
    "if",
    "in",
    "int",
    "long",
    "_n",
    "_pi",
    "_pred",
    "_rc",
    "_skip",
    "strl",
    "using",
    "with",
}
ValueLabels = dict[int | float, str]  # code → label, as pyreadstat takes them
CHOSEN: ValueLabels = {0: "Not chosen", 1: "Chosen"}


@dataclass
class Variable:
    """One variable of a statistics file and where its values come from."""

    name: str
    column: str
    label: str
    values: list = field(default_factory=list)
    value_labels: ValueLabels = field(default_factory=dict)
    kind: str = "text"  # text | numeric | coded | chosen | date


def variable_names(wanted: list[str], limit: int, reserved: set[str]) -> list[str]:
    """Names valid in SPSS (limit 64) or Stata (limit 32): letters, digits and _, unique."""
    names, seen = [], set()
    for text in wanted:
        base = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "var"
        if not base[0].isalpha():
            base = f"v_{base}"
        base = base[:limit].rstrip("_")
        name, number = base, 1
        while name.lower() in seen or name.lower() in reserved:
            number += 1
            suffix = f"_{number}"
            name = base[: limit - len(suffix)] + suffix
        seen.add(name.lower())
        names.append(name)
    return names


def _variables(table: ExportTable) -> list[Variable]:
    variables = []
    for column in table.columns:
        if column in table.twins:
            continue
        cells = [row.get(column, "") for row in table.rows]
        label = table.labels.get(column, column)
        options = table.value_labels.get(column)
        if column in table.multiple:
            for position, (code, text) in enumerate(table.value_labels[column].items(), start=1):
                picked = [None if not c else int(code in c.split("; ")) for c in cells]
                variables.append(
                    Variable(
                        f"{column}_{position}",
                        column,
                        f"{label}: {text}",
                        picked,
                        dict(CHOSEN),
                        "chosen",
                    )
                )
        elif options is not None:
            variables.append(_coded(column, label, options, cells))
        elif column == "day":
            variables.append(
                Variable(
                    column,
                    column,
                    label,
                    [dt.date.fromisoformat(c) if c else None for c in cells],
                    kind="date",
                )
            )
        elif column in table.numeric:
            variables.append(
                Variable(
                    column, column, label, [float(c) if c else None for c in cells], kind="numeric"
                )
            )
        else:
            variables.append(Variable(column, column, label, cells))
    return variables


def _coded(column: str, label: str, options: dict[str, str], cells: list[str]) -> Variable:
    numeric = all(re.fullmatch(r"-?\d+", code) for code in options if code != NOT_OBSERVED)
    numbers = {
        code: (int(code) if numeric else position)
        for position, code in enumerate((c for c in options if c != NOT_OBSERVED), 1)
    }
    if NOT_OBSERVED in options:
        numbers[NOT_OBSERVED] = NOT_OBSERVED_SAV
    values = [numbers.get(c) if c else None for c in cells]
    return Variable(
        column,
        column,
        label,
        values,
        {numbers[code]: text for code, text in options.items()},
        "coded",
    )


def _frame(variables: list[Variable], names: list[str]):
    import pandas as pd

    data = {}
    for variable, name in zip(variables, names, strict=True):
        variable.name = name
        if variable.kind in ("coded", "chosen", "numeric"):
            data[name] = pd.Series(variable.values, dtype="float64")
        else:
            data[name] = pd.Series(variable.values, dtype="object")
    return pd.DataFrame(data)


def to_sav(table: ExportTable, title: str) -> bytes:
    """The table as an SPSS .sav file with variable labels, value labels and missing values."""
    import pyreadstat

    variables = _variables(table)
    frame = _frame(variables, variable_names([v.name for v in variables], 64, SPSS_RESERVED))
    labelled = [v for v in variables if v.value_labels]
    missing: dict[str, list[int | float | str | MissingRange]] = {
        v.name: [NOT_OBSERVED_SAV]
        for v in labelled
        if NOT_OBSERVED_SAV in v.value_labels and v.kind == "coded"
    }
    return _written(
        ".sav",
        lambda path: pyreadstat.write_sav(
            frame,
            path,
            file_label=title[:64],
            column_labels={v.name: v.label[:256] for v in variables},
            variable_value_labels={v.name: v.value_labels for v in labelled},
            missing_ranges=missing,
            variable_format={v.name: "F3.0" for v in labelled},
            variable_measure={
                v.name: "ordinal" if v.kind == "coded" else "nominal" for v in labelled
            },
        ),
    )


def to_dta(table: ExportTable, title: str) -> bytes:
    """The table as a Stata .dta file; "not observed" is the extended missing value .a."""
    import pyreadstat

    variables = _variables(table)
    frame = _frame(variables, variable_names([v.name for v in variables], 32, STATA_RESERVED))
    unobserved = {}
    for variable in variables:
        if variable.kind == "coded" and NOT_OBSERVED_SAV in variable.value_labels:
            del variable.value_labels[NOT_OBSERVED_SAV]
            column = frame[variable.name].astype("object")
            frame[variable.name] = column.where(column != NOT_OBSERVED_SAV, "a")
            unobserved[variable.name] = ["a"]
    return _written(
        ".dta",
        lambda path: pyreadstat.write_dta(
            frame,
            path,
            file_label=title[:80],
            column_labels={v.name: v.label[:80] for v in variables},
            variable_value_labels={v.name: v.value_labels for v in variables if v.value_labels},
            missing_user_values=unobserved,
        ),
    )


def _written(suffix: str, write) -> bytes:
    # pyreadstat writes to a path only.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"responses{suffix}"
        write(str(path))
        return path.read_bytes()


def codebook_rows(table: ExportTable) -> list[list[str]]:
    """The codebook sheet: each column's SPSS and Stata names, question and values."""
    variables = _variables(table)
    spss = variable_names([v.name for v in variables], 64, SPSS_RESERVED)
    stata = variable_names([v.name for v in variables], 32, STATA_RESERVED)
    rows = [["Column", "SPSS variable", "Stata variable", "Question or meaning", "Values"]]
    for variable, spss_name, stata_name in zip(variables, spss, stata, strict=True):
        values = "; ".join(f"{code} = {text}" for code, text in variable.value_labels.items())
        if NOT_OBSERVED_SAV in variable.value_labels and variable.kind == "coded":
            values += " (missing in SPSS; .a in Stata)"
        rows.append([variable.column, spss_name, stata_name, variable.label, values])
    for column in sorted(table.twins):
        rows.append([column, "", "", "The same answers in words", ""])
    return rows
