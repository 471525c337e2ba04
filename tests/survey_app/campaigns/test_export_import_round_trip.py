"""Our export, imported into a fresh campaign, gives the same findings (CSV, Excel CSV, XLSX)."""

import json

import pytest

from survey_app.demo.loader import SESLIP_CSV

from .conftest import FIXTURES


def findings(cli, campaign):
    result = cli.invoke(args=["report", campaign.id, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    found.pop("campaign")
    themes = found.pop("themes")
    # Quotes are chosen from comments in stored order, which is random; the counts are not.
    found["theme_counts"] = {
        item: sorted((t["label"], t["count"]) for t in themed["themes"])
        for item, themed in themes.items()
    }
    return found


def round_trip(cli, make_campaign, tmp_path, instrument, fmt, *sources, settings=None):
    original = make_campaign(instrument, title="Original", settings=settings)
    for source, options in sources:
        result = cli.invoke(args=["responses", "import", original.id, str(source), *options])
        assert result.exit_code == 0, result.output
    exported = tmp_path / f"export.{fmt.replace('-', '.')}"
    result = cli.invoke(args=["export", original.id, "--format", fmt, "--output", str(exported)])
    assert result.exit_code == 0, result.output
    fresh = make_campaign(instrument, title="Fresh", settings=settings)
    result = cli.invoke(args=["responses", "import", fresh.id, str(exported)])
    assert result.exit_code == 0, result.output
    assert "recognised this platform's export" in result.output
    return findings(cli, original), findings(cli, fresh)


@pytest.mark.parametrize("fmt", ["csv", "excel-csv", "xlsx"])
def test_the_seslip_survey_survives_export_and_import(cli, make_campaign, tmp_path, fmt):
    before, after = round_trip(
        cli, make_campaign, tmp_path, "seslip_aspiration_survey", fmt, (SESLIP_CSV, [])
    )
    assert before["respondents"] == after["respondents"] == 71
    assert after == before


def test_the_skills_audit_with_multiple_choice_survives_export_and_import(
    cli, make_campaign, tmp_path
):
    mapping = tmp_path / "forms.yaml"
    mapping.write_text('labels:\n  reasons_not:\n    "my partner\'s job": other\n')
    before, after = round_trip(
        cli,
        make_campaign,
        tmp_path,
        "skills_talent_audit",
        "xlsx",
        (FIXTURES / "google_forms_audit.csv", ["--mapping", str(mapping)]),
        (
            FIXTURES / "limesurvey_audit_codes.csv",
            ["--mapping", str(FIXTURES / "limesurvey_audit_mapping.yaml")],
        ),
        settings={"rating_variant": "five_point"},  # the tools' audits used five points
    )
    assert before["respondents"] == after["respondents"] == 7
    # The export withholds where people work when fewer than k share the place (docs/design.md
    # §3.5): those answers come back as not answered, and everything else comes back the same.
    for found in (before, after):
        found.pop("audit_summary")
    places = {
        "sub_region": (before["questions"].pop("sub_region"), after["questions"].pop("sub_region"))
    }
    for found in (before, after):
        found["text"].pop("organisation", None)
    assert after == before
    regions_before, regions_after = places["sub_region"]
    kept = {label: n for label, n in regions_before["counts"].items() if n >= 3}
    assert {label: n for label, n in regions_after["counts"].items() if n} == kept


def test_answers_that_look_like_formulas_come_back_as_typed(cli, make_campaign, tmp_path):
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import Answer, Response

    original = make_campaign("skills_talent_audit", title="Original")
    source = tmp_path / "in.csv"
    source.write_text('post_title,organisation\n"=SUM(A1)",-2\n@home,-2\n+1 head,-2\n')
    assert cli.invoke(args=["responses", "import", original.id, str(source)]).exit_code == 0
    exported = tmp_path / "out.csv"
    cli.invoke(args=["export", original.id, "--output", str(exported)])
    assert "'=SUM(A1)" in exported.read_text()
    fresh = make_campaign("skills_talent_audit", title="Fresh")
    result = cli.invoke(args=["responses", "import", fresh.id, str(exported)])
    assert result.exit_code == 0, result.output
    stored = sorted(
        db.session.scalars(
            select(Answer.value)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.campaign_id == fresh.id)
        )
    )
    assert stored == ["+1 head", "-2", "-2", "-2", "=SUM(A1)", "@home"]
