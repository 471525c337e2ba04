"""`survey-app themes`: json, csv and markdown output, and clear one-line errors for bad input."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey_app.themes.cli import themes_command

ROOT = Path(__file__).resolve().parents[3]
CODEBOOK = str(ROOT / "instruments" / "codebooks" / "barriers.yaml")
ROWS = [("Budget cuts again, ring Jo Bloggs on 07700 900123", "F"),
        ("The budget is a nightmare", "F"), ("Budgets are cut every year", "F"),
        ("Budgets are fine", "M"), ("Politicians scare me", "M"), ("n/a", "M")]


@pytest.fixture
def comments_csv(tmp_path):
    path = tmp_path / "comments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "barriers", "gender"])
        writer.writerows((index, text, gender) for index, (text, gender) in enumerate(ROWS))
    names = tmp_path / "names.txt"
    names.write_text("# colleagues\nJo Bloggs\n", encoding="utf-8")
    return path, names


def _run(*args):
    return CliRunner().invoke(themes_command, [str(arg) for arg in args])


def test_json_output_has_themes_groups_and_run_record(comments_csv):
    path, names = comments_csv
    result = _run(path, "--column", "barriers", "--codebook", CODEBOOK, "--redact", names,
                  "--group-by", "gender", "--threshold", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    budgets = next(theme for theme in data["themes"] if theme["id"] == "budgets")
    assert budgets["count"] == 3 and budgets["percent"] == 60.0
    # Two commenting men is below k; showing the women's 3 would then reveal the men's 0.
    assert budgets["groups"]["M"]["suppressed"] and budgets["groups"]["F"]["suppressed"]
    assert data["uncoded"] == 1 and data["run"]["codebook_hash"]  # "Budgets are fine"
    assert "Bloggs" not in result.stdout and "07700" not in result.stdout


def test_csv_output_has_one_redacted_row_per_comment(comments_csv):
    path, names = comments_csv
    result = _run(path, "--column", "barriers", "--codebook", CODEBOOK, "--redact", names,
                  "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["row"] for row in rows] == [str(index) for index in range(len(ROWS))]
    assert rows[0]["text"] == "Budget cuts again, ring [name] on [phone]"
    assert rows[0]["themes"] == "budgets" and 'include "budget"' in rows[0]["matched"]
    assert rows[3]["themes"] == "" and rows[4]["themes"] == "exposure_to_politicians"


def test_markdown_report_is_readable(comments_csv):
    path, _ = comments_csv
    result = _run(path, "--column", "barriers", "--codebook", CODEBOOK, "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Themes in the comments")
    assert "| Budgets and financial pressure | 3 | 60.0 |" in result.stdout
    assert "> The budget is a nightmare" in result.stdout


def _assert_one_line_error(result, *fragments):
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.count("\n") == 0, message
    for fragment in fragments:
        assert fragment in message


def test_missing_file(tmp_path):
    _assert_one_line_error(_run(tmp_path / "nope.csv", "--column", "x"), "no such file")


def test_missing_column_lists_the_available_ones(comments_csv):
    path, _ = comments_csv
    _assert_one_line_error(_run(path, "--column", "comments"),
                           "no column 'comments'", "id, barriers, gender")


def test_missing_group_column(comments_csv):
    path, _ = comments_csv
    _assert_one_line_error(_run(path, "--column", "barriers", "--group-by", "sex"), "'sex'")


def test_bad_encoding(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("comment\nCaf\xe9 culture is macho\n".encode("latin-1"))
    _assert_one_line_error(_run(path, "--column", "comment"), "not UTF-8")


def test_bad_codebook(comments_csv, tmp_path):
    path, _ = comments_csv
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: x\nthemes: [\n", encoding="utf-8")
    _assert_one_line_error(_run(path, "--column", "barriers", "--codebook", broken),
                           "bad codebook")
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("key: x\nversion: 1\ntitle: t\napplies_to: []\nthemes: [{id: a}]\n",
                       encoding="utf-8")
    _assert_one_line_error(_run(path, "--column", "barriers", "--codebook", invalid),
                           "bad codebook", "more problems")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    _assert_one_line_error(_run(path, "--column", "comment"), "empty")


def test_progress_bar_on_stderr_for_long_inputs(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("comment\n" + "Budget cuts and politicians\n" * 2100, encoding="utf-8")
    result = _run(path, "--column", "comment", "--codebook", CODEBOOK, "--format", "csv")
    assert result.exit_code == 0
    assert "Theming" in result.stderr and "Theming" not in result.stdout
