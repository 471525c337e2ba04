"""A link replaced by a newer one says so and whom to ask, instead of "Page not found"."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import ReplacedLink
from survey_app.people.services import add_invitation, add_participant
from survey_app.tokens import hash_token


def test_a_mail_merge_link_replaced_by_an_invitation_says_it_was_replaced(
    client, lead_client, post_form, make_campaign
):
    campaign = make_campaign(title="South East cohort")
    person = add_participant(campaign, "Asha Patel", "asha@example.org")
    add_invitation(campaign, person.participant, "peer", "Pat Peer", "pat@example.org")
    db.session.commit()
    detail = f"/campaigns/{campaign.id}"
    csv_file = post_form(lead_client, f"{detail}/links.csv", get_url=f"{detail}/links")
    rows = {
        row["name"]: row["url"]
        for row in csv.DictReader(io.StringIO(csv_file.get_data(as_text=True)))
    }
    rater_path = "/r/" + rows["Pat Peer"].rsplit("/r/", 1)[1]
    participant_path = "/p/" + rows["Asha Patel"].rsplit("/p/", 1)[1]
    assert client.get(rater_path).status_code == 200  # the mail-merge link works ...
    post_form(
        lead_client,
        f"{detail}/messages/invitation",
        {"confirm": "yes"},
        get_url=f"{detail}/messages/invitation",
    )
    # ... until the invitations carry fresh links: then it says what happened and what to do.
    for path in (rater_path, participant_path, f"{participant_path}/self"):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 410, path
        assert "This link has been replaced" in page and "Page not found" not in page
        assert "South East cohort" in page and "ask Regional Lead" in page
        assert "most recent email" in page
    # Only hashes of the dead links are kept, never a link.
    kept = db.session.scalars(select(ReplacedLink)).all()
    hashes = {row.token_hash for row in kept}
    for path in (rater_path, participant_path):
        token = path.rsplit("/", 1)[1]
        assert hash_token(token) in hashes
        assert all(token not in (row.token_hash, row.kind, row.campaign_id) for row in kept)
    # A token that never was a link is still plainly not found.
    assert client.get("/r/" + "x" * 32).status_code == 404


def test_a_replaced_open_link_says_so(client, lead_client, post_form, make_campaign):
    campaign = make_campaign("seslip_aspiration_survey", title="Aspirations")
    detail = f"/campaigns/{campaign.id}"
    first = post_form(lead_client, f"{detail}/open-link", get_url=detail)
    page = lead_client.get(first.headers["Location"]).get_data(as_text=True)
    old = "/o/" + page.split("http://localhost/o/")[1].split("<")[0]
    post_form(lead_client, f"{detail}/open-link", get_url=detail)
    response = client.get(old)
    assert response.status_code == 410
    assert "This link has been replaced" in response.get_data(as_text=True)
