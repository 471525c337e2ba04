"""`survey-app themes`: theme a CSV column of free-text comments from the command line."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from analysis.theming import STEPS_PER_COMMENT, theme_comments
from analysis.theming.sentiment import describe
from instruments.problems import InstrumentError

from ..campaigns.csvfiles import safe_cell
from ..campaigns.import_formats import split_header

PROGRESS_MIN_ROWS = 2000


class InputProblem(click.ClickException):
    """A one-line message and exit status 2, never a traceback."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


@click.command("themes")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(path_type=Path))
@click.option("--column", required=True, help="Column holding the comments.")
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path),
              help="Codebook YAML file (see instruments/codebooks/).")
@click.option("--redact", "names_path", type=click.Path(path_type=Path),
              help="Text file of names to redact, one a line (colleagues, authorities).")
@click.option("--group-by", "group_column", help="Column to split each theme by (e.g. gender).")
@click.option("--threshold", type=click.IntRange(min=1), default=3, show_default=True,
              help="Minimum count before quotes or a group cell are shown.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for discovery.")
@click.option("--format", "output_format", type=click.Choice(["json", "csv", "md"]),
              default="json", show_default=True)
def themes_command(csv_file, column, codebook_path, names_path, group_column, threshold, seed,
                   output_format):
    """Theme the free-text comments in one column of FILE.csv (all output is redacted)."""
    rows, fieldnames = _read_csv(csv_file)
    for wanted in filter(None, (column, group_column)):
        if wanted not in fieldnames:
            raise InputProblem(f"{csv_file} has no column '{wanted}'; available columns: "
                               + ", ".join(fieldnames))
    comments = [row.get(column) or "" for row in rows]
    groups = [row.get(group_column) or "" for row in rows] if group_column else None
    codebook = _load_codebook(codebook_path) if codebook_path else None
    names = _read_names(names_path) if names_path else []
    result = _run(comments, codebook, names, groups, threshold, seed)
    click.echo(_render(result, output_format), nl=False)


def _read_csv(path: Path) -> tuple[list[dict], list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputProblem(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputProblem(f"{path} is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise InputProblem(f"{path} is not UTF-8 text (byte {exc.start}); "
                           "save it as 'CSV UTF-8' and try again") from None
    try:
        grid = [row for row in csv.reader(io.StringIO(text, newline="")) if any(row)]
    except csv.Error as exc:
        raise InputProblem(f"{path} is not a readable CSV file: {exc}") from None
    if not grid:
        raise InputProblem(f"{path} is empty: it needs a header row naming its columns")
    # SurveyMonkey's second header row and Qualtrics' text and ImportId rows are not comments.
    fieldnames, records = split_header(grid)
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


def _run(comments, codebook, names, groups, threshold, seed) -> dict:
    show_bar = len(comments) > PROGRESS_MIN_ROWS or sys.stderr.isatty()
    if not show_bar:
        return theme_comments(comments, codebook, names, groups, threshold, seed)
    with click.progressbar(length=len(comments) * STEPS_PER_COMMENT, label="Theming",
                           file=sys.stderr) as bar:
        return theme_comments(comments, codebook, names, groups, threshold, seed,
                              progress=bar.update)


def _render(result: dict, output_format: str) -> str:
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["row", "text", "themes", "matched"])
        for coded in result["coded"]:
            writer.writerow([safe_cell(value) for value in (
                coded["row"], coded["text"], ";".join(coded["themes"]),
                "; ".join(coded["matched"]))])
        return buffer.getvalue()
    if output_format == "md":
        return markdown(result)
    summary = {key: result[key] for key in ("themes", "uncoded", "discovered", "key_phrases",
                                            "duplicates", "review_names", "commented",
                                            "no_answer", "discovery", "run")}
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"


def markdown(result: dict) -> str:
    """A readable report: themes with intervals and quotes, discovery, duplicates, names."""
    lines = ["# Themes in the comments", "",
             f"{result['commented']} people commented ({result['no_answer']} blank or 'n/a'). "
             "A comment can carry several themes, so percentages may add up to more than 100.", ""]
    if result["themes"]:
        lines += ["| Theme | Count | % of commenters | 95% interval | Sentiment |",
                  "|---|---:|---:|---|---|"]
        lines += [f"| {theme['label']} | {theme['count']} | {theme['percent']} | "
                  f"{theme['ci'][0]}–{theme['ci'][1]} | {describe(theme['sentiment'])} |"
                  for theme in result["themes"]]
        lines.append("")
    for theme in result["themes"] + result["discovered"]:
        if theme["quotes"]:
            lines += [f"## {theme['label']}", ""] + [f"> {quote}\n" for quote in theme["quotes"]]
    lines += [f"## Not coded by the codebook: {result['uncoded']} comments", ""]
    for found in result["discovered"]:
        lines.append(f"- **Proposed theme: {found['label']}** ({found['count']} comments; "
                     f"terms: {', '.join(found['terms'])})")
    if not result["discovered"] and result["key_phrases"]:
        lines.append("Key phrases: " + ", ".join(f"{item['phrase']} ({item['count']})"
                                                  for item in result["key_phrases"]))
    duplicates = result["duplicates"]
    lines += ["", f"Duplicates: {duplicates['exact_rows']} exact repeats and "
              f"{duplicates['near_rows']} comments in near-duplicate groups "
              f"({duplicates['policy']})."]
    if result["review_names"]:
        # The names themselves stay out of a report that may be shared; the JSON lists them.
        lines += ["", f"{len(result['review_names'])} possible names were redacted by the "
                  "heuristic: check them in the JSON output (review_names)."]
    lines += ["", f"Codebook hash: {result['run']['codebook_hash'] or 'none'}; "
              f"seed {result['run']['parameters']['seed']}."]
    return "\n".join(lines) + "\n"
