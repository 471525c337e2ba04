"""Composite answers go out in export columns per part and come back in by import, unchanged."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook

from instruments import load_instrument
from survey_app.extensions import db
from survey_app.library.store import bundled
from survey_app.responses import load_responses, store_response
from tests.paths import INSTRUMENTS

ANSWERS = [
    {
        "practices": ["workforce_planning=yes", "succession_planning=no", "talent_management=yes"],
        "vacancies": ["4"],
        "pi_first_tier": ["posts.baseline=40", "posts.q1=42", "filled_internally.baseline=10"],
        "senior_posts": [
            '{"post":"Director of children\'s services","vacancy":"H","ease":"3"}',
            '{"post":"Head of safeguarding, east","grade_points":"52"}',
        ],
    },
    {
        "practices": ["workforce_planning=no"],
        "pi_first_tier": ["posts.baseline=60", "filled_internally.baseline=30"],
        "senior_posts": ['{"post":"Lead","vacancy":"L"}'],
    },
    {"vacancies": ["0"]},
]


@pytest.fixture
def composite_campaign(make_campaign):
    bundled()["composite_types"] = load_instrument(
        INSTRUMENTS / "examples" / "composite_types.yaml"
    )

    def make(title):
        return make_campaign("composite_types", title=title)

    yield make
    bundled().pop("composite_types", None)


def _export(cli, campaign, path, fmt="csv"):
    result = cli.invoke(args=["export", campaign.id, "--format", fmt, "--output", str(path)])
    assert result.exit_code == 0, result.output


def _stored(campaign):
    return sorted(json.dumps(r.answers, sort_keys=True) for r in load_responses(campaign.id))


def test_export_has_a_column_per_row_cell_and_row_field_with_labels(
    cli, composite_campaign, tmp_path
):
    campaign = composite_campaign("Original")
    for answers in ANSWERS:
        store_response(campaign.id, answers)
    db.session.commit()
    _export(cli, campaign, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = list(rows[0])
    assert columns[columns.index("practices.workforce_planning") :][:6] == [
        "practices.workforce_planning",
        "practices.workforce_planning (label)",
        "practices.succession_planning",
        "practices.succession_planning (label)",
        "practices.talent_management",
        "practices.talent_management (label)",
    ]
    assert "pi_first_tier.filled_internally.q1" in columns
    # two rows is the most anyone gave, so two rows of each field
    assert [c for c in columns if c.startswith("senior_posts.")][
        -1
    ] == "senior_posts.2.grade_points"
    assert not any(c.startswith("senior_posts.3.") for c in columns)
    first = next(r for r in rows if r["vacancies"] == "4")
    assert first["practices.succession_planning"] == "no"
    assert first["practices.succession_planning (label)"] == "No"
    assert first["pi_first_tier.posts.q1"] == "42"
    assert first["senior_posts.2.post"] == "Head of safeguarding, east"
    assert first["senior_posts.1.vacancy"] == "H"

    _export(cli, campaign, tmp_path / "out.xlsx", "xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    text = " ".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
    # the codebook gives each part's words, with the units
    assert "First tier posts: Posts filled internally, Q1 (posts)" in text
    assert "How many senior posts are vacant? (posts)" in text
    assert "One row per senior post: row 2, Post title" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_a_fresh_campaign_stores_the_same_answers(
    cli, composite_campaign, tmp_path, fmt
):
    original = composite_campaign("Original")
    for answers in ANSWERS:
        store_response(original.id, answers)
    db.session.commit()
    path = tmp_path / f"out.{fmt}"
    _export(cli, original, path, fmt)
    fresh = composite_campaign("Fresh")
    result = cli.invoke(args=["responses", "import", fresh.id, str(path)])
    assert result.exit_code == 0, result.output
    assert _stored(fresh) == _stored(original)
    report = cli.invoke(args=["report", fresh.id, "--format", "json"])
    questions = json.loads(report.output)["questions"]
    assert questions["practices"]["tables"][0]["rows"][0] == [
        "Workforce planning",
        "1 (50%)",
        "1 (50%)",
        2,
    ]


def test_bad_cells_are_located_by_row_and_column_and_nothing_is_imported(
    cli, composite_campaign, tmp_path
):
    campaign = composite_campaign("Imported")
    path = tmp_path / "bad.csv"
    path.write_text(
        "practices.workforce_planning,pi_first_tier.posts.q1,senior_posts.1.post,"
        "senior_posts.1.vacancy\n"
        "yes,12,Director,H\n"
        "perhaps,12.5,Head,Soon\n",
        encoding="utf-8",
    )
    result = cli.invoke(args=["responses", "import", campaign.id, str(path)])
    out = result.output
    assert result.exit_code == 1
    for expected in (
        "Row 3, column A 'practices.workforce_planning': 'practices': "
        "Workforce planning: 'perhaps' is not one of the options",
        "Row 3, column B 'pi_first_tier.posts.q1': 'pi_first_tier': "
        "Number of 1st tier posts, Q1: 12.5 is not a whole number",
        "Row 3, column D 'senior_posts.1.vacancy': 'senior_posts': "
        "row 1, Likelihood of vacancy: 'Soon' is not one of",
    ):
        assert expected in out
    assert load_responses(campaign.id) == []


def test_a_single_column_for_a_composite_question_is_refused_with_what_to_do(
    cli, composite_campaign, tmp_path
):
    campaign = composite_campaign("Imported")
    path = tmp_path / "one.csv"
    path.write_text("vacancies,practices\n3,yes\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  practices: practices\n", encoding="utf-8")
    result = cli.invoke(
        args=["responses", "import", campaign.id, str(path), "--mapping", str(mapping)]
    )
    assert result.exit_code == 1
    assert "'practices' has a column per part: map columns to 'practices.<part>'" in result.output
