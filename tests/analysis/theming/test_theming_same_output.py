"""The theming command themes a fixed corpus exactly as it did before any speed work.

`speed_corpus.csv` is a survey-tool-shaped export (a SurveyMonkey "Open-Ended Response" row under
the header) of the evaluation sets' comments, 250 of them repeated as they are, in other case,
with other punctuation or spacing, so that repeated comments, the duplicate step, redaction,
coding and discovery all have work to do. The expected files are that command's output from
commit 22b16f2 (before this round's speed work), regenerated on purpose when redaction and the
barriers codebook (versions 3 and 4) changed what the output should be (each diff was read line
by line: names now caught, "Eastfield" kept; with version 4 the text column is unchanged and
116 rows' codes moved): JSON (the summary) and CSV (every row's redacted text, codes and rules).
"""

import gzip
import json

import pytest
from click.testing import CliRunner

from survey_app.themes.cli import themes_command
from tests.paths import INSTRUMENTS, TESTS

DATA = TESTS / "data" / "theming"
CODEBOOK = INSTRUMENTS / "codebooks" / "barriers.yaml"


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "names.txt"
    path.write_text("Sarah Whitfield\n", encoding="utf-8")
    return path


def _themes(names, output_format):
    result = CliRunner().invoke(
        themes_command,
        [
            str(DATA / "speed_corpus.csv"),
            "--column",
            "comment",
            "--codebook",
            str(CODEBOOK),
            "--redact",
            str(names),
            "--group-by",
            "gender",
            "--format",
            output_format,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_summary_is_the_same_as_before_the_speed_work(names):
    produced = json.loads(_themes(names, "json"))
    expected = json.loads((DATA / "speed_corpus_expected.json").read_text(encoding="utf-8"))
    # Installed package versions may move on; everything the data decides must not.
    produced["run"].pop("versions")
    expected["run"].pop("versions")
    assert produced["discovery"]["method"] == "TF-IDF + NMF"  # discovery really ran
    assert produced["duplicates"]["exact_rows"] > 100 and produced["review_names"]
    for key in expected:
        assert produced[key] == expected[key], key
    assert produced == expected


def test_every_rows_redacted_text_codes_and_rules_are_the_same_as_before(names):
    produced = _themes(names, "csv").splitlines()
    with gzip.open(
        DATA / "speed_corpus_expected.csv.gz", "rt", encoding="utf-8", newline=""
    ) as handle:
        expected = handle.read().splitlines()
    assert len(produced) == len(expected) == 1202  # header, the tool's sub-header, 1,200 rows
    differing = [
        (number, line, expected[number])
        for number, line in enumerate(produced)
        if line != expected[number]
    ]
    assert not differing, differing[:3]
