"""The talent pool: named self-nomination kept apart from the audit's answers, consent recorded,
retention applied, erasure by the person's link, by the commissioner and with the participant."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from survey_app.coaching.services import set_programme
from survey_app.extensions import db
from survey_app.mail.services import LINK_PLACEHOLDER
from survey_app.models import Message, Participant, today
from survey_app.people.services import add_invitation
from survey_app.respond import claims
from survey_app.respond.services import record_submitted
from survey_app.talent.models import TalentEntry

pytestmark = pytest.mark.db


@pytest.fixture
def audit(make_campaign, region):
    campaign = make_campaign("skills_talent_audit", title="Skills audit")
    set_programme(campaign, region, 3, False, True)
    db.session.commit()
    return campaign


def _respondent(audit, client=None, answered=True):
    """A respondent's link, claimed by `client`'s browser as when they started answering."""
    link = add_invitation(audit)
    if client is not None:
        secret, _ = claims.claim(link.invitation)
        client.set_cookie(claims.CLAIM_COOKIE, secret, path=f"/r/{link.token}")
    if answered:
        record_submitted(link.invitation, {"career_progression": ["yes"]})
    db.session.commit()
    return link.token


def _join(client, post_form, token, **extra):
    data = {
        "name": "Lena Fischer",
        "email": "lena@example.org",
        "organisation": "Hillford",
        "current_role": "Head of service",
        "interests": ["mentoring", "360"],
        **extra,
    }
    return post_form(client, f"/r/{token}/talent-pool", data)


def test_a_respondent_names_themself_on_a_separate_page_after_answering(
    app, client, audit, post_form
):
    early = _respondent(audit, client, answered=False)
    assert client.get(f"/r/{early}/talent-pool").status_code == 404  # only after answering
    token = _respondent(audit, client)
    # A forwarded link without this browser's claim cannot learn that it was used.
    assert app.test_client().get(f"/r/{token}/talent-pool").status_code == 404
    done = client.get(f"/r/{token}/done").get_data(as_text=True)
    assert f"/r/{token}/talent-pool" in done
    page = _join(client, post_form, token).get_data(as_text=True)  # no consent ticked
    assert "Tick the box to say you agree" in page
    assert db.session.scalar(select(func.count()).select_from(TalentEntry)) == 0
    joined = _join(client, post_form, token, consent="y").get_data(as_text=True)
    assert "You have joined South East" in joined
    entry = db.session.scalar(select(TalentEntry))
    assert (entry.name, entry.source, entry.interests) == (
        "Lena Fischer",
        "skills_audit",
        ["mentoring", "360"],
    )
    assert entry.consented_on == today()
    assert entry.keep_until == today() + timedelta(days=730)
    assert "kept apart from my questionnaire answers" in entry.consent_text
    message = db.session.scalar(select(Message).where(Message.kind == "talent_pool"))
    assert message.to_address == "lena@example.org" and LINK_PLACEHOLDER in message.body


def test_an_entry_holds_nothing_that_ties_it_to_the_answers(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("talent_entries")}
    assert not columns & {
        "invitation_id",
        "response_id",
        "created_at",
        "submitted_at",
        "token",
        "claim_hash",
    }
    assert {"consent_text", "consented_on", "keep_until"} <= columns


def test_without_a_talent_pool_the_audit_offers_none(client, audit, region):
    set_programme(audit, region, 3, False, False)
    token = _respondent(audit, client)
    assert "talent-pool" not in client.get(f"/r/{token}/done").get_data(as_text=True)
    assert client.get(f"/r/{token}/talent-pool").status_code == 404


def test_the_person_withdraws_with_their_own_link(lead_client, app, audit, post_form):
    person = app.test_client()
    _join(person, post_form, _respondent(audit, person), consent="y")
    message = db.session.scalar(select(Message).where(Message.kind == "talent_pool"))
    shown = post_form(
        lead_client,
        f"/campaigns/{audit.id}/messages/{message.id}/reveal",
        get_url=f"/campaigns/{audit.id}/messages",
    ).get_data(as_text=True)
    token = re.search(r"/t/([\w-]+)", shown).group(1)
    person = app.test_client()
    assert "Kept until" in person.get(f"/t/{token}").get_data(as_text=True)
    erased = post_form(person, f"/t/{token}").get_data(as_text=True)
    assert "Your entry has been erased" in erased
    assert db.session.scalar(select(func.count()).select_from(TalentEntry)) == 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(Message).where(Message.kind == "talent_pool")
        )
        == 0
    )
    assert person.get(f"/t/{token}").status_code == 404


def test_retention_erases_entries_past_their_date(cli, app, audit, post_form):
    person = app.test_client()
    _join(person, post_form, _respondent(audit, person), consent="y")
    entry = db.session.scalar(select(TalentEntry))
    entry.keep_until = today() - timedelta(days=1)
    db.session.commit()
    dry = cli.invoke(args=["purge", "--dry-run"])
    assert "Would erase 1 talent-pool entry" in dry.output
    assert db.session.scalar(select(func.count()).select_from(TalentEntry)) == 1
    result = cli.invoke(args=["purge"])
    assert "Erased 1 talent-pool entry past their retention date" in result.output
    assert db.session.scalar(select(func.count()).select_from(TalentEntry)) == 0


def test_a_participant_joins_and_erasing_them_erases_their_entry(
    client, cohort, make_participant, post_form
):
    from survey_app.privacy.services import erase_participant

    link = make_participant([("line_manager", 2)], campaign=cohort, close=False)
    url = f"/p/{link.token}/talent-pool"
    assert "Amira Hussain" in client.get(url).get_data(as_text=True)  # prefilled
    post_form(client, url, {"name": "Amira Hussain", "email": "amira@example.org", "consent": "y"})
    entry = db.session.scalar(select(TalentEntry))
    assert entry.source == "programme" and entry.participant_id == link.participant.id
    erase_participant(db.session.get(Participant, link.participant.id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TalentEntry)) == 0


def test_the_register_carries_people_into_a_campaign_and_erases_on_request(
    lead_client, app, audit, region, make_campaign, post_form
):
    person = app.test_client()
    _join(person, post_form, _respondent(audit, person), consent="y")
    later = make_campaign(title="Leaders 2027")
    entry = db.session.scalar(select(TalentEntry))
    url = f"/regions/{region.id}/talent"
    page = lead_client.get(url).get_data(as_text=True)
    assert "Lena Fischer" in page and "Skills and talent audit (self-nomination)" in page
    refused = post_form(lead_client, url, {"campaign": later.id}).get_data(as_text=True)
    assert "Tick the people to include" in refused
    done = post_form(lead_client, url, {"entry": entry.id, "campaign": later.id})
    assert done.status_code == 302
    assert [p.name for p in db.session.get(type(later), later.id).participants] == ["Lena Fischer"]
    post_form(
        lead_client,
        url,
        {"entry": entry.id, "offer": "masterclass", "title": "Finance for directors"},
    )
    assert [o["title"] for o in db.session.get(TalentEntry, entry.id).offers] == [
        "Leaders 2027",
        "Finance for directors",
    ]
    post_form(lead_client, f"{url}/{entry.id}/erase", get_url=url)
    assert db.session.get(TalentEntry, entry.id) is None


def test_with_a_talent_pool_no_name_is_kept_with_the_audits_answers(audit, region):
    from survey_app.mixing.services import mix_survey_batch
    from survey_app.models import Answer, Response

    for name in ("Lena Fischer", "Omar Haddad", "Jo Bloggs"):
        record_submitted(
            add_invitation(audit).invitation, {"name": [name], "career_progression": ["yes"]}
        )
    assert mix_survey_batch(audit) == 3
    db.session.commit()
    kept = db.session.scalars(
        select(Answer.item_id).join(Response).where(Response.campaign_id == audit.id)
    ).all()
    assert "name" not in kept and kept.count("career_progression") == 3


def test_without_a_talent_pool_the_audit_keeps_what_it_always_kept(audit, region):
    from survey_app.mixing.services import mix_survey_batch
    from survey_app.models import Answer

    set_programme(audit, region, 3, False, False)
    for name in ("Lena Fischer", "Omar Haddad", "Jo Bloggs"):
        record_submitted(add_invitation(audit).invitation, {"name": [name]})
    mix_survey_batch(audit)
    db.session.commit()
    assert (
        db.session.scalar(select(func.count()).select_from(Answer).where(Answer.item_id == "name"))
        == 3
    )


def test_the_commissioner_offers_the_talent_pool_from_the_surveys_page(
    lead_client, make_campaign, region, post_form
):
    from survey_app.coaching.models import programme_settings

    survey = make_campaign("skills_talent_audit", title="Audit 2027")
    page = lead_client.get(f"/campaigns/{survey.id}").get_data(as_text=True)
    assert f"/campaigns/{survey.id}/support" in page
    response = post_form(
        lead_client, f"/campaigns/{survey.id}/support", {"region": region.id, "talent_pool": "y"}
    )
    assert response.status_code == 302
    settings = programme_settings(db.session.get(type(survey), survey.id).settings)
    assert (settings["region_id"], settings["talent_pool"]) == (region.id, True)
