"""CLI parity: open, close, links, participants import."""

import csv
import io

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Campaign, Participant
from survey_app.people.services import add_participant, find_invitation, find_participant


def csv_rows(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


def test_open_and_close_from_the_cli(cli, make_campaign):
    campaign = make_campaign(status="draft")
    assert cli.invoke(args=["campaign", "open", campaign.id]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).is_open
    result = cli.invoke(args=["campaign", "close", campaign.id])
    assert "stopped working" in result.output
    db.session.expire_all()
    assert not db.session.get(Campaign, campaign.id).is_open
    missing = cli.invoke(args=["campaign", "open", "nope"])
    assert missing.exit_code == 1 and "No campaign with id 'nope'" in missing.output


def test_links_count_makes_new_survey_links(cli, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    result = cli.invoke(args=["campaign", "links", campaign.id, "--count", "3"])
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout)
    assert len(rows) == 3
    assert all(find_invitation(r["url"].rsplit("/r/", 1)[1]) for r in rows)
    bad = cli.invoke(args=["campaign", "links", campaign.id, "--count", "0"])
    assert bad.exit_code == 1 and "between 1 and" in bad.output


def test_links_for_a_360_list_participants_with_fresh_tokens(cli, make_campaign):
    campaign = make_campaign()
    old = add_participant(campaign, "Asha", "asha@example.org")
    db.session.commit()
    result = cli.invoke(args=["campaign", "links", campaign.id])
    rows = csv_rows(result.stdout)
    assert [(r["participant"], r["relationship"]) for r in rows] == [("Asha", "self")]
    assert find_participant(rows[0]["url"].rsplit("/p/", 1)[1]).name == "Asha"
    assert find_participant(old.token) is None
    assert "no longer work" in result.output


def test_participants_import_all_or_nothing(cli, make_campaign, tmp_path):
    campaign = make_campaign()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nAsha,asha@example.org\nBen,ben@\n")
    result = cli.invoke(args=["participants", "import", campaign.id, str(bad)])
    assert result.exit_code == 1
    assert "Row 3, column B 'email'" in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0
    good = tmp_path / "good.csv"
    good.write_text("name,email\nAsha,asha@example.org\nBen,ben@example.org\n")
    result = cli.invoke(args=["participants", "import", campaign.id, str(good)])
    assert result.exit_code == 0 and "Added 2 participants" in result.output
    missing = cli.invoke(args=["participants", "import", campaign.id, str(tmp_path / "no.csv")])
    assert missing.exit_code == 1 and "Cannot read" in missing.output
