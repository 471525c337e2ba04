"""`survey-app themes` reads other tools' exports as the import does, and writes safe CSV."""

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from survey_app.themes.cli import themes_command

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "imports"


def run(*args):
    return CliRunner().invoke(themes_command, [str(a) for a in args])


def test_surveymonkey_second_header_row_is_not_a_comment():
    result = run(
        FIXTURES / "surveymonkey_seslip.csv",
        "--column",
        "What are the barriers which might stop you from applying for and getting "
        "more senior roles?",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # The header row keeps its place (row numbers match the file) but is never themed.
    assert [r["coded_by"] for r in rows].count("header row, not a comment") == 1
    texts = [r["text"] for r in rows if r["coded_by"] != "header row, not a comment"]
    assert "Open-Ended Response" not in texts and "Response" not in texts
    assert len(texts) == 6 and "Geography and family roots" in texts


def test_qualtrics_question_text_and_import_id_rows_are_not_comments():
    result = run(FIXTURES / "qualtrics_seslip.csv", "--column", "Q9", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    texts = [r["text"] for r in rows if r["coded_by"] != "header row, not a comment"]
    headers = [r for r in rows if r["coded_by"] == "header row, not a comment"]
    assert len(texts) == 6 and len(headers) == 2
    assert all(not r["themes"] and not r["proposed_theme"] for r in headers)
    assert not [t for t in texts if "ImportId" in t or t.startswith("What are the barriers")]


def test_csv_output_cannot_carry_a_formula(tmp_path):
    path = tmp_path / "comments.csv"
    path.write_text('comment\n"=HYPERLINK(""http://x"",""y"")"\n@SUM(A1) again\n')
    result = run(path, "--column", "comment", "--format", "csv")
    assert result.exit_code == 0, result.output
    texts = [row["text"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert all(t.startswith("'") for t in texts), texts
