"""Questions a campaign sets itself (issue 17): the audit's sub-regions and its rating scale."""

from __future__ import annotations

import pytest

from analysis.skills_audit import AREAS
from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.findings.services import audit_views, survey_findings
from survey_app.responses import store_response

pytestmark = pytest.mark.db

BASICS = {"title": "Audit 2027", "anonymity_threshold": "3"}


def edit(lead_client, post_form, campaign, **fields):
    return post_form(lead_client, f"/campaigns/{campaign.id}/edit", {**BASICS, **fields})


def test_the_edit_page_lists_the_sub_regions_and_offers_five_points_as_a_labelled_option(
    lead_client, make_campaign
):
    campaign = make_campaign("skills_talent_audit", status="draft")
    page = lead_client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert "Answers offered to “Which sub-region is your organisation in?”" in page
    assert "Kent and Medway\nSurrey" in page  # one a line, as the commissioner typed them
    assert "The printed questionnaire&#39;s scale" in page
    assert "not the printed questionnaire" in page  # the five-point option says what it is


def test_saving_the_sub_regions_and_five_points_changes_what_respondents_are_offered(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("skills_talent_audit", status="draft")
    response = edit(
        lead_client,
        post_form,
        campaign,
        options_sub_region="Surrey\nNorth Downs and Weald\n\nSurrey",
        rating_variant="five_point",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(campaign)
    instrument = campaign_instrument(campaign)
    options = [(o.code, o.label) for o in instrument.item("sub_region").options]
    # Surrey keeps its code (answers already coded "surrey" keep their label); repeats and blank
    # lines are dropped; the file's own "Outside the region" comes last.
    assert options == [
        ("surrey", "Surrey"),
        ("north_downs_and_weald", "North Downs and Weald"),
        ("outside_region", "Outside the region"),
    ]
    assert [o.code for o in instrument.item(AREAS[0]).options] == ["1", "2", "3", "4", "5"]


def test_an_empty_list_means_the_question_is_not_asked_and_findings_go_by_organisation(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("skills_talent_audit", status="draft")
    assert edit(lead_client, post_form, campaign, options_sub_region="").status_code == 302
    db.session.refresh(campaign)
    instrument = campaign_instrument(campaign)
    assert "sub_region" not in {item.id for item in instrument.items}
    assert audit_views(instrument) == {"organisation": "Organisation"}
    for _ in range(3):
        store_response(campaign.id, {"organisation": ["Anytown"], AREAS[0]: ["5"]})
    db.session.commit()
    findings = survey_findings(campaign, with_themes=False)
    assert findings["audit_by"] == "organisation"
    page = lead_client.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True)
    assert '<option value="sub_region"' not in page


def test_they_cannot_change_once_answers_have_arrived(lead_client, post_form, make_campaign):
    campaign = make_campaign("skills_talent_audit")
    store_response(campaign.id, {"sub_region": ["surrey"]})
    db.session.commit()
    response = edit(lead_client, post_form, campaign, options_sub_region="Somewhere else")
    assert response.status_code == 400
    assert "cannot change after the first answer" in response.get_data(as_text=True)
    db.session.refresh(campaign)
    labels = [o.label for o in campaign_instrument(campaign).item("sub_region").options]
    assert "Surrey" in labels and "Somewhere else" not in labels
    # Saving the same list (the page as it was shown) is not a change and goes through.
    same = "\n".join(labels[:-1])
    assert edit(lead_client, post_form, campaign, options_sub_region=same).status_code == 302


def test_a_version_2_snapshot_keeps_its_south_east_options(make_campaign):
    # Campaigns launched before version 3 carry the sub-regions in their snapshot and no
    # campaign_options: they load and read exactly as before.
    campaign = make_campaign("skills_talent_audit", settings={"listed_options": {}})
    snapshot = dict(campaign.instrument_snapshot)
    snapshot["version"] = 2
    snapshot["settings"] = {
        k: v for k, v in snapshot["settings"].items() if k not in ("campaign_options",)
    }
    for section in snapshot["sections"]:
        for item in section["items"]:
            if item["id"] == "sub_region":
                item["options"] = [
                    {"code": "kent_medway", "label": "Kent and Medway"},
                    {"code": "outside_region", "label": "Outside the region"},
                ]
    campaign.instrument_snapshot = snapshot
    db.session.commit()
    labels = [o.label for o in campaign_instrument(campaign).item("sub_region").options]
    assert labels == ["Kent and Medway", "Outside the region"]


def test_the_cli_flags_a_campaign_as_the_2019_seslip_data_set_only_on_its_instrument(
    cli, commissioner
):
    from survey_app.campaigns.services import campaign_settings
    from survey_app.models import Campaign

    made = cli.invoke(
        args=[
            "campaign", "create", "--instrument", "seslip_aspiration_survey",
            "--title", "SESLIP 2019 import", "--source-data", "seslip_2019",
            "--owner", commissioner.email,
        ]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    campaign = db.session.get(Campaign, made.output.strip().splitlines()[-1])
    assert campaign_settings(campaign)["source_data"] == "seslip_2019"
    wrong = cli.invoke(
        args=[
            "campaign", "create", "--instrument", "skills_talent_audit",
            "--title", "Audit", "--source-data", "seslip_2019",
            "--owner", commissioner.email,
        ]
    )  # fmt: skip
    assert wrong.exit_code != 0
    assert "gathered with seslip_aspiration_survey, not skills_talent_audit" in wrong.output


def test_an_existing_campaign_can_be_marked_as_holding_the_2019_data_set(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign("seslip_aspiration_survey", title="SESLIP import")
    findings = f"/campaigns/{campaign.id}/findings"
    assert "Note on the source report" not in lead_client.get(findings).get_data(as_text=True)
    page = lead_client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert "Where these answers come from" in page and "May to July 2019" in page

    response = edit(
        lead_client, post_form, campaign, title="SESLIP import", source_data="seslip_2019"
    )
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.settings["source_data"] == "seslip_2019"
    # ...and unmarked again: a new campaign's findings carry no 2019 notes.
    edit(lead_client, post_form, campaign, title="SESLIP import", source_data="")
    db.session.refresh(campaign)
    assert not campaign.settings.get("source_data")


def test_the_data_set_choice_is_offered_only_on_the_instrument_it_was_gathered_with(
    lead_client, make_campaign
):
    campaign = make_campaign("skills_talent_audit", status="draft")
    page = lead_client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert "Where these answers come from" not in page
