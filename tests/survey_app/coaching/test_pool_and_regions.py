"""Regions keep their own authorities and neighbours; the pool refuses what it cannot match on."""

from __future__ import annotations

import pytest

from survey_app.coaching.models import Region
from survey_app.coaching.regions import (
    RegionError,
    SupporterData,
    parse_neighbours,
    save_supporter,
    update_region,
)
from survey_app.extensions import db

pytestmark = pytest.mark.db


def test_neighbours_are_checked_line_by_line_against_the_regions_authorities():
    pairs, problems = parse_neighbours(
        "Westshire | Eastbridge\nwestshire|  EASTBRIDGE\nEastbrige | Northgate\nSouthport\n"
        "Riverside | Riverside",
        ["Westshire", "Eastbridge", "Northgate", "Southport", "Riverside"],
    )
    assert pairs == [["Westshire", "Eastbridge"]]  # the second line repeats the first
    assert problems == [
        "Line 3: 'Eastbrige' is not one of the region's authorities; did you mean 'Eastbridge'?",
        "Line 4: write two authorities separated by '|', for example "
        "'Westshire County Council | Eastbridge Borough Council'",
        "Line 5: an authority cannot neighbour itself",
    ]


def test_a_bad_region_edit_saves_nothing(region):
    with pytest.raises(RegionError) as refused:
        update_region(region, "South East", "Westshire\nEastbridge", "Westshire | Northgate", 730)
    assert "'Northgate' is not one of the region's authorities" in refused.value.problems[0]
    db.session.rollback()
    fresh = db.session.get(Region, region.id)
    assert "Northgate" in fresh.authorities and ["Northgate", "Westshire"] in fresh.neighbours


def test_an_authority_with_coaches_in_the_pool_cannot_be_dropped(region):
    from tests.survey_app.coaching.conftest import add_supporter

    add_supporter(region, "Grace Mensah", "Riverside", [])
    with pytest.raises(RegionError) as refused:
        update_region(region, "South East", "Westshire\nEastbridge\nNorthgate\nSouthport", "", 730)
    assert refused.value.problems == [
        "Coaches or mentors in the pool are from Riverside: keep those authorities in the list"
    ]


def test_a_supporter_must_be_from_one_of_the_authorities_and_offer_something(region):
    with pytest.raises(RegionError) as refused:
        save_supporter(
            region, SupporterData("Kofi Boateng", "kofi@", "Riversyde", False, False, [], 2)
        )
    problems = refused.value.problems
    assert problems[0] == (
        "'Riversyde' is not one of the region's authorities; did you mean 'Riverside'?"
    )
    assert problems[1] == "Say whether they coach, mentor or both"
    assert "not a valid email address" in problems[2]


def test_strengths_can_come_from_the_supporters_own_released_360(region, make_participant):
    from survey_app.coaching.regions import use_own_360
    from tests.survey_app.coaching.conftest import add_supporter

    link = make_participant(
        [("line_manager", 2), ("peer", 2), ("peer", 2), ("peer", 2)],
        name="Grace Mensah",
        email="grace@example.org",
        released=False,
    )
    grace = add_supporter(region, "Grace Mensah", "Riverside", ["ability_to_simplify"])
    assert not use_own_360(grace, {link.participant.campaign_id})  # not released to her yet
    link.participant.report_released = True
    assert use_own_360(grace, {link.participant.campaign_id})
    assert len(grace.strengths) == 3 and grace.strengths_source == "own_360"
    # A campaign the commissioner cannot see is never read.
    grace.strengths = ["ability_to_simplify"]
    assert not use_own_360(grace, set())


def test_only_the_regions_owner_opens_its_pages(
    client, region, other_commissioner, sign_in, post_form
):
    from tests.survey_app.coaching.conftest import add_supporter

    grace = add_supporter(region, "Grace Mensah", "Riverside", [])
    sign_in(client, "other@example.org")
    pages = [
        f"/regions/{region.id}",
        f"/regions/{region.id}/talent",
        f"/regions/{region.id}/pool/new",
        f"/regions/{region.id}/pool/{grace.id}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Grace Mensah" not in response.get_data(as_text=True)
    assert "South East" not in client.get("/regions").get_data(as_text=True)


def test_the_region_page_saves_neighbours_and_shows_located_problems(
    lead_client, region, post_form
):
    url = f"/regions/{region.id}"
    data = {
        "name": "South East",
        "authorities": "\n".join(region.authorities),
        "talent_retention_days": "365",
        "neighbours": "Southport | Riverside\nNorthgat | X",
    }
    page = post_form(lead_client, url, data).get_data(as_text=True)
    assert "Line 2: &#39;Northgat&#39; is not one of the region&#39;s authorities" in page
    assert "Nothing was saved." in page
    data["neighbours"] = "Southport | Riverside"
    assert post_form(lead_client, url, data).status_code == 302
    assert db.session.get(Region, region.id).neighbours == [["Southport", "Riverside"]]


def test_the_programme_page_saves_region_offer_and_sponsor_rule(
    lead_client, make_campaign, region, post_form
):
    from survey_app.coaching.models import programme_settings
    from survey_app.models import Campaign

    cohort = make_campaign(title="Leaders 2027")
    url = f"/campaigns/{cohort.id}/support"
    page = post_form(lead_client, url, {"region": region.id, "sessions_offered": "40"})
    assert "Enter a number from 1 to 20" in page.get_data(as_text=True)
    assert (
        post_form(
            lead_client,
            url,
            {"region": region.id, "sessions_offered": "5", "sponsor_required": "y"},
        ).status_code
        == 302
    )
    settings = programme_settings(db.session.get(Campaign, cohort.id).settings)
    assert (
        settings["region_id"],
        settings["sessions_offered"],
        settings["sponsor_required"],
        settings["talent_pool"],
    ) == (region.id, 5, True, False)
