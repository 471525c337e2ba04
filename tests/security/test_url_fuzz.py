"""Random ids and bodies on every URL of the app: never a 500, never a change to others' data."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from survey_app.extensions import db
from survey_app.models import Response

pytestmark = pytest.mark.db
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELD_NAME = re.compile(r'name="([^"]+)"')
# Signing out or changing the password would end the fuzzing browser's own session; PDFs are
# slow to render and guarded by the same access check as their pages.
SKIPPED = {"auth.sign_out", "auth.change_password", "static", "charts.plotly_js"}
NASTY = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\x01\x02\x1b[31m",
        "\ud800",
        "\udfff tail",
        "9" * 400,
        "-1",
        "0",
        "1e309",
        "NaN",
        "../../etc/passwd",
        "x" * 70_000,
        "=1+1",
        "<script>x</script>",
        " ",
        "yes",
        "no",
        "not_observed",
        "1",
        "3",
        "peer",
        "close",
        "later",
        "unlock",
        "disable",
        "reset",
        "rename",
        "merge",
        "terms",
        "accept",
    ]
)
TEXT = st.one_of(
    NASTY,
    st.text(max_size=30),
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["Cc", "Cs", "Lu", "Nd"]), max_size=10
    ),
)


def others_fingerprint(world) -> list:
    """Every row that belongs to someone other than the fuzzing commissioner."""
    rows = []
    for table in db.metadata.sorted_tables:
        columns = table.c
        if table.name == "users":
            query = select(table).where(columns.id != world.lead.id)
        elif table.name == "campaigns":
            query = select(table).where(columns.id == world.theirs.id)
        elif table.name == "answers":
            query = select(table).where(
                columns.response_id.in_(
                    select(Response.id).where(Response.campaign_id == world.theirs.id)
                )
            )
        elif table.name == "invitations":
            # The other owner's participant may save their own self-assessment draft with their
            # own link (world.stranger_token, fuzzed too); everything else about it must stay.
            own_self = (columns.participant_id == world.stranger.id) & (
                columns.relationship == "self"
            )
            query = select(table).where(columns.campaign_id == world.theirs.id, ~own_self)
            rows += sorted(
                repr(tuple(row))
                for row in db.session.execute(
                    select(columns.id, columns.name, columns.email, columns.relationship).where(
                        columns.campaign_id == world.theirs.id, own_self
                    )
                )
            )
        elif "campaign_id" in columns and table.name != "audit_events":
            query = select(table).where(columns.campaign_id == world.theirs.id)
        else:
            continue
        rows += sorted(repr(tuple(row)) for row in db.session.execute(query))
    return rows


def _argument_values(world) -> dict:
    """Real values for each URL argument: the lead's own ids, another owner's, random ones."""
    return {
        "campaign_id": [world.leaders.id, world.survey.id, world.theirs.id, str(uuid.uuid4())],
        "participant_id": [world.participant.id, world.stranger.id, str(uuid.uuid4())],
        "invitation_id": [world.peer.id, str(uuid.uuid4())],
        "token": [
            world.peer_token,
            world.participant_token,
            world.open_token,
            world.respondent_token,
            world.stranger_token,
        ],
        "user_id": [world.lead.id, world.other.id, world.admin.id],
        "key": [world.codebook_key],
        "item_id": [world.item_id],
        "fmt": ["csv", "xlsx"],
        "kind": ["invitation", "reminder", "csv", "xlsx"],
        "action": ["close", "open"],
        "message_id": [world.message.id],
    }


def _url(rule, draw, world) -> str:
    values = {}
    for name in rule.arguments:
        real = st.sampled_from(_argument_values(world).get(name) or [1])
        if name in ("number", "user_id") or isinstance(
            rule._converters.get(name), IntegerConverter
        ):
            hostile = st.one_of(
                st.integers(min_value=-5, max_value=8),
                st.integers(min_value=2**31, max_value=10**30),
            )
        else:
            # No HTTP client can send a lone surrogate in an address: it is not valid UTF-8.
            hostile = TEXT.filter(
                lambda text: (
                    text.strip()
                    and "/" not in text
                    and not any("\ud800" <= char <= "\udfff" for char in text)
                )
            )
        values[name] = draw(st.one_of(real, hostile), label=name)
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def fuzz_setup(client, world, kit):
    """The signed-in lead's CSRF token, the rules to fuzz and every form field name in use."""
    csrf = kit.sign_in(client, "lead@example.org")
    rules = [
        rule
        for rule in sorted(client.application.url_map.iter_rules(), key=lambda r: r.rule)
        if rule.endpoint not in SKIPPED and not rule.endpoint.endswith("_pdf")
    ]
    names = {
        "csrf_token",
        "action",
        "remove",
        "email",
        "names",
        "enabled",
        "release",
        "by",
        "themes",
        "password",
    }
    for rule in rules:
        if "GET" in rule.methods:
            page = client.get(kit.url_for_rule(rule, world))
            if page.mimetype == "text/html":
                names.update(FIELD_NAME.findall(page.get_data(as_text=True)))
    return csrf, rules, sorted(names)


@FUZZ
@given(data=st.data())
def test_random_ids_and_bodies_on_every_url_never_fail_or_touch_others_data(
    client, world, kit, fuzz_setup, data
):
    csrf, rules, names = fuzz_setup
    before = others_fingerprint(world)
    rule = data.draw(st.sampled_from(rules), label="rule")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    url = _url(rule, data.draw, world)
    body = data.draw(
        st.dictionaries(
            st.sampled_from(names), st.one_of(TEXT, st.lists(TEXT, max_size=3)), max_size=6
        ),
        label="body",
    )
    if data.draw(st.booleans(), label="with csrf"):
        body["csrf_token"] = csrf
    query = data.draw(
        st.dictionaries(
            st.sampled_from(
                ["page", "campaign", "action", "table", "label", "terms", "next", "by"]
            ),
            TEXT,
            max_size=2,
        ),
        label="query",
    )
    try:
        response = client.open(
            url, method=method, data=body if method == "POST" else None, query_string=query
        )
    except UnicodeEncodeError:
        return  # the test client cannot send a lone surrogate; no browser can either
    assert response.status_code < 500, (method, url, body, query, response.status_code)
    db.session.rollback()
    assert others_fingerprint(world) == before, (method, url, body)


def test_the_fingerprint_sees_changes_to_other_owners_data(world):
    before = others_fingerprint(world)
    world.stranger.name = "Changed"
    db.session.flush()
    assert others_fingerprint(world) != before
    db.session.rollback()
