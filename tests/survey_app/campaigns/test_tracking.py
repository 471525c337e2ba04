"""Progress by relationship: invited, started and completed counts."""

from survey_app.extensions import db
from survey_app.people.services import add_invitation, add_participant


def test_progress_counts_by_group_on_campaign_and_participant_pages(lead_client, make_campaign):
    campaign = make_campaign()
    asha = add_participant(campaign, "Asha", "asha@example.org").participant
    peers = [add_invitation(campaign, asha, "peer", f"Peer {n}").invitation for n in range(3)]
    peers[0].status = "completed"
    peers[1].status = "started"
    db.session.commit()
    for url in (f"/campaigns/{campaign.id}", f"/campaigns/{campaign.id}/participants/{asha.id}"):
        page = " ".join(lead_client.get(url).get_data(as_text=True).split())
        assert (
            '<th scope="row">Peer</th><td class="num">3</td><td class="num">2</td>'
            '<td class="num">1</td>'
        ) in page, url
        assert (
            '<th scope="row">Self</th><td class="num">1</td><td class="num">0</td>'
            '<td class="num">0</td>'
        ) in page, url
    participant_page = lead_client.get(f"/campaigns/{campaign.id}/participants/{asha.id}")
    assert "Peer 0" not in participant_page.get_data(as_text=True)


def test_pages_and_reminders_treat_as_individual_exactly_whom_the_mix_does(make_campaign):
    # Two copies of this rule had drifted: the mix read the instrument's relationships, the
    # pages, exports and reminders the campaign's settings. A campaign that lists relationships
    # without flags must not make the line manager a group on one side and a person on the other.
    from analysis.anonymity import individual_relationships as mixed_individually
    from survey_app.campaigns.services import campaign_instrument
    from survey_app.campaigns.tracking import individual_relationships

    campaign = make_campaign(
        settings={
            "relationships": [
                {"id": "line_manager", "label": "Line manager"},
                {"id": "peer", "label": "Peer"},
            ]
        }
    )
    mixed = mixed_individually(campaign_instrument(campaign).relationships)
    assert "line_manager" in mixed
    assert individual_relationships(campaign) == {"self"} | mixed
