"""The survey-app command line: instruments, users and campaigns."""

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign, User
from tests.paths import INSTRUMENTS

TINY = INSTRUMENTS / "examples" / "tiny_feedback.yaml"


def test_instruments_list_shows_key_version_and_title(cli):
    result = cli.invoke(args=["instruments", "list"])
    assert result.exit_code == 0
    assert "resourceful_leader_360\tv2\tResourceful Leader 360" in result.output


def test_instruments_check_accepts_a_valid_file(cli):
    result = cli.invoke(args=["instruments", "check", str(TINY)])
    assert result.exit_code == 0
    assert "OK (tiny_feedback v1" in result.output


def test_instruments_check_lists_every_problem_and_exits_1(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        TINY.read_text()
        .replace("type: single_choice", "type: singel_choice")
        .replace("id: post_title", "id: team_size")
    )
    result = cli.invoke(args=["instruments", "check", str(broken)])
    assert result.exit_code == 1
    assert "item 'wants_move': [unknown-type]" in result.output
    assert "did you mean 'single_choice'" in result.output
    assert "[duplicate-id]" in result.output
    assert "Traceback" not in result.output


def test_instruments_check_reports_bad_yaml_without_a_traceback(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: [unclosed\n")
    result = cli.invoke(args=["instruments", "check", str(broken)])
    assert result.exit_code == 1
    assert "[bad-yaml]" in result.output and "Traceback" not in result.output


def test_create_user_takes_the_password_from_the_environment(cli, monkeypatch):
    monkeypatch.setenv("SURVEY_APP_PASSWORD", "a-long-enough-password")
    result = cli.invoke(args=["create-user", "Lead@Example.org", "--role", "admin"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "lead@example.org" and user.role == "admin"
    assert user.password_hash != "a-long-enough-password"


def test_create_user_refuses_a_short_password_and_a_bad_email(cli, monkeypatch):
    monkeypatch.setenv("SURVEY_APP_PASSWORD", "short")
    assert "at least 12" in cli.invoke(args=["create-user", "a@example.org"]).output
    monkeypatch.setenv("SURVEY_APP_PASSWORD", "a-long-enough-password")
    result = cli.invoke(args=["create-user", "not-an-email"])
    assert result.exit_code == 1 and "not a valid email" in result.output
    assert db.session.scalar(select(User)) is None


def test_campaign_create_snapshots_the_instrument_and_prints_the_id_last(cli, monkeypatch):
    monkeypatch.setenv("SURVEY_APP_PASSWORD", "a-long-enough-password")
    cli.invoke(args=["create-user", "admin@example.org", "--role", "admin"])
    result = cli.invoke(
        args=[
            "campaign",
            "create",
            "--instrument",
            "resourceful_leader_360",
            "--title",
            "South East cohort 2027",
        ]
    )
    assert result.exit_code == 0, result.output
    campaign_id = result.output.strip().splitlines()[-1]
    campaign = db.session.get(Campaign, campaign_id)
    assert campaign.title == "South East cohort 2027" and campaign.status == "draft"
    assert campaign.instrument_snapshot["key"] == "resourceful_leader_360"


def test_campaign_create_with_an_unknown_instrument_says_which_exist(cli, monkeypatch):
    monkeypatch.setenv("SURVEY_APP_PASSWORD", "a-long-enough-password")
    cli.invoke(args=["create-user", "admin@example.org", "--role", "admin"])
    result = cli.invoke(args=["campaign", "create", "--instrument", "nope", "--title", "X"])
    assert result.exit_code == 1
    assert "resourceful_leader_360" in result.output
    assert db.session.scalar(select(Campaign)) is None


def test_instruments_show_prints_a_readable_document(cli):
    result = cli.invoke(args=["instruments", "show", "seslip_aspiration_survey"])
    assert result.exit_code == 0
    assert result.output.startswith("# ")
    assert "Planning to apply" in result.output


def test_instruments_show_names_the_known_keys_for_a_typo(cli):
    result = cli.invoke(args=["instruments", "show", "seslip"])
    assert result.exit_code == 2
    assert "seslip_aspiration_survey" in result.output


def test_instruments_check_validates_codebooks_too(cli, tmp_path):
    good = INSTRUMENTS / "codebooks" / "barriers.yaml"
    assert "codebook barriers" in cli.invoke(args=["instruments", "check", str(good)]).output
    broken = tmp_path / "codebook.yaml"
    broken.write_text(good.read_text().replace("themes:", "themes:\n  - {id: Bad Id}", 1))
    result = cli.invoke(args=["instruments", "check", str(broken)])
    assert result.exit_code == 1 and "[bad-id]" in result.output
