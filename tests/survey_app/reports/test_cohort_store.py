"""The stored cohort report: computed by the background job, served as a lookup, kept newest.

Every test runs on SQLite and PostgreSQL; the RQ tests use the real Redis on 6379 (db 7) and a
real `rq` SimpleWorker in burst mode.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
import time_machine
from redis import Redis
from rq import Queue, SimpleWorker

from analysis.cohort import cohort_summary
from survey_app.campaigns.services import campaign_settings
from survey_app.extensions import db
from survey_app.mixing.services import close_windows
from survey_app.models import CampaignShare, CohortReportStore
from survey_app.privacy.services import erase_participant
from survey_app.reports.jobs import QUEUE
from survey_app.reports.services import campaign_results
from survey_app.reports.store import compute_cohort, save_cohort

REDIS_TEST_URL = "redis://127.0.0.1:6379/7"
RATERS = [("self", 3), ("line_manager", 2), ("peer", 3), ("peer", 2), ("peer", 4)]
HIGHER = [("self", 2), ("line_manager", 4), ("peer", 4), ("peer", 3), ("peer", 4)]


def cohort_url(campaign_id: str, suffix: str = "") -> str:
    return f"/campaigns/{campaign_id}/cohort{suffix}"


def heat_map_csv(client, campaign_id: str) -> list[list[str]]:
    return list(
        csv.reader(
            io.StringIO(
                client.get(cohort_url(campaign_id, ".csv?table=heat_map")).get_data(as_text=True)
            )
        )
    )


def stored(campaign_id: str) -> CohortReportStore:
    db.session.expire_all()
    return db.session.get(CohortReportStore, campaign_id)


def test_the_stored_report_equals_a_fresh_computation(make_participant):
    first = make_participant(RATERS)
    campaign = first.participant.campaign
    make_participant(HIGHER, campaign=campaign, name="Ben Okafor", email="ben@example.org")
    make_participant(
        [("line_manager", 1), ("peer", 2), ("peer", 1), ("peer", 2)],
        campaign=campaign,
        name="Chloe Adeyemi",
        email="chloe@example.org",
    )
    instrument, participants, results, raters = campaign_results(campaign)
    live = cohort_summary(
        instrument, results, int(campaign_settings(campaign)["anonymity_threshold"]), raters
    )
    row = stored(campaign.id)
    assert row.computed_version == row.data_version
    assert row.data["summary"] == json.loads(json.dumps(live))
    assert row.data["participants"] == [p.id for p in participants]
    assert row.data["summary"]["technical_note"]["behaviours"]  # reliability was computed


def test_a_closed_window_recomputes_and_the_page_shows_the_new_figures_and_time(
    lead_client, make_participant
):
    with time_machine.travel(datetime(2026, 12, 1, 16, 40, tzinfo=UTC), tick=False):
        first = make_participant(RATERS)
    campaign_id = first.participant.campaign_id
    page = lead_client.get(cohort_url(campaign_id)).get_data(as_text=True)
    assert "Computed 1 Dec 2026 at 16:40" in page and "update is under way" not in page
    assert [row[0] for row in heat_map_csv(lead_client, campaign_id)[1:]] == ["Amira Hussain"]
    with time_machine.travel(datetime(2026, 12, 1, 17, 5, tzinfo=UTC), tick=False):
        make_participant(
            HIGHER, campaign=first.participant.campaign, name="Ben Okafor", email="ben@example.org"
        )
    page = lead_client.get(cohort_url(campaign_id)).get_data(as_text=True)
    assert "Computed 1 Dec 2026 at 17:05" in page
    rows = heat_map_csv(lead_client, campaign_id)
    assert [row[0] for row in rows[1:]] == ["Amira Hussain", "Ben Okafor"]
    # Ben's line manager and peers gave 4, 4, 3 and 4: others' mean 15 / 4
    assert rows[2][1:] == ["3.75"] * 8


def test_a_window_closed_in_a_request_is_included_once_the_response_is_sent(
    lead_client, make_participant, post_form
):
    first = make_participant(RATERS)
    campaign = first.participant.campaign
    waiting = make_participant(
        HIGHER, campaign=campaign, name="Ben Okafor", email="ben@example.org", close=False
    )
    person_url = f"/campaigns/{campaign.id}/participants/{waiting.participant.id}"
    response = post_form(lead_client, person_url + "/window/close", get_url=person_url + "/report")
    assert response.status_code == 302
    # The job runs in this process once the response is sent (the server closes it).
    page = lead_client.get(cohort_url(campaign.id)).get_data(as_text=True)
    assert "Ben Okafor" not in page and "Newer data is waiting" in page
    response.close()
    page = lead_client.get(cohort_url(campaign.id)).get_data(as_text=True)
    assert "Ben Okafor" in page and "Newer data is waiting" not in page


def test_a_stale_job_cannot_overwrite_a_newer_result(make_participant):
    first = make_participant(RATERS)
    campaign = first.participant.campaign
    old_version = stored(campaign.id).data_version
    old = compute_cohort(campaign)  # a slow job that read the data at this version...
    make_participant(HIGHER, campaign=campaign, name="Ben Okafor", email="ben@example.org")
    newer = stored(campaign.id)
    assert newer.computed_version > old_version and len(newer.data["participants"]) == 2
    assert save_cohort(campaign.id, old, old_version) is False  # ...finishes too late
    db.session.commit()
    assert stored(campaign.id).data["participants"] == newer.data["participants"]


def test_before_the_first_computation_the_page_says_it_is_being_computed(
    lead_client, make_participant
):
    link = make_participant(RATERS)
    campaign_id = link.participant.campaign_id
    db.session.delete(stored(campaign_id))  # as for a campaign from before the store
    db.session.commit()
    response = lead_client.get(cohort_url(campaign_id))
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The cohort report is being computed" in text
    assert f'href="{cohort_url(campaign_id)}"' in text  # a refresh link, no script needed
    download = lead_client.get(cohort_url(campaign_id, ".csv?table=heat_map"))
    assert download.status_code == 202 and "being computed" in download.get_data(as_text=True)
    assert download.headers["Retry-After"] == "30" and download.mimetype == "text/html"
    response.close()  # the view scheduled the first computation after its response
    assert "Amira Hussain" in lead_client.get(cohort_url(campaign_id)).get_data(as_text=True)


def test_the_heat_map_is_paginated_and_the_full_tables_are_downloads(
    app, lead_client, make_participant
):
    app.config["COHORT_PER_PAGE"] = 2
    first = make_participant(RATERS, name="Cara Doyle")
    campaign = first.participant.campaign
    for name in ("Abel Stone", "Bea Lyons"):
        make_participant(HIGHER, campaign=campaign, name=name, email=f"{name[:3]}@example.org")
    page_one = lead_client.get(cohort_url(campaign.id)).get_data(as_text=True)
    heat_one = _heat_table(page_one)
    assert "Abel Stone" in heat_one and "Bea Lyons" in heat_one and "Cara Doyle" not in heat_one
    assert "Participants 1 to 2 of 3 (page 1 of 2)" in page_one
    assert re.search(r'href="[^"]*page=2[^"]*" rel="next">Next page', page_one)
    page_two = lead_client.get(cohort_url(campaign.id, "?page=2")).get_data(as_text=True)
    assert "Cara Doyle" in _heat_table(page_two) and "Abel Stone" not in _heat_table(page_two)
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>2', page_two)
    assert "Cara Doyle" in _heat_table(
        lead_client.get(cohort_url(campaign.id, "?page=99")).get_data(as_text=True)
    )  # kept in range
    for table in ("heat_map", "heat_map_relative"):
        rows = list(
            csv.reader(
                io.StringIO(
                    lead_client.get(cohort_url(campaign.id, f".csv?table={table}")).get_data(
                        as_text=True
                    )
                )
            )
        )
        assert [row[0] for row in rows[1:]] == ["Abel Stone", "Bea Lyons", "Cara Doyle"]


def _heat_table(page: str) -> str:
    return page.split('id="heat-map-table"')[1].split("</table>")[0]


def test_the_store_holds_no_names_and_each_viewer_gets_theirs(
    client, lead_client, make_participant, other_commissioner, sign_in
):
    link = make_participant(RATERS)
    campaign_id = link.participant.campaign_id
    data = json.dumps(stored(campaign_id).data)
    assert "Amira" not in data and "amira@example.org" not in data and "Westshire" not in data
    db.session.add(
        CampaignShare(campaign_id=campaign_id, user_id=other_commissioner.id, can_see_names=False)
    )
    db.session.commit()
    assert "Amira Hussain" in lead_client.get(cohort_url(campaign_id)).get_data(as_text=True)
    sign_in(client, "other@example.org")
    shared = client.get(cohort_url(campaign_id)).get_data(as_text=True)
    assert "Amira Hussain" not in shared and "Participant A" in shared


def test_an_erased_participant_leaves_the_stored_report(make_participant):
    first = make_participant(RATERS)
    campaign = first.participant.campaign
    ben = make_participant(HIGHER, campaign=campaign, name="Ben Okafor", email="ben@example.org")
    ben_id = ben.participant.id
    assert ben_id in stored(campaign.id).data["participants"]
    erase_participant(ben.participant)
    db.session.commit()
    data = stored(campaign.id).data
    assert ben_id not in json.dumps(data)
    assert data["summary"]["participants"] == 1


@pytest.fixture
def redis_queue(app):
    """REDIS_URL set: jobs go to a real RQ queue on a Redis database of the tests' own."""
    redis = Redis.from_url(REDIS_TEST_URL)
    redis.flushdb()
    app.config["REDIS_URL"] = REDIS_TEST_URL
    yield Queue(QUEUE, connection=redis)
    redis.flushdb()


def test_with_redis_the_job_runs_on_an_rq_worker(lead_client, make_participant, redis_queue):
    link = make_participant(RATERS)
    campaign_id = link.participant.campaign_id
    assert redis_queue.count == 1
    assert "being computed" in lead_client.get(cohort_url(campaign_id)).get_data(as_text=True)
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    assert redis_queue.count == 0
    page = lead_client.get(cohort_url(campaign_id)).get_data(as_text=True)
    assert "Amira Hussain" in page and "Computed " in page


def test_a_burst_of_changes_causes_one_recomputation(make_participant, redis_queue):
    link = make_participant(RATERS)
    campaign = link.participant.campaign
    for name in ("Ben Okafor", "Chloe Adeyemi", "Dev Patel"):
        make_participant(HIGHER, campaign=campaign, name=name, email=f"{name[:3]}@example.org")
    assert redis_queue.count == 1  # four windows closed, one job waiting
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    worker.work(burst=True)
    assert redis_queue.finished_job_registry.count == 1
    row = stored(campaign.id)
    assert row.computed_version == row.data_version == 4
    assert len(row.data["participants"]) == 4


def test_windows_of_two_campaigns_closed_in_one_transaction_both_recompute(
    make_campaign, make_participant
):
    # The second campaign's first change opens a savepoint; releasing it is no commit, so the
    # first campaign's job must still wait for (and run after) the real one.
    first = make_participant(RATERS, campaign=make_campaign(title="North"), close=False)
    second = make_participant(
        RATERS, campaign=make_campaign(title="South"), close=False, email="amira.south@example.org"
    )
    close_windows([first.participant, second.participant])
    db.session.commit()
    for link in (first, second):
        row = stored(link.participant.campaign_id)
        assert row.computed_version == row.data_version
        assert row.data["participants"] == [link.participant.id]
