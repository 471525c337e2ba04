"""End to end: the SESLIP respondents imported by the CLI reproduce the report's tables."""

import json

from survey_app.demo.loader import SESLIP_CSV


def test_imported_seslip_responses_reproduce_the_reports_tables(cli, make_campaign):
    campaign = make_campaign("seslip_aspiration_survey", title="SESLIP 2019")
    imported = cli.invoke(args=["responses", "import", campaign.id, str(SESLIP_CSV)])
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip().splitlines()[-1].startswith("71")

    report = cli.invoke(args=["report", campaign.id, "--format", "json"])
    assert report.exit_code == 0, report.output
    findings = json.loads(report.output)
    questions = findings["questions"]
    assert questions["gender"]["counts"]["Male"] == 18
    assert questions["gender"]["counts"]["Female"] == 53
    years = questions["years_management"]
    assert (years["answered"], years["skipped"]) == (69, 2)
    assert list(years["counts"].values()) == [16, 17, 16, 20]
    aspiration = questions["aspiration"]
    assert list(aspiration["counts"].values()) == [14, 14, 18, 21, 4]
    assert aspiration["percent"]["Planning to apply"] == 19.7
    [group] = [g for g in findings["groups"].values() if g["item"] == "aspiration"]
    assert (group["n"], group["percent"]) == (28, 39.4)
    satisfaction = questions["satisfaction"]["counts"]
    # The report's own table says OK 7, which would make 72 people; its percentages fit 6.
    assert list(satisfaction.values()) == [2, 1, 6, 37, 25]
    assert questions["satisfaction"]["percent"]["Fairly satisfied"] == 52.1
