"""Charts as static SVG for print and PDF: drawn here, with no browser, script or network.

WeasyPrint draws inline SVG itself, so a PDF can show the same charts as the page (where plotly
draws them) beside the same tables. Every label and number is text in the SVG, escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
WIDTH = 640
CHAR = 6.1  # average width of a character of 11px DejaVu Sans, in px
LINE = 13  # px a line of 11px text takes
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
BLUE = "#1d70b8"


def wrap_lines(text: str, width: int) -> list[str]:
    """Break text at spaces into lines of at most `width` characters (longer words stay whole)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line or not lines else lines


@dataclass(frozen=True)
class Axis:
    """A value axis: its range, the ticks to label and its title."""

    low: float
    high: float
    ticks: Sequence[float]
    title: str = ""

    def x(self, value: float, left: float, right: float) -> float:
        span = (self.high - self.low) or 1
        return left + (min(max(value, self.low), self.high) - self.low) / span * (right - left)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str = ""
    colour: str = BLUE


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str
    shape: str = "circle"  # circle, square, diamond or line


@dataclass(frozen=True)
class Mark:
    """A vertical line across the plot, e.g. a target level."""

    value: float
    label: str = ""
    colour: str = "#d4351c"


@dataclass
class _Canvas:
    """Collects SVG elements, then wraps them with the right height and accessible name."""

    title: str
    parts: list[str] = field(default_factory=list)
    y: float = 0

    def text(
        self,
        x: float,
        y: float,
        words: str,
        anchor: str = "start",
        size: int = 11,
        bold: bool = False,
        colour: str = TEXT,
        extra: str = "",
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
            f'text-anchor="{anchor}" fill="{colour}"{weight}{extra}>'
            f"{escape(words)}</text>"
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, colour: str = GRID, dash: str = ""
    ) -> None:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}" stroke-width="1"{dashes}/>'
        )

    def rect(self, x: float, y: float, width: float, height: float, colour: str) -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
            f'height="{height:.1f}" fill="{colour}"/>'
        )

    def heading(self) -> None:
        for line in wrap_lines(self.title, 80):
            self.y += 16
            self.text(0, self.y, line, size=13, bold=True)
        self.y += 10

    def svg(self) -> Markup:
        height = self.y + 6
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
            f'width="{WIDTH}" height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'font-family="{FONT}" aria-label="{escape(self.title)}">'
            f"<title>{escape(self.title)}</title>{''.join(self.parts)}</svg>"
        )


def _label_width(labels: Sequence[str]) -> tuple[int, float]:
    """Characters a label line may take, and the px of the label column."""
    longest = max((len(label) for label in labels), default=10)
    chars = max(12, min(34, longest))
    return chars, chars * CHAR + 8


def _rows(
    canvas: _Canvas, labels: Sequence[str], chars: int, left: float
) -> list[tuple[float, float]]:
    """Write the row labels down the left; returns each row's top and bottom."""
    rows = []
    for label in labels:
        lines = wrap_lines(label, chars)
        height = max(len(lines) * LINE, 18) + 8
        first = canvas.y + height / 2 - (len(lines) - 1) * LINE / 2 + 4
        for index, line in enumerate(lines):
            canvas.text(left - 8, first + index * LINE, line, anchor="end")
        rows.append((canvas.y, canvas.y + height))
        canvas.y += height
    return rows


def _centres(rows: list[tuple[float, float]]) -> list[float]:
    return [(top + bottom) / 2 for top, bottom in rows]


def _axis(canvas: _Canvas, axis: Axis, left: float, right: float, top: float) -> None:
    canvas.line(left, canvas.y, right, canvas.y, colour=TEXT)
    for tick in axis.ticks:
        x = axis.x(tick, left, right)
        canvas.line(x, top, x, canvas.y, dash="2,3")
        canvas.text(x, canvas.y + 14, f"{tick:g}", anchor="middle")
    canvas.y += 18
    if axis.title:
        canvas.y += 14
        canvas.text((left + right) / 2, canvas.y, axis.title, anchor="middle")


def _marks(
    canvas: _Canvas, marks: Sequence[Mark], axis: Axis, left: float, right: float, top: float
) -> None:
    for mark in marks:
        x = axis.x(mark.value, left, right)
        canvas.line(x, top - 4, x, canvas.y, colour=mark.colour, dash="5,3")
        if mark.label:
            canvas.text(x, top - 6, mark.label, anchor="middle", size=10, colour=mark.colour)


def bar_chart(title: str, bars: Sequence[Bar], axis: Axis, marks: Sequence[Mark] = ()) -> Markup:
    """Horizontal bars from zero (or the axis' low end), the value written beside each bar."""
    canvas = _Canvas(title)
    canvas.heading()
    canvas.y += 10 if any(mark.label for mark in marks) else 0
    chars, left = _label_width([bar.label for bar in bars])
    right = WIDTH - 70
    top = canvas.y
    origin = axis.x(0 if axis.low <= 0 <= axis.high else axis.low, left, right)
    centres = _centres(_rows(canvas, [bar.label for bar in bars], chars, left))
    for bar, centre in zip(bars, centres, strict=True):
        if bar.value is None:
            canvas.text(origin + 4, centre + 4, bar.text or "not shown", colour="#505a5f")
            continue
        end = axis.x(bar.value, left, right)
        canvas.rect(min(origin, end), centre - 8, abs(end - origin), 16, bar.colour)
        after = end >= origin
        canvas.text(
            end + (4 if after else -4),
            centre + 4,
            bar.text or f"{bar.value:g}",
            anchor="start" if after else "end",
        )
    canvas.line(origin, top, origin, canvas.y, colour=TEXT)
    _marks(canvas, marks, axis, left, right, top)
    _axis(canvas, axis, left, right, top)
    return canvas.svg()


def _marker(canvas: _Canvas, shape: str, x: float, y: float, colour: str) -> None:
    if shape == "square":
        canvas.parts.append(
            f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
        )
    elif shape == "diamond":
        canvas.parts.append(
            f'<polygon points="{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} '
            f'{x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}" fill="{colour}"/>'
        )
    elif shape == "line":
        canvas.line(x, y - 9, x, y + 9, colour=colour)
    else:
        canvas.parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )


def dot_chart(title: str, labels: Sequence[str], series: Sequence[Series], axis: Axis) -> Markup:
    """A row per label with a marker per series on a shared axis, and a legend below."""
    canvas = _Canvas(title)
    canvas.heading()
    chars, left = _label_width(labels)
    right = WIDTH - 30
    top = canvas.y
    centres = _centres(_rows(canvas, labels, chars, left))
    for one in series:
        for value, centre in zip(one.values, centres, strict=True):
            if value is not None:
                _marker(canvas, one.shape, axis.x(value, left, right), centre, one.colour)
    _axis(canvas, axis, left, right, top)
    canvas.y += 20
    x = left
    for one in series:
        _marker(canvas, one.shape, x + 6, canvas.y - 4, one.colour)
        canvas.text(x + 16, canvas.y, one.name)
        x += 30 + len(one.name) * CHAR
    return canvas.svg()


def _shade(value: float, low: float, high: float) -> str:
    """White to GOV.UK blue; text on the darker half is drawn white."""
    share = (min(max(value, low), high) - low) / ((high - low) or 1)
    start, end = (255, 255, 255), (29, 112, 184)
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(start, end, strict=True)
    )


def heat_map(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    low: float,
    high: float,
) -> Markup:
    """A grid of shaded cells, each with its value written in it; a dash where none is shown."""
    canvas = _Canvas(title)
    canvas.heading()
    chars, left = _label_width(rows)
    cell = min(70.0, (WIDTH - left - 10) / max(len(columns), 1))
    column_lines = [wrap_lines(name, max(int(cell / CHAR) - 1, 4))[:3] for name in columns]
    for index, lines in enumerate(column_lines):
        for number, line in enumerate(lines):
            canvas.text(
                left + (index + 0.5) * cell,
                canvas.y + 12 + number * LINE,
                line,
                anchor="middle",
                size=10,
            )
    canvas.y += 12 + LINE * max((len(lines) for lines in column_lines), default=1)
    for row, (upper, lower) in enumerate(_rows(canvas, rows, chars, left)):
        for index, value in enumerate(values[row]):
            x = left + index * cell
            if value is None:
                canvas.text(x + cell / 2, (upper + lower) / 2 + 4, "–", anchor="middle")
                continue
            canvas.rect(x + 1, upper + 1, cell - 2, lower - upper - 2, _shade(value, low, high))
            dark = (value - low) / ((high - low) or 1) > 0.55
            canvas.text(
                x + cell / 2,
                (upper + lower) / 2 + 4,
                f"{value:.1f}",
                anchor="middle",
                colour="#ffffff" if dark else TEXT,
            )
    return canvas.svg()


@dataclass(frozen=True)
class Interval:
    label: str
    value: float
    low: float
    high: float
    text: str = ""


def interval_chart(
    title: str, rows: Sequence[Interval], axis: Axis, marks: Sequence[Mark] = ()
) -> Markup:
    """A dot per row at its value with a whisker across its interval, the figures beside it."""
    canvas = _Canvas(title)
    canvas.heading()
    chars, left = _label_width([row.label for row in rows])
    right = WIDTH - 150
    top = canvas.y
    centres = _centres(_rows(canvas, [row.label for row in rows], chars, left))
    _marks(canvas, marks, axis, left, right, top)
    for row, centre in zip(rows, centres, strict=True):
        low, high = axis.x(row.low, left, right), axis.x(row.high, left, right)
        canvas.line(low, centre, high, centre, colour=TEXT)
        canvas.line(low, centre - 4, low, centre + 4, colour=TEXT)
        canvas.line(high, centre - 4, high, centre + 4, colour=TEXT)
        canvas.parts.append(
            f'<circle cx="{axis.x(row.value, left, right):.1f}" '
            f'cy="{centre:.1f}" r="5" fill="#00703c"/>'
        )
        canvas.text(right + 10, centre + 4, row.text or f"{row.value:g}")
    _axis(canvas, axis, left, right, top)
    return canvas.svg()
