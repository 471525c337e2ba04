"""`survey-app instruments add` and `export`."""

from __future__ import annotations

import pytest

from instruments.yaml_text import parse_yaml
from survey_app.extensions import db
from survey_app.library import services
from survey_app.library.store import bundled

from .conftest import BROKEN_YAML, SURVEY_YAML, revised

pytestmark = pytest.mark.db


def _file(tmp_path, text: str, name: str = "team_pulse.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_add_stores_versions_and_says_when_nothing_changed(cli, tmp_path, commissioner):
    result = cli.invoke(
        args=["instruments", "add", _file(tmp_path, SURVEY_YAML), "--as", "lead@example.org"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "team_pulse v1 stored"
    result = cli.invoke(args=["instruments", "add", _file(tmp_path, SURVEY_YAML, "again.yaml")])
    assert (result.exit_code, result.output.strip()) == (0, "unchanged: same as v1")
    result = cli.invoke(args=["instruments", "add", _file(tmp_path, revised())])
    assert result.exit_code == 0 and result.output.startswith("team_pulse v2 stored")
    stored = services.stored_versions("team_pulse")
    assert stored[0].uploader.email == "lead@example.org" and stored[1].uploader is None


def test_add_prints_every_located_problem_and_exits_1(cli, tmp_path):
    result = cli.invoke(args=["instruments", "add", _file(tmp_path, BROKEN_YAML)])
    assert result.exit_code == 1
    assert "3 problem(s); nothing stored" in result.output
    assert "(item 'q3'): [unknown-type] unknown question type 'long_txt'" in result.output
    assert "(item 'q3' show_if): [condition-missing-item]" in result.output
    q3 = next(n for n, line in enumerate(BROKEN_YAML.splitlines(), 1) if "id: q3" in line)
    assert f"  - line {q3}, column 9 (item 'q3'): [unknown-type]" in result.output
    assert services.stored_versions("team_pulse") == []


def test_add_as_another_commissioner_is_refused_for_your_key(
    cli, tmp_path, commissioner, other_commissioner
):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    db.session.commit()
    args = ["instruments", "add", _file(tmp_path, revised()), "--as", "other@example.org"]
    result = cli.invoke(args=args)
    assert result.exit_code == 1 and "belongs to another commissioner" in result.output


def test_add_of_a_missing_file_or_unknown_account_says_so(cli, tmp_path):
    result = cli.invoke(args=["instruments", "add", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "cannot read the file" in result.output
    args = ["instruments", "add", _file(tmp_path, SURVEY_YAML), "--as", "nobody@example.org"]
    result = cli.invoke(args=args)
    assert result.exit_code == 1 and "no active account" in result.output


def test_export_writes_a_version_as_yaml_that_reads_back(cli, tmp_path, commissioner):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    services.add_version(commissioner, revised().encode(), "team_pulse.yaml")
    db.session.commit()
    result = cli.invoke(
        args=["instruments", "export", "team_pulse", "--version", "1", "--format", "yaml"]
    )
    assert result.exit_code == 0
    assert (
        parse_yaml(result.output, "out")["sections"][0]["items"][0]["prompt"]
        == "How is your week going?"
    )
    out = tmp_path / "latest.yaml"
    result = cli.invoke(
        args=["instruments", "export", "team_pulse", "--format", "yaml", "--output", str(out)]
    )
    assert result.output.strip() == f"team_pulse v2 written to {out}"
    assert parse_yaml(out.read_text(), "out")["version"] == 2


def test_export_of_a_bundled_instrument_and_of_unknown_ones(cli):
    leader = bundled()["resourceful_leader_360"]
    result = cli.invoke(
        args=["instruments", "export", "resourceful_leader_360", "--format", "yaml"]
    )
    assert result.exit_code == 0 and parse_yaml(result.output, "out")["title"] == leader.title
    result = cli.invoke(args=["instruments", "export", "no_such", "--format", "yaml"])
    assert result.exit_code == 1 and "no instrument 'no_such'" in result.output
    args = [
        "instruments",
        "export",
        "resourceful_leader_360",
        "--version",
        "99",
        "--format",
        "yaml",
    ]
    result = cli.invoke(args=args)
    assert result.exit_code == 1 and f"it has {leader.version}" in result.output


def test_export_as_xlsform_reads_back_as_the_same_version(cli, tmp_path, commissioner):
    from openpyxl import load_workbook

    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    db.session.commit()
    out = tmp_path / "pulse.xlsx"
    args = ["instruments", "export", "team_pulse", "--format", "xlsform", "--output", str(out)]
    result = cli.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert {"survey", "choices", "settings"} <= set(load_workbook(out).sheetnames)
    result = cli.invoke(args=["instruments", "add", str(out)])
    assert (result.exit_code, result.output.strip()) == (0, "unchanged: same as v1")


def test_export_as_xlsform_needs_an_output_file(cli):
    args = ["instruments", "export", "resourceful_leader_360", "--format", "xlsform"]
    result = cli.invoke(args=args)
    assert result.exit_code == 1 and "give --output FILE.xlsx" in result.output


def test_list_shows_uploaded_instruments_at_their_latest_version(cli, commissioner):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    services.add_version(commissioner, revised().encode(), "team_pulse.yaml")
    db.session.commit()
    result = cli.invoke(args=["instruments", "list"])
    assert "team_pulse\tv2\tTeam pulse\tuploaded" in result.output
    assert "resourceful_leader_360\tv2\tResourceful Leader 360\n" in result.output
