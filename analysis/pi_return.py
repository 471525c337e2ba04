"""The quarterly performance indicators (seed 001_* §14) per region, quarter and tier.

Each return is one region's number tables (values "<row>.<column>=<number>"). Per tier and
measure the summary is a table of regions × (2009/10 baseline, Q1-Q4, the 2010/11 total), with
the all-regions row; percentages as the seed's definitions ask: vacancies and posts advertised of
the posts (the number of authorities for the DCS tier), posts re-advertised of those advertised;
averages of applicants and shortlisted candidates per post advertised.

Figures counting people (PEOPLE_MEASURES) of 1..k-1 are hidden, and so are complements, until no
hidden figure can be worked out from the region totals and the all-regions row
(analysis.crosstabs.protect, docs/design.md §3.7); an average is hidden with the total it divides.
Several returns for one region are merged cell by cell; cells they disagree on are left out and
listed, since the mix keeps no order to say which came last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from instruments import Instrument, Item
from instruments.composite_types import table_cells

from .crosstabs import Key, Line, protect, suppression_note
from .tallies import Response, percent, round_half_up

TIERS = ("pi_first_tier", "pi_second_tier")
QUARTERS = ("q1", "q2", "q3", "q4")
BASELINE, TOTAL, POSTS = "baseline", "total", "posts"
ALL_REGIONS = "All regions"
TOTAL_LABEL = "2010/11 Total"
# Applicants, shortlisted candidates, appointees and people engaged: each counts people.
PEOPLE_MEASURES = ("applicants", "shortlisted", "filled_permanent", "active_contacts")
PERCENT_OF = {"vacancies": POSTS, "advertised": POSTS, "readvertised": "advertised"}
AVERAGES = {  # measure shown as an average per post advertised, as the seed defines it
    "applicants": "3. Average number of applicants per post",
    "shortlisted": "4. Average number of shortlisted applicants per post",
}


@dataclass(frozen=True)
class Figure:
    """One figure: its value (None: not given, disagreeing or hidden) and its percentage."""

    value: float | None
    percent: float | None = None
    hidden: bool = False


@dataclass(frozen=True)
class MeasureTable:
    """One measure of one tier: figures by region (all regions last) and column."""

    measure: str
    label: str
    counts_people: bool
    percent_of: str
    figures: dict[str, dict[str, Figure]]


@dataclass(frozen=True)
class TierSummary:
    """One tier's measures, its columns' labels and the regions that returned."""

    item_id: str
    title: str
    columns: dict[str, str]
    regions: tuple[str, ...]
    measures: tuple[MeasureTable, ...]
    hidden: int


@dataclass(frozen=True)
class PiSummary:
    """`pi_summary`: both tiers, the returns per region, cells returns disagreed on."""

    threshold: int
    returns: dict[str, int]
    tiers: tuple[TierSummary, ...]
    disagreements: tuple[str, ...]
    note: str


def cell_values(values: Sequence[str]) -> dict[tuple[str, str], float]:
    """A number table's {(row, column): number}, cells that are not numbers left out."""
    cells = {}
    for key, number in table_cells(list(values)).items():
        try:
            cells[key] = float(number)
        except ValueError:
            continue
    return cells


def _merged(
    item: Item, region: str, returns: list[Response], disagreements: list[str]
) -> dict[tuple[str, str], float]:
    merged: dict[tuple[str, str], float] = {}
    seen: dict[tuple[str, str], set[float]] = {}
    for response in returns:
        for key, number in cell_values(response.get(item.id, [])).items():
            seen.setdefault(key, set()).add(number)
    for key, numbers in seen.items():
        if len(numbers) == 1:
            merged[key] = numbers.pop()
        else:
            disagreements.append(
                f"{region}, {item.prompt}: {item.row_label(key[0])}, "
                f"{item.column_label(key[1])} ({len(numbers)} different figures)"
            )
    return merged


def pi_summary(instrument: Instrument, responses: list[Response], k: int) -> PiSummary:
    """Both tiers' measures per region and quarter, people counts under k hidden."""
    region_item = instrument.item("region")
    by_region: dict[str, list[Response]] = {}
    for response in responses:
        code = (response.get("region") or [""])[0]
        by_region.setdefault(region_item.option_label(code) if code else "Not stated", []).append(
            response
        )
    order = [o.label for o in region_item.options] + ["Not stated"]
    regions = [name for name in order if name in by_region]
    disagreements: list[str] = []
    tiers = []
    for item_id in TIERS:
        item = instrument.item(item_id)
        cells = {
            region: _merged(item, region, by_region[region], disagreements) for region in regions
        }
        tiers.append(_tier(item, regions, cells, k))
    hidden = any(t.hidden for t in tiers)
    return PiSummary(
        threshold=k,
        returns={region: len(by_region[region]) for region in regions},
        tiers=tuple(tiers),
        disagreements=tuple(disagreements),
        note=suppression_note(k) if hidden else "",
    )


def _raw(cells: dict[tuple[str, str], float], measure: str, column: str) -> float | None:
    if column != TOTAL:
        return cells.get((measure, column))
    given = [cells[(measure, q)] for q in QUARTERS if (measure, q) in cells]
    if measure == POSTS:  # a stock, not a flow: the latest quarter's figure
        return given[-1] if given else None
    return sum(given) if given else None


def _tier(
    item: Item, regions: list[str], cells: dict[str, dict[tuple[str, str], float]], k: int
) -> TierSummary:
    columns = [BASELINE, *QUARTERS, TOTAL]
    labels = {c.code: c.label for c in item.columns} | {TOTAL: TOTAL_LABEL}
    raw: dict[str, dict[str, dict[str, float | None]]] = {}
    for row in item.rows:
        raw[row.code] = {r: {c: _raw(cells[r], row.code, c) for c in columns} for r in regions}
        raw[row.code][ALL_REGIONS] = {
            c: _sum([raw[row.code][r][c] for r in regions]) for c in columns
        }
    measures, hidden_count = [], 0
    for row in item.rows:
        hidden: set[Key] = set()
        if row.code in PEOPLE_MEASURES:
            hidden = _protected(raw[row.code], regions, k)
            hidden_count += len(hidden)
        measures.append(_measure(item, row.code, raw, hidden, [*regions, ALL_REGIONS], columns))
    return TierSummary(
        item.id,
        item.prompt,
        {c: labels[c] for c in columns},
        tuple(regions),
        tuple(measures),
        hidden_count,
    )


def _sum(values: list[float | None]) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _protected(table: dict[str, dict[str, float | None]], regions: list[str], k: int) -> set[Key]:
    """Keys (region, column) to hide: people counts of 1..k-1 and their complements."""
    columns = [BASELINE, *QUARTERS, TOTAL]
    values: dict[Key, int] = {
        (r, c): round(table[r][c] or 0) for r in [*regions, ALL_REGIONS] for c in columns
    }
    lines: list[Line] = [([(r, q) for q in QUARTERS], (r, TOTAL)) for r in [*regions, ALL_REGIONS]]
    lines += [([(r, c) for r in regions], (ALL_REGIONS, c)) for c in columns]
    return protect(values, lines, list(values), k)


def _measure(
    item: Item,
    measure: str,
    raw: dict[str, dict[str, dict[str, float | None]]],
    hidden: set[Key],
    regions: list[str],
    columns: list[str],
) -> MeasureTable:
    base = PERCENT_OF.get(measure, "")
    figures: dict[str, dict[str, Figure]] = {}
    for region in regions:
        row: dict[str, Figure] = {}
        for column in columns:
            value = raw[measure][region][column]
            if (region, column) in hidden:
                row[column] = Figure(None, None, True)
            elif measure in AVERAGES:
                posts = raw["advertised"][region][column]
                row[column] = Figure(
                    round_half_up(value / posts, 1) if value is not None and posts else None
                )
            else:
                of = raw[base][region][column] if base else None
                share = percent(round(value), round(of)) if value is not None and of else None
                row[column] = Figure(value, share)
        figures[region] = row
    return MeasureTable(
        measure,
        AVERAGES.get(measure, item.row_label(measure)),
        measure in PEOPLE_MEASURES,
        item.row_label(base) if base else "",
        figures,
    )
