"""Sharing a campaign read-only with another commissioner, from the page and the CLI."""

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import CampaignShare
from survey_app.people.services import add_participant


def test_owner_shares_without_names_and_the_colleague_sees_pseudonyms(
    client, lead_client, post_form, make_campaign, other_commissioner, sign_in
):
    campaign = make_campaign(title="Cohort")
    person = add_participant(campaign, "Asha Patel", "asha@example.org").participant
    db.session.commit()
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/shares",
        {"email": "Other@Example.org"},
        get_url=f"/campaigns/{campaign.id}",
    )
    assert response.status_code == 302
    page = lead_client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "other@example.org" in page and "Pseudonyms" in page

    colleague = sign_in(client.application.test_client(), "other@example.org")
    assert colleague.get(f"/campaigns/{campaign.id}").status_code == 200
    report = colleague.get(f"/campaigns/{campaign.id}/participants/{person.id}/report")
    assert report.status_code == 403
    change = post_form(
        colleague, f"/campaigns/{campaign.id}/status/close", get_url=f"/campaigns/{campaign.id}"
    )
    assert change.status_code == 403


def test_sharing_with_an_unknown_address_changes_nothing(lead_client, post_form, make_campaign):
    campaign = make_campaign(title="Cohort")
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/shares",
        {"email": "nobody@example.org", "names": "1"},
        get_url=f"/campaigns/{campaign.id}",
    )
    # Shown at once (no redirect past the message), with the form as it was filled in.
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is no account for nobody@example.org" in page
    assert "Ask an administrator to create an account" in page
    assert "survey-app" not in page and "create-user" not in page
    assert 'value="nobody@example.org"' in page
    assert 'id="share-names" name="names" value="1" checked' in page
    assert "<title>Error: Cohort" in page
    assert db.session.scalar(select(CampaignShare)) is None


def test_sharing_with_a_malformed_address_puts_the_error_first(
    lead_client, post_form, make_campaign
):
    campaign = make_campaign(title="Cohort")
    response = post_form(
        lead_client,
        f"/campaigns/{campaign.id}/shares",
        {"email": "not-an-email"},
        get_url=f"/campaigns/{campaign.id}",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    main = page.split('<main id="main-content"', 1)[1]
    summary = main.index('class="error-summary"')
    assert summary < main.index("<h1") and 'href="#share-email"' in main
    assert 'id="share-email-error"' in main and 'value="not-an-email"' in main


def test_a_colleague_with_a_share_cannot_share_it_further(
    client, post_form, make_campaign, other_commissioner, sign_in, cli
):
    campaign = make_campaign(title="Cohort")
    cli.invoke(args=["campaign", "share", campaign.id, "other@example.org"])
    colleague = sign_in(client, "other@example.org")
    response = post_form(
        colleague,
        f"/campaigns/{campaign.id}/shares",
        {"email": "lead@example.org"},
        get_url=f"/campaigns/{campaign.id}",
    )
    assert response.status_code == 403


def test_cli_shares_with_names_and_removes_the_share(cli, make_campaign, other_commissioner):
    campaign = make_campaign(title="Cohort")
    result = cli.invoke(args=["campaign", "share", campaign.id, "other@example.org", "--names"])
    assert result.exit_code == 0, result.output
    share = db.session.scalar(select(CampaignShare))
    assert share.user_id == other_commissioner.id and share.can_see_names
    result = cli.invoke(args=["campaign", "share", campaign.id, "other@example.org", "--remove"])
    assert result.exit_code == 0 and "no longer shared" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(CampaignShare)) is None


def test_cli_refuses_to_share_with_the_owner(cli, make_campaign):
    campaign = make_campaign(title="Cohort")
    result = cli.invoke(args=["campaign", "share", campaign.id, "lead@example.org"])
    assert result.exit_code == 1 and "owns this campaign" in result.output
