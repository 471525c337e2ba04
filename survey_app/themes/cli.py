"""`survey-app themes`: theme a CSV column of free-text comments from the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import click

from analysis import theming
from instruments.codebook import ID_PATTERN
from instruments.problems import InstrumentError

from ..campaigns.csvfiles import safe_cell

PROGRESS_MIN_ROWS = 2000
IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')
SURVEY_TOOL_SUBHEADERS = frozenset({"Response", "Open-Ended Response"})


class InputProblem(click.ClickException):
    """A one-line message and exit status 2, never a traceback."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


@click.command("themes")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(path_type=Path))
@click.option("--column", required=True, help="Column holding the comments.")
@click.option(
    "--codebook",
    "codebook_path",
    type=click.Path(path_type=Path),
    help="Codebook YAML file (see instruments/codebooks/).",
)
@click.option(
    "--redact",
    "names_path",
    type=click.Path(path_type=Path),
    help="Text file of names to redact, one a line (colleagues, authorities).",
)
@click.option("--group-by", "group_column", help="Column to split each theme by (e.g. gender).")
@click.option(
    "--threshold",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Minimum count before quotes or a group cell are shown.",
)
@click.option(
    "--coded",
    "coded_path",
    type=click.Path(path_type=Path),
    help="CSV of your own codes: columns 'row' (as in the CSV output) and 'themes' "
    "(theme ids separated by ';'; ids the codebook lacks are new themes).",
)
@click.option(
    "--ask",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Add to the JSON output the N rows whose coding would teach the model most.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for discovery.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv", "md"]),
    default="json",
    show_default=True,
)
def themes_command(
    csv_file,
    column,
    codebook_path,
    names_path,
    group_column,
    threshold,
    coded_path,
    ask,
    seed,
    output_format,
):
    """Theme the free-text comments in one column of FILE.csv (all output is redacted)."""
    rows, fieldnames = _read_csv(csv_file)
    for wanted in filter(None, (column, group_column)):
        if wanted not in fieldnames:
            raise InputProblem(
                f"{csv_file} has no column '{wanted}'; available columns: " + ", ".join(fieldnames)
            )
    comments = [row.get(column) or "" for row in rows]
    headers = header_rows(rows, column)
    question = " ".join([column] + [comments[row] for row in headers])
    groups = [row.get(group_column) or "" for row in rows] if group_column else None
    codebook = _load_codebook(codebook_path) if codebook_path else None
    names = _read_names(names_path) if names_path else []
    coded = read_codes(coded_path, comments, headers) if coded_path else None
    del rows  # at 200,000 comments the parsed rows weigh more than the comments
    result = _run(
        comments,
        codebook,
        names,
        groups,
        threshold,
        seed,
        coded=coded,
        ask=ask,
        question=question,
        header_rows=headers,
    )
    click.echo(_render(result, output_format, ask=bool(ask)), nl=False)


def header_rows(rows: list[dict], column: str) -> list[int]:
    """Rows of a survey tool's export that describe the questions rather than answer them.

    Qualtrics puts the question text and then {"ImportId": …} under the header; SurveyMonkey
    puts "Response" / "Open-Ended Response" under it. A cell that repeats the column's own
    name is a repeated header.
    """
    found: list[int] = []
    for index, row in enumerate(rows[:3]):
        values = [str(value or "").strip() for value in row.values()]
        if any(IMPORT_ID.match(value) for value in values):
            found = list(range(index + 1))
        elif index == 0 and any(value in SURVEY_TOOL_SUBHEADERS for value in values):
            found = [0]
        elif (row.get(column) or "").strip() == column and index not in found:
            found.append(index)
    return sorted(set(found))


def read_codes(path: Path, comments: list[str], headers: list[int]) -> dict[int, list[str]]:
    """The commissioner's codes from CODED.csv: row number to theme ids, every problem located."""
    rows, fieldnames = _read_csv(path)
    missing = [name for name in ("row", "themes") if name not in fieldnames]
    if missing:
        raise InputProblem(
            f"{path} needs the columns 'row' and 'themes'; it has: " + ", ".join(fieldnames)
        )
    from analysis.theming.clean import clean, is_non_answer  # numpy and scipy: on use only

    codes: dict[int, list[str]] = {}
    for line, entry in enumerate(rows, start=2):
        raw = (entry.get("row") or "").strip()
        where = f"{path} line {line}"
        if not raw.isdigit() or int(raw) >= len(comments):
            raise InputProblem(
                f"{where}: row '{raw}' is not a row number of the comments "
                f"(0 to {len(comments) - 1})"
            )
        row = int(raw)
        if row in codes:
            raise InputProblem(f"{where}: row {row} is coded twice; keep one line per row")
        if row in headers or is_non_answer(clean(comments[row])):
            raise InputProblem(f"{where}: row {row} has no comment to code")
        themes = [
            theme.strip() for theme in (entry.get("themes") or "").split(";") if theme.strip()
        ]
        bad = [theme for theme in themes if not ID_PATTERN.match(theme)]
        if bad:
            raise InputProblem(
                f"{where}: '{bad[0]}' is not a theme id (lower-case letters, "
                "digits and underscores, starting with a letter)"
            )
        codes[row] = sorted(set(themes))
    return codes


def _read_csv(path: Path) -> tuple[list[dict], list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputProblem(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputProblem(f"{path} is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise InputProblem(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8' and try again"
        ) from None
    try:
        grid = [row for row in csv.reader(io.StringIO(text, newline="")) if any(row)]
    except csv.Error as exc:
        raise InputProblem(f"{path} is not a readable CSV file: {exc}") from None
    if not grid:
        raise InputProblem(f"{path} is empty: it needs a header row naming its columns")
    # Tools' extra header rows stay as rows (so row numbers match the file) and `header_rows`
    # marks them, so they are never themed.
    fieldnames, records = grid[0], grid[1:]
    return [dict(zip(fieldnames, record, strict=False)) for record in records], fieldnames


def _read_names(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InputProblem(f"no such names file: {path}") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise InputProblem(f"{path} is not a UTF-8 text file of names, one a line") from None
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _load_codebook(path: Path):
    from instruments.codebook import load_codebook

    if not path.is_file():
        raise InputProblem(f"no such codebook file: {path}")
    try:
        return load_codebook(path)
    except InstrumentError as exc:
        first = exc.problems[0].describe() if exc.problems else str(exc)
        more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
        raise InputProblem(f"bad codebook {path}: {first}{more}") from None


def _run(comments, codebook, names, groups, threshold, seed, **options) -> dict:
    show_bar = len(comments) > PROGRESS_MIN_ROWS or sys.stderr.isatty()
    if not show_bar:
        return theming.theme_comments(comments, codebook, names, groups, threshold, seed, **options)
    with click.progressbar(
        length=len(comments) * theming.STEPS_PER_COMMENT, label="Theming", file=sys.stderr
    ) as bar:
        return theming.theme_comments(
            comments, codebook, names, groups, threshold, seed, progress=bar.update, **options
        )


def _render(result: dict, output_format: str, ask: bool = False) -> str:
    if output_format == "csv":
        return _csv(result)
    if output_format == "md":
        return markdown(result)
    summary = {
        key: result[key]
        for key in (
            "themes",
            "uncoded",
            "discovered",
            "key_phrases",
            "duplicates",
            "review_names",
            "commented",
            "no_answer",
            "header_rows",
            "discovery",
            "learning",
            "run",
        )
    }
    if ask:
        summary["ask"] = result["learning"]["ask"]
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"


def _csv(result: dict) -> str:
    """One formula-safe line per input row: its combined codes and its proposed theme."""
    labels = {theme["id"]: theme["label"] for theme in result["discovered"]}
    headers = set(result["header_rows"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["row", "text", "themes", "proposed_theme", "coded_by", "matched"])
    for coded in result["coded"]:
        source = (
            "header row, not a comment"
            if coded["row"] in headers
            else "you"
            if coded.get("by_hand")
            else "model"
            if result["learning"] and result["learning"]["codes"]
            else "codebook"
            if coded["text"]
            else ""
        )
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    coded["row"],
                    coded["text"],
                    ";".join(coded["themes"]),
                    labels.get(coded["proposed"], ""),
                    source,
                    "; ".join(coded["matched"]),
                )
            ]
        )
    return buffer.getvalue()


def markdown(result: dict) -> str:
    """A readable report: themes with intervals and quotes, discovery, duplicates, names."""
    from analysis.theming.sentiment import describe  # vaderSentiment: on use only

    lines = [
        "# Themes in the comments",
        "",
        f"{result['commented']} people commented ({result['no_answer']} blank or 'n/a'). "
        "A comment can carry several themes, so percentages may add up to more than 100.",
        "",
    ]
    if result["themes"]:
        lines += [
            "| Theme | Count | % of commenters | 95% interval | Sentiment |",
            "|---|---:|---:|---|---|",
        ]
        lines += [
            f"| {theme['label']} | {theme['count']} | {theme['percent']} | "
            f"{theme['ci'][0]}–{theme['ci'][1]} | {describe(theme['sentiment'])} |"
            for theme in result["themes"]
        ]
        lines.append("")
    for theme in result["themes"] + result["discovered"]:
        if theme["quotes"]:
            lines += [f"## {theme['label']}", ""] + [f"> {quote}\n" for quote in theme["quotes"]]
    lines += [f"## Not coded by the codebook: {result['uncoded']} comments", ""]
    for found in result["discovered"]:
        lines.append(
            f"- **Proposed theme: {found['label']}** ({found['count']} comments; "
            f"terms: {', '.join(found['terms'])})"
        )
    if not result["discovered"] and result["key_phrases"]:
        lines.append(
            "Key phrases: "
            + ", ".join(f"{item['phrase']} ({item['count']})" for item in result["key_phrases"])
        )
    duplicates = result["duplicates"]
    lines += [
        "",
        f"Duplicates: {duplicates['exact_rows']} exact repeats and "
        f"{duplicates['near_rows']} comments in near-duplicate groups "
        f"({duplicates['policy']}).",
    ]
    if result["review_names"]:
        # The names themselves stay out of a report that may be shared; the JSON lists them.
        lines += [
            "",
            f"{len(result['review_names'])} possible names were redacted by the "
            "heuristic: check them in the JSON output (review_names).",
        ]
    lines += [
        "",
        f"Codebook hash: {result['run']['codebook_hash'] or 'none'}; "
        f"seed {result['run']['parameters']['seed']}.",
    ]
    return "\n".join(lines) + "\n"


COMMANDS = (themes_command,)
