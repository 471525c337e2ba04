"""Who may read which report: release gating, other commissioners, shares with and without names."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AuditEvent, CampaignShare

RATERS = [("self", 3), ("line_manager", 2), ("peer", 3), ("peer", 2), ("peer", 4)]


def staff_url(link, suffix="report"):
    participant = link.participant
    return f"/campaigns/{participant.campaign_id}/participants/{participant.id}/{suffix}"


def test_report_waits_for_release_then_opens(client, lead_client, make_participant):
    link = make_participant(RATERS, released=False)
    for url in (f"/p/{link.token}/report", f"/p/{link.token}/report.pdf", f"/p/{link.token}/plan"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Your report is not ready yet" in response.get_data(as_text=True)
    assert client.get("/p/not-a-real-token-at-all-xxxxxxxxxxxx/report").status_code == 404

    page = lead_client.get(staff_url(link)).get_data(as_text=True)
    assert "not</strong> been released" in page
    lead_client.post(
        staff_url(link, "release"),
        data={"release": "1", "confirm": "yes", "csrf_token": _csrf(page)},
    )
    response = client.get(f"/p/{link.token}/report")
    assert response.status_code == 200
    assert "360 feedback report: Amira Hussain" in response.get_data(as_text=True)


def _csrf(page: str) -> str:
    from tests.conftest import csrf_from

    return csrf_from(page)


def test_another_commissioner_gets_not_found(client, make_participant, other_commissioner, sign_in):
    link = make_participant(RATERS)
    sign_in(client, "other@example.org")
    campaign_id = link.participant.campaign_id
    for url in (
        staff_url(link),
        staff_url(link, "report.pdf"),
        staff_url(link, "report.json"),
        f"/campaigns/{campaign_id}/cohort",
        f"/campaigns/{campaign_id}/cohort.csv",
        f"/campaigns/{campaign_id}/cohort.xlsx",
        f"/campaigns/{campaign_id}/report.json",
    ):
        assert client.get(url).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(client, make_participant):
    link = make_participant(RATERS)
    response = client.get(f"/campaigns/{link.participant.campaign_id}/cohort")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_share_without_names_sees_pseudonyms_and_no_individual_report(
    client, make_participant, other_commissioner, sign_in
):
    link = make_participant(RATERS)
    make_participant(
        RATERS, campaign=link.participant.campaign, name="Ben Okafor", email="ben@example.org"
    )
    db.session.add(
        CampaignShare(
            campaign_id=link.participant.campaign_id,
            user_id=other_commissioner.id,
            can_see_names=False,
        )
    )
    db.session.commit()
    sign_in(client, "other@example.org")
    cohort = client.get(f"/campaigns/{link.participant.campaign_id}/cohort")
    text = cohort.get_data(as_text=True)
    assert cohort.status_code == 200
    assert "Amira Hussain" not in text and "Ben Okafor" not in text
    assert "Participant A" in text and "Participant B" in text
    csv_text = client.get(
        f"/campaigns/{link.participant.campaign_id}/cohort.csv?table=heat_map"
    ).get_data(as_text=True)
    assert "Amira" not in csv_text and "Participant A" in csv_text
    assert client.get(staff_url(link)).status_code == 403
    assert client.get(f"/campaigns/{link.participant.campaign_id}/report.json").status_code == 403


def test_share_with_names_sees_names(client, make_participant, other_commissioner, sign_in):
    link = make_participant(RATERS)
    db.session.add(
        CampaignShare(
            campaign_id=link.participant.campaign_id,
            user_id=other_commissioner.id,
            can_see_names=True,
        )
    )
    db.session.commit()
    sign_in(client, "other@example.org")
    cohort = client.get(f"/campaigns/{link.participant.campaign_id}/cohort")
    assert "Amira Hussain" in cohort.get_data(as_text=True)
    assert client.get(staff_url(link)).status_code == 200


def test_views_and_exports_are_audited(lead_client, make_participant):
    link = make_participant(RATERS)
    campaign_id = link.participant.campaign_id
    lead_client.get(staff_url(link))
    lead_client.get(f"/campaigns/{campaign_id}/cohort")
    lead_client.get(f"/campaigns/{campaign_id}/cohort.xlsx")
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.detail).where(AuditEvent.campaign_id == campaign_id)
    ).all()
    assert ("report_view", f"participant report {link.participant.id}") in events
    assert ("report_view", "cohort report") in events
    assert ("export", "cohort XLSX") in events


def test_releasing_a_report_asks_first(client, lead_client, make_participant, post_form):
    link = make_participant(RATERS, released=False)
    report = staff_url(link)
    page = lead_client.get(report).get_data(as_text=True)
    assert f'href="{staff_url(link, "release")}"' in page  # a link to the question, not a post
    one_click = post_form(lead_client, staff_url(link, "release"), {"release": "1"}, get_url=report)
    assert one_click.headers["Location"].endswith(staff_url(link, "release"))
    assert client.get(f"/p/{link.token}/report").status_code == 403
    ask = lead_client.get(staff_url(link, "release")).get_data(as_text=True)
    assert "Release the report to Amira Hussain?" in ask and "does not change" in ask
    assert 'name="release" value="1"' in ask and 'name="confirm" value="yes"' in ask
    post_form(
        lead_client,
        staff_url(link, "release"),
        {"release": "1", "confirm": "yes"},
        get_url=staff_url(link, "release"),
    )
    assert client.get(f"/p/{link.token}/report").status_code == 200
    # Withdrawing is one step: it takes nothing away that cannot be given back.
    page = lead_client.get(report).get_data(as_text=True)
    post_form(lead_client, staff_url(link, "release"), {"release": "0"}, get_url=report)
    assert client.get(f"/p/{link.token}/report").status_code == 403
