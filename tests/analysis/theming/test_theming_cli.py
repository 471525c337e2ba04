"""`survey-app themes`: json, csv and markdown output, and clear one-line errors for bad input."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey_app.themes.cli import themes_command
from tests.paths import INSTRUMENTS, TESTS

ROOT = Path(__file__).resolve().parents[3]
CODEBOOK = str(INSTRUMENTS / "codebooks" / "barriers.yaml")
ROWS = [
    ("Budget cuts again, ring Jo Bloggs on 07700 900123", "F"),
    ("The budget is a nightmare", "F"),
    ("Budgets are cut every year", "F"),
    ("Budgets are fine", "M"),
    ("Politicians block everything", "M"),
    ("n/a", "M"),
]


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
    result = _run(
        path,
        "--column",
        "barriers",
        "--codebook",
        CODEBOOK,
        "--redact",
        names,
        "--group-by",
        "gender",
        "--threshold",
        "3",
    )
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
    result = _run(
        path, "--column", "barriers", "--codebook", CODEBOOK, "--redact", names, "--format", "csv"
    )
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
    _assert_one_line_error(
        _run(path, "--column", "comments"), "no column 'comments'", "id, barriers, gender"
    )


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
    _assert_one_line_error(_run(path, "--column", "barriers", "--codebook", broken), "bad codebook")
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(
        "key: x\nversion: 1\ntitle: t\napplies_to: []\nthemes: [{id: a}]\n", encoding="utf-8"
    )
    _assert_one_line_error(
        _run(path, "--column", "barriers", "--codebook", invalid), "bad codebook", "more problems"
    )


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


DERIVED = TESTS / "data" / "theming" / "codebook_derived_barriers.csv"


@pytest.fixture
def many_comments(tmp_path):
    """167 comments in a CSV with a row number per comment, as the CLI numbers them."""
    with DERIVED.open(encoding="utf-8", newline="") as handle:
        texts = [row["comment"] for row in csv.DictReader(handle)]
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["comment"])
        writer.writerows([text] for text in texts)
    return path, texts


def _codes(tmp_path, lines, name="coded.csv"):
    path = tmp_path / name
    path.write_text("row,themes\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_ask_lists_n_distinct_comment_rows_and_is_reproducible(many_comments):
    path, texts = many_comments
    first = _run(path, "--column", "comment", "--codebook", CODEBOOK, "--ask", "12")
    assert first.exit_code == 0, first.output
    asked = json.loads(first.stdout)["ask"]
    assert len(asked) == len(set(asked)) == 12
    assert all(0 <= row < len(texts) and texts[row].strip() for row in asked)
    again = _run(path, "--column", "comment", "--codebook", CODEBOOK, "--ask", "12")
    assert again.stdout == first.stdout


def test_coded_rows_keep_your_codes_and_new_themes_are_learned(many_comments, tmp_path):
    path, texts = many_comments
    # A theme the codebook does not have: comments about recruiting and keeping staff.
    staff = [
        row
        for row, text in enumerate(texts)
        if "recruit" in text.lower() or "agency staff" in text.lower() or "vacanc" in text.lower()
    ]
    assert len(staff) >= 4
    lines = [f"{row},staffing" for row in staff[:-1]] + ["0,budgets", "1,"]
    coded = _codes(tmp_path, lines)
    result = _run(
        path, "--column", "comment", "--codebook", CODEBOOK, "--coded", coded, "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(texts) and all(row["row"] == str(i) for i, row in enumerate(rows))
    assert rows[0]["themes"] == "budgets" and rows[0]["coded_by"] == "you"
    assert rows[1]["themes"] == "" and rows[1]["coded_by"] == "you"
    assert all(rows[row]["themes"] == "staffing" for row in staff[:-1])
    assert rows[2]["coded_by"] == "model" and "staffing" not in rows[2]["themes"]
    summary = json.loads(
        _run(path, "--column", "comment", "--codebook", CODEBOOK, "--coded", coded).stdout
    )
    learned = next(theme for theme in summary["themes"] if theme["id"] == "staffing")
    assert learned["label"] == "Staffing" and learned["count"] >= len(staff) - 1
    # Learned from a handful of codes, it must not spread over the comments it does not fit.
    assert learned["count"] <= 2 * len(staff)
    assert summary["learning"]["codes"] == len(lines)


def test_cross_validated_estimates_have_intervals_and_a_number_of_codes(many_comments, tmp_path):
    path, texts = many_comments
    with DERIVED.open(encoding="utf-8", newline="") as handle:
        human = [row["themes"] for row in csv.DictReader(handle)]
    coded = _codes(tmp_path, [f"{row},{human[row]}" for row in range(60)])
    summary = json.loads(
        _run(path, "--column", "comment", "--codebook", CODEBOOK, "--coded", coded).stdout
    )
    estimates = {e["theme"]: e for e in summary["learning"]["estimates"]}
    budgets = estimates["budgets"]
    assert budgets["coded_with"] == sum("budgets" in human[row] for row in range(60))
    low, high = budgets["recall_ci"]
    assert low <= budgets["recall"] <= high and high - low > 0
    assert isinstance(budgets["more_codes"], int) and budgets["more_codes"] >= 0


@pytest.mark.parametrize(
    ("lines", "fragment"),
    [
        (["x,budgets"], "row 'x' is not a row number"),
        (["999,budgets"], "row '999' is not a row number of the comments (0 to 5)"),
        (["0,budgets", "0,time_pressure"], "line 3: row 0 is coded twice"),
        (["5,budgets"], "row 5 has no comment to code"),
        (["0,Budget Cuts"], "'Budget Cuts' is not a theme id"),
    ],
)
def test_bad_codes_get_a_located_one_line_error(comments_csv, tmp_path, lines, fragment):
    path, _ = comments_csv
    coded = _codes(tmp_path, lines)
    _assert_one_line_error(
        _run(path, "--column", "barriers", "--codebook", CODEBOOK, "--coded", coded), fragment
    )


def test_coded_file_without_the_right_columns(comments_csv, tmp_path):
    path, _ = comments_csv
    coded = tmp_path / "coded.csv"
    coded.write_text("id,codes\n0,budgets\n", encoding="utf-8")
    _assert_one_line_error(
        _run(path, "--column", "barriers", "--coded", coded),
        "needs the columns 'row' and 'themes'",
        "id, codes",
    )


def test_export_header_rows_are_not_themed(tmp_path):
    # A Qualtrics export: question text and ImportId rows sit under the header.
    path = tmp_path / "qualtrics.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ResponseId", "Q3"])
        writer.writerow(["Response ID", "What gets in the way of budgets and workload?"])
        writer.writerow(['{"ImportId":"_recordId"}', '{"ImportId":"QID3_TEXT"}'])
        writer.writerow(["R_1", "Budget cuts every year"])
        writer.writerow(["R_2", '=HYPERLINK("http://x","politicians")'])
    result = _run(path, "--column", "Q3", "--codebook", CODEBOOK, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["coded_by"] for row in rows[:2]] == ["header row, not a comment"] * 2
    assert rows[0]["themes"] == rows[0]["text"] == ""
    assert rows[2]["themes"] == "budgets"
    assert rows[3]["text"].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it
    summary = json.loads(_run(path, "--column", "Q3", "--codebook", CODEBOOK).stdout)
    assert summary["header_rows"] == [0, 1] and summary["commented"] == 2
    assert summary["no_answer"] == 0


def test_surveymonkey_response_row_is_not_themed(tmp_path):
    path = tmp_path / "monkey.csv"
    path.write_text(
        "Respondent ID,Barriers\n,Open-Ended Response\n1,Budget cuts\n", encoding="utf-8"
    )
    summary = json.loads(_run(path, "--column", "Barriers", "--codebook", CODEBOOK).stdout)
    assert summary["header_rows"] == [0] and summary["commented"] == 1


def test_proposed_themes_are_assigned_to_comments_in_json_and_csv(many_comments):
    path, texts = many_comments
    summary = json.loads(_run(path, "--column", "comment").stdout)  # no codebook: all uncoded
    assert summary["discovered"], "167 uncoded comments are enough to propose themes"
    rows = list(
        csv.DictReader(io.StringIO(_run(path, "--column", "comment", "--format", "csv").stdout))
    )
    for theme in summary["discovered"]:
        assert theme["rows"] and len(theme["rows"]) == theme["count"]
        assert {rows[row]["proposed_theme"] for row in theme["rows"]} == {theme["label"]}
        assert len(theme["quotes"]) <= 3
        # Labels and terms are words a person would use: no contractions, not the question.
        for term in [theme["label"], *theme["terms"]]:
            assert "'" not in term and "comment" not in term.split()
    unassigned = set(range(len(texts))) - {row for t in summary["discovered"] for row in t["rows"]}
    assert all(rows[row]["proposed_theme"] == "" for row in unassigned)


def test_output_with_codes_and_ask_is_byte_identical_across_processes(many_comments, tmp_path):
    path, _ = many_comments
    coded = _codes(
        tmp_path, ["0,budgets", "3,volume_of_work;time_pressure", "7,staffing", "9,", "12,staffing"]
    )
    command = [
        sys.executable,
        "-c",
        "from survey_app.cli import main; main()",
        "themes",
        str(path),
        "--column",
        "comment",
        "--codebook",
        CODEBOOK,
        "--coded",
        str(coded),
        "--ask",
        "5",
    ]
    # Two processes at once (most of the time is importing), with different hash seeds.
    runs = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("1", "2")
    ]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])["ask"]
    in_process = [_run(*command[4:], "--format", "csv").stdout for _ in range(2)]
    assert in_process[0] == in_process[1] and "staffing" in in_process[0]


def test_codes_without_a_codebook_learn_new_themes_without_spreading_them(many_comments, tmp_path):
    path, texts = many_comments
    coded = _codes(tmp_path, ["2,staffing", "40,staffing", "77,staffing", "0,money", "5,"])
    result = _run(path, "--column", "comment", "--coded", coded, "--ask", "3")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    counts = {theme["id"]: theme["count"] for theme in summary["themes"]}
    assert set(counts) == {"money", "staffing"}
    # Three codes are a theme, not a reason to give it to most of the 167 comments.
    assert 3 <= counts["staffing"] <= 20 and len(summary["ask"]) == 3


def test_ask_on_a_file_with_no_comments_asks_for_nothing(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("comment\n\nn/a\n", encoding="utf-8")
    result = _run(path, "--column", "comment", "--codebook", CODEBOOK, "--ask", "5")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ask"] == []
