"""Creating, editing, opening, closing, reopening and archiving campaigns in the browser."""

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.library.store import bundled
from survey_app.models import Campaign
from survey_app.people.services import add_invitation, add_participant


def test_create_a_campaign_from_a_bundled_instrument(lead_client, post_form):
    response = post_form(
        lead_client,
        "/campaigns/new",
        {"instrument": "seslip_aspiration_survey", "title": "SESLIP 2027"},
    )
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert campaign.status == "draft" and campaign.title == "SESLIP 2027"
    assert campaign.instrument_version == bundled()["seslip_aspiration_survey"].version
    page = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "SESLIP 2027" in page and "Open campaign" in page


def test_create_refuses_an_unknown_instrument_and_a_blank_title(lead_client, post_form):
    response = post_form(lead_client, "/campaigns/new", {"instrument": "nope", "title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and "Enter a title" in page
    assert db.session.scalar(select(Campaign)) is None


def test_edit_title_dates_threshold_and_target_levels(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    url = f"/campaigns/{campaign.id}/edit"
    response = post_form(
        lead_client,
        url,
        {
            "title": "Renamed",
            "opens_on": "2027-01-10",
            "closes_on": "2027-03-01",
            "anonymity_threshold": "4",
            "target_head_of_service": "3",
            "target_team_manager": "1",
            "target_assistant_director": "3",
            "target_director": "4",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(campaign)
    assert campaign.title == "Renamed" and str(campaign.closes_on) == "2027-03-01"
    assert campaign.settings["anonymity_threshold"] == 4
    assert campaign.settings["target_levels"]["head_of_service"] == 3


def test_edit_refuses_a_threshold_below_two_and_backwards_dates(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/edit",
        {
            "title": "X",
            "anonymity_threshold": "1",
            "opens_on": "2027-02-01",
            "closes_on": "2027-01-01",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "between 2 and 50" in page and "on or after the opening date" in page
    db.session.refresh(campaign)
    assert campaign.title == "Test campaign"


def test_close_expires_links_and_reopen_restores_them(lead_client, post_form, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit")
    add_invitation(campaign)
    db.session.commit()
    detail = f"/campaigns/{campaign.id}"
    closed = post_form(lead_client, f"{detail}/status/close", {"confirm": "yes"}, get_url=detail)
    assert closed.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Campaign, campaign.id).is_open
    page = lead_client.get(detail).get_data(as_text=True)
    assert "every link has stopped working" in page and "Reopen campaign" in page
    post_form(lead_client, f"{detail}/status/open", get_url=detail)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).is_open


def test_archived_campaigns_cannot_be_reopened(lead_client, post_form, make_campaign):
    campaign = make_campaign()
    detail = f"/campaigns/{campaign.id}"
    post_form(lead_client, f"{detail}/status/archive", {"confirm": "yes"}, get_url=detail)
    response = post_form(lead_client, f"{detail}/status/open", get_url=detail)
    assert "cannot be reopened" in lead_client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).status == "archived"


def test_open_link_is_shown_once_and_can_be_switched_off(lead_client, post_form, make_campaign):
    campaign = make_campaign(instrument_key="seslip_aspiration_survey")
    detail = f"/campaigns/{campaign.id}"
    made = post_form(lead_client, f"{detail}/open-link", get_url=detail)
    assert made.status_code == 302  # post/redirect/get: a reload makes no second link
    page = lead_client.get(made.headers["Location"]).get_data(as_text=True)
    assert "http://localhost/o/" in page and "shown only once" in page
    reloaded = lead_client.get(made.headers["Location"]).get_data(as_text=True)
    assert "http://localhost/o/" not in reloaded and "already been shown" in reloaded
    db.session.refresh(campaign)
    assert campaign.open_token_hash and campaign.settings["open_link"] is True
    post_form(lead_client, f"{detail}/open-link", {"enabled": "0"}, get_url=detail)
    db.session.refresh(campaign)
    assert campaign.open_token_hash is None and campaign.settings["open_link"] is False


def test_dashboard_lists_status_and_response_rate(lead_client, make_campaign):
    campaign = make_campaign(instrument_key="skills_talent_audit", title="Audit 2027")
    links = [add_invitation(campaign) for _ in range(4)]
    links[0].invitation.status = "completed"
    db.session.commit()
    page = lead_client.get("/campaigns/").get_data(as_text=True)
    assert "Audit 2027" in page and "25%" in page


def test_campaign_page_leads_to_its_findings(lead_client, make_campaign):
    three_sixty = make_campaign(title="Cohort")
    survey = make_campaign("seslip_aspiration_survey", title="Survey")
    page = lead_client.get(f"/campaigns/{three_sixty.id}").get_data(as_text=True)
    assert f"/campaigns/{three_sixty.id}/cohort" in page
    page = lead_client.get(f"/campaigns/{survey.id}").get_data(as_text=True)
    assert f"/campaigns/{survey.id}/findings" in page


def test_participant_page_leads_to_their_report(lead_client, make_campaign):
    from survey_app.extensions import db
    from survey_app.people.services import add_participant

    campaign = make_campaign(title="Cohort")
    person = add_participant(campaign, "Asha Patel", "asha@example.org").participant
    db.session.commit()
    page = lead_client.get(f"/campaigns/{campaign.id}/participants/{person.id}").get_data(
        as_text=True
    )
    assert f"/campaigns/{campaign.id}/participants/{person.id}/report" in page
    assert "Feedback is open until the campaign closes" in page
    from survey_app.mixing.services import close_windows

    close_windows([person])
    db.session.commit()
    page = lead_client.get(f"/campaigns/{campaign.id}/participants/{person.id}").get_data(
        as_text=True
    )
    assert "Feedback has closed" in page and "not yet released" in page


def _dashboard_row(page: str, title: str) -> list[str]:
    import re

    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if title in r)
    return [cell.strip() for cell in re.findall(r'<td class="num">(.*?)</td>', row, re.S)]


def test_dashboard_counts_imported_responses_so_the_figures_agree(lead_client, make_campaign):
    from survey_app.models import Response

    survey = make_campaign(instrument_key="skills_talent_audit", title="Imported audit")
    links = [add_invitation(survey) for _ in range(4)]
    links[0].invitation.status = "completed"
    for _ in range(71):
        db.session.add(Response(campaign_id=survey.id, source="imp-a1b2c3"))
    three_sixty = make_campaign(title="Imported cohort")
    person = add_participant(three_sixty, "Asha Patel", "asha@example.org")
    imported = add_invitation(
        three_sixty, participant=person.participant, relationship="peer", source="imp-d4e5f6"
    ).invitation
    imported.status = "completed"
    db.session.commit()
    page = lead_client.get("/campaigns/").get_data(as_text=True)
    assert '<th scope="col" class="num">Imported</th>' in page
    assert "imported responses had no link and are counted apart" in page
    # Links, completed through links, imported, response rate of the links, responses stored.
    assert _dashboard_row(page, "Imported audit") == ["4", "1", "71", "25%", "71"]
    # The 360 import is not a link: one self-assessment link, nothing completed, one imported.
    assert _dashboard_row(page, "Imported cohort") == ["1", "0", "1", "0%", "0"]
