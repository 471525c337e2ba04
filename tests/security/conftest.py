"""A world with two commissioners' campaigns, every kind of link, and URL builders for probing."""

from __future__ import annotations

import hashlib
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from survey_app.auth.services import create_user
from survey_app.campaigns.services import campaign_instrument, enable_open_link
from survey_app.coaching.regions import SupporterData, create_region, save_supporter
from survey_app.extensions import db
from survey_app.mail.services import record_message
from survey_app.people.services import add_invitation, add_participant
from survey_app.privacy.audiences import audience_of

PASSWORD = "correct horse battery"
PRIYA = "Priya Shah"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def world(app, commissioner, make_campaign):
    """Lead's 360 and survey campaigns (with links of every kind), and another lead's 360."""
    other = create_user("other@example.org", PASSWORD, name="Other Lead")
    admin = create_user("admin@example.org", PASSWORD, name="Admin", role="admin")
    db.session.commit()
    leaders = make_campaign("tiny_feedback", title="Leaders 2026")
    person = add_participant(leaders, PRIYA, "priya@example.org")
    peer = add_invitation(
        leaders,
        participant=person.participant,
        relationship="peer",
        name="Sam Peer",
        email="sam@example.org",
        source="participant",
    )
    survey = make_campaign("seslip_aspiration_survey", title="Aspirations")
    respondent = add_invitation(survey, name="Rita Respondent", email="rita@example.org")
    open_token = enable_open_link(survey)
    theirs = make_campaign("tiny_feedback", title="Their cohort", owner=other)
    stranger = add_participant(theirs, "Olu Other", "olu@example.org")
    message = record_message(
        leaders, "sam@example.org", "invitation", "peer", invitation=peer.invitation
    )
    imported, pending = _import_batches(survey)
    region = create_region(commissioner, "Lead's region", "Westshire\nEastbridge")
    supporter = save_supporter(
        region, SupporterData("Cal Coach", "cal@example.org", "Eastbridge", True, False, [], 2)
    )
    db.session.commit()
    key, item_id = _codebook_and_item(survey)
    return SimpleNamespace(
        imported_batch=imported.source,
        pending_batch=pending.id,
        lead=commissioner,
        other=other,
        admin=admin,
        leaders=leaders,
        survey=survey,
        theirs=theirs,
        participant=person.participant,
        participant_token=person.token,
        peer=peer.invitation,
        peer_token=peer.token,
        respondent_token=respondent.token,
        open_token=open_token,
        stranger=stranger.participant,
        stranger_token=stranger.token,
        codebook_key=key,
        item_id=item_id,
        message=message,
        region=region,
        supporter=supporter,
    )


def _import_batches(campaign):
    """An imported batch (to undo) and an upload waiting in its preview."""
    from survey_app.models import ImportBatch, utcnow

    imported = ImportBatch(
        campaign_id=campaign.id,
        source="imp-0a0b0c",
        status="imported",
        file_hash="0" * 64,
        filename="earlier.csv",
        imported_at=utcnow(),
        counts={"imported": 0},
    )
    pending = ImportBatch(
        campaign_id=campaign.id,
        source="imp-1a1b1c",
        file_hash="1" * 64,
        filename="new.csv",
        staged={
            "file": "CSV, comma-separated, UTF-8",
            "header_rows": [1],
            "columns": [[0, "gender", "", "question"]],
            "records": [[2, True, "", False, ["Female"]]],
        },
    )
    db.session.add_all([imported, pending])
    return imported, pending


def _codebook_and_item(campaign) -> tuple[str, str]:
    from survey_app.findings.themes import codebook_for

    instrument = campaign_instrument(campaign)
    for item in instrument.items:
        codebook = codebook_for(campaign, instrument, item.id)
        if codebook is not None:
            return codebook.key, item.id
    raise AssertionError("the survey instrument has no coded question")


def url_for_rule(rule, world, campaign=None, token=None) -> str:
    """The rule's URL filled with real ids of the lead's campaign (or `campaign`/`token`)."""
    campaign = campaign or world.leaders
    values = {
        "campaign_id": campaign.id,
        "participant_id": world.participant.id,
        "invitation_id": world.peer.id,
        "number": 1,
        "action": "close",
        "fmt": "csv",
        "kind": "invitation" if rule.endpoint in ("mail.send", "mail.confirm_send") else "csv",
        "key": world.codebook_key,
        "instrument_key": "resourceful_leader_360",
        "version": _bundled_version("resourceful_leader_360"),
        "audience": "rater",
        "export_format": "yaml",
        "item_id": world.item_id,
        "filename": "css/app.css",
        "message_id": world.message.id,
        "user_id": world.lead.id,
        "batch_id": world.pending_batch
        if rule.endpoint.startswith("campaigns.import_")
        else world.imported_batch,
        "proposal": "proposed_1",
        "region_id": world.region.id,
        "supporter_id": world.supporter.id,
        "match_id": "no-such-match",
        "entry_id": "no-entry",
        "token": token or _token_for(rule, world),
    }
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def _bundled_version(key: str) -> int:
    from survey_app.library.store import bundled

    return bundled()[key].version


def _token_for(rule, world) -> str:
    if rule.rule.startswith("/o/"):
        return world.open_token
    if rule.rule.startswith("/p/"):
        return world.participant_token
    return world.peer_token


def rules_of(app, audience: str, methods=("GET", "POST")):
    """(rule, method) pairs of every endpoint declared for `audience`."""
    return [
        (rule, method)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        for method in methods
        if method in rule.methods and audience_of(rule.endpoint) == audience
    ]


def csrf_of(client, url: str = "/sign-in") -> str:
    """This browser's CSRF token (one per session), read from a form page."""
    match = CSRF_FIELD.search(client.get(url).get_data(as_text=True))
    assert match, f"{url} has no CSRF token field"
    return match.group(1)


def sign_in(client, email: str) -> str:
    """Sign the client in as `email`; returns its CSRF token for later posts."""
    response = client.post(
        "/sign-in", data={"csrf_token": csrf_of(client), "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_of(client, "/campaigns/new")


def database_fingerprint() -> str:
    """A hash of every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        for row in sorted(repr(tuple(r)) for r in rows):
            digest.update(row.encode())
    return digest.hexdigest()


@pytest.fixture
def kit():
    """The helpers above, for test modules (test folders are not importable packages)."""
    return SimpleNamespace(
        PRIYA=PRIYA,
        PASSWORD=PASSWORD,
        csrf_of=csrf_of,
        sign_in=sign_in,
        fingerprint=database_fingerprint,
        rules_of=rules_of,
        url_for_rule=url_for_rule,
    )


@pytest.fixture
def attack_env(app, commissioner, sign_in):
    """For the attacker suites: the app, the commissioner's signed-in browser, the tiny 360."""
    from instruments import load_instrument
    from survey_app.library.store import bundled
    from tests.conftest import TINY_INSTRUMENT

    added = "tiny_feedback" not in bundled()
    if added:
        bundled()["tiny_feedback"] = load_instrument(TINY_INSTRUMENT)
    yield SimpleNamespace(app=app, lead=sign_in(app.test_client()), commissioner=commissioner)
    if added:
        bundled().pop("tiny_feedback", None)
