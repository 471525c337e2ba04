"""`survey-app demo`: loads once, then prints working, freshly issued links."""

import re

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Campaign, Response
from survey_app.people.services import find_invitation, find_participant


def links_in(output: str) -> dict[str, str]:
    return {
        line.split(":")[0]: re.search(r"/[rp]/([\w-]+)", line).group(1)
        for line in output.splitlines()
        if re.search(r"/[rp]/", line)
    }


def test_demo_loads_each_instrument_once_with_answers(cli):
    first = cli.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "demo@example.org" in first.output
    second = cli.invoke(args=["demo"])
    assert "Loaded demo data" not in second.output
    keys = sorted(db.session.scalars(select(Campaign.instrument_key)))
    assert keys == ["module_reaction"] * 3 + ["programme_confidence"] * 2 + [
        "resourceful_leader_360"
    ] * 2 + ["seslip_aspiration_survey", "skills_talent_audit"]
    seslip = db.session.scalar(
        select(Campaign).where(Campaign.instrument_key == "seslip_aspiration_survey")
    )
    count = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.campaign_id == seslip.id)
    )
    assert count == 71


def test_demo_links_work_and_earlier_ones_stop_working(cli):
    first = links_in(cli.invoke(args=["demo"]).output)
    second = links_in(cli.invoke(args=["demo"]).output)
    participant_key = "Participant (360 task list)"
    rater_key = next(k for k in second if k.startswith("Rater"))
    assert find_participant(second[participant_key]).name == "Sam Patel"
    assert find_invitation(second[rater_key]).relationship == "peer"
    assert find_participant(first[participant_key]) is None
    assert find_invitation(first[rater_key]) is None


def test_demo_report_link_opens_a_released_report_without_small_groups(cli, client):
    links = links_in(cli.invoke(args=["demo"]).output)
    page = client.get(f"/p/{links['Participant report (released)']}/report")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Amira Hussain" in text
    # Amira has one partner and two direct reports: neither group may appear on its own.
    assert 'data-group="partner"' not in text and 'data-group="direct_report"' not in text
    assert 'data-group="pooled"' in text
    assert "each had fewer than 3 raters" in text


def test_demo_fills_every_level_of_the_evaluation(cli):
    from survey_app.coaching.models import Region, SupportMatch
    from survey_app.evaluation.services import cohort_evaluation
    from survey_app.sponsors.models import Sponsor
    from survey_app.talent.models import TalentEntry

    cli.invoke(args=["demo"])
    cohort = db.session.scalar(
        select(Campaign).where(Campaign.title == "Aspiring leaders cohort 2026")
    )
    found = cohort_evaluation(cohort, set(db.session.scalars(select(Campaign.id))))
    assert all(m.relevance.shown and m.recommend.shown for m in found.reaction)
    assert all(row.change.shown for row in found.learning)
    assert found.pairs >= 3 and all(row.change.shown for row in found.behaviour)
    assert found.goals.shown and found.results.stepped_up.shown
    region = db.session.scalar(select(Region))
    assert len(region.supporters) >= 4 and region.neighbours
    assert db.session.scalar(select(func.count()).select_from(SupportMatch)) >= 2
    assert {s.status for s in db.session.scalars(select(Sponsor))} == {"confirmed", "requested"}
    assert {e.source for e in db.session.scalars(select(TalentEntry))} == {
        "skills_audit",
        "programme",
    }


def test_demo_refuses_outside_development_unless_forced(app, cli):
    app.config["ENV_NAME"] = "production"
    refused = cli.invoke(args=["demo", "--no-links"])
    assert refused.exit_code != 0 and "SURVEY_APP_ENV" in refused.output
    assert "Traceback" not in refused.output
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0
    forced = cli.invoke(args=["demo", "--no-links", "--force"])
    assert forced.exit_code == 0, forced.output
    assert db.session.scalar(select(func.count()).select_from(Campaign)) > 0


def test_demo_audit_spreads_over_the_high_potential_bands(cli):
    # Issue 17: with a mean of six ratings, 34 of the 36 demo respondents landed in one band.
    from analysis.skills_audit import capability_band
    from survey_app.findings.services import survey_findings
    from survey_app.responses import load_responses

    assert cli.invoke(args=["demo"]).exit_code == 0
    audit = db.session.scalar(
        select(Campaign).where(Campaign.instrument_key == "skills_talent_audit")
    )
    bands = [capability_band(r.answers) for r in load_responses(audit.id)]
    placed = [band for band in bands if band]
    assert len(placed) == 36
    counts = {band: placed.count(band) for band in ("developing", "proficient", "advanced")}
    assert all(n >= 3 for n in counts.values()), counts  # every band shown, none below k
    assert max(counts.values()) <= len(placed) * 0.6, counts
    matrix = survey_findings(audit, with_themes=False)["hipo_matrix"]
    assert sorted(matrix["row_totals"].values()) == sorted(counts.values())
    assert "at least half of the areas" in matrix["cut_points"]


def test_demo_seslip_is_the_2019_data_set_and_shows_its_reports_notes(cli):
    from survey_app.campaigns.services import campaign_settings
    from survey_app.findings.services import survey_findings

    assert cli.invoke(args=["demo"]).exit_code == 0
    seslip = db.session.scalar(
        select(Campaign).where(Campaign.instrument_key == "seslip_aspiration_survey")
    )
    assert campaign_settings(seslip)["source_data"] == "seslip_2019"
    notes = survey_findings(seslip, with_themes=False)["source_notes"]
    assert {note["item_id"] for note in notes} == {"satisfaction", "years_management"}
