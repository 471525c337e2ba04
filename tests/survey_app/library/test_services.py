"""Storing versions: numbering, unchanged uploads, ownership and what campaigns launch on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from instruments import InstrumentError
from survey_app.campaigns.services import campaign_instrument, create_campaign
from survey_app.extensions import db
from survey_app.library import services
from survey_app.library.store import bundled
from survey_app.models import AuditEvent

from .conftest import BROKEN_YAML, SURVEY_YAML, revised

pytestmark = pytest.mark.db


def test_a_new_key_starts_at_version_1_and_the_next_upload_is_version_2(app, commissioner):
    first = services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    second = services.add_version(commissioner, revised().encode(), "team_pulse.yaml")
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    assert (
        second.describe()
        == "team_pulse v2 stored (the file said version 1; the library numbers versions)"
    )
    stored = services.stored_versions("team_pulse")
    assert [v.data["version"] for v in stored] == [1, 2]
    assert stored[0].content == SURVEY_YAML.encode() and stored[0].source_format == "yaml"
    assert stored[1].uploader.email == "lead@example.org"
    assert len(stored[0].sha256) == 64
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "instrument_added"))
    assert sorted(e.detail for e in events) == [
        "team_pulse v1 from team_pulse.yaml",
        "team_pulse v2 from team_pulse.yaml",
    ]


def test_identical_content_is_not_a_new_version(app, commissioner):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    # Same instrument, different layout and version number in the file: still the same content.
    again = services.add_version(
        commissioner,
        ("# a comment\n" + SURVEY_YAML.replace("version: 1", "version: 7")).encode(),
        "t.yml",
    )
    assert again.unchanged and again.describe() == "unchanged: same as v1"
    assert len(services.stored_versions("team_pulse")) == 1


def test_a_bad_file_stores_nothing_and_lists_every_problem(app, commissioner):
    with pytest.raises(InstrumentError) as caught:
        services.add_version(commissioner, BROKEN_YAML.encode(), "team_pulse.yaml")
    codes = {p.code for p in caught.value.problems}
    assert {"unknown-type", "condition-missing-item", "missing-key"} <= codes
    assert services.stored_versions("team_pulse") == []


def test_another_commissioner_cannot_version_your_key(app, commissioner, other_commissioner):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    with pytest.raises(services.LibraryError, match="belongs to another commissioner"):
        services.add_version(other_commissioner, revised().encode(), "team_pulse.yaml")
    assert len(services.stored_versions("team_pulse")) == 1


def test_an_admin_may_version_anyones_key(app, commissioner, admin):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    assert services.add_version(admin, revised().encode(), "team_pulse.yaml").version == 2


def test_bundled_keys_are_versioned_by_admins_only_counting_on_from_the_bundled_one(
    app, commissioner, admin
):
    seslip = bundled()["seslip_aspiration_survey"]
    text = services.export_bytes(services.plain(seslip.raw), "yaml").decode()
    changed = text.replace(seslip.title, "SESLIP, revised", 1).encode()
    with pytest.raises(services.LibraryError, match="only an administrator"):
        services.add_version(commissioner, changed, "seslip.yaml")
    unchanged = services.add_version(admin, text.encode(), "seslip.yaml")
    assert unchanged.unchanged and unchanged.version == seslip.version
    added = services.add_version(admin, changed, "seslip.yaml")
    assert added.version == seslip.version + 1


def test_a_campaign_keeps_version_1_after_version_2_is_uploaded(app, commissioner):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    first = create_campaign(commissioner, "team_pulse", "Pulse, spring")
    services.add_version(commissioner, revised().encode(), "team_pulse.yaml")
    second = create_campaign(commissioner, "team_pulse", "Pulse, summer")
    db.session.commit()
    db.session.expire_all()
    assert (first.instrument_version, second.instrument_version) == (1, 2)
    assert campaign_instrument(first).item("q1").prompt == "How is your week going?"
    assert campaign_instrument(second).item("q1").prompt == "How was your week?"
    assert [o.label for o in campaign_instrument(first).item("q2").options] == ["Yes", "No"]


def test_yaml_export_reads_back_as_the_same_instrument(app, commissioner):
    from instruments import parse_instrument
    from instruments.yaml_text import parse_yaml

    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    data = services.latest("team_pulse").data
    again = parse_instrument(parse_yaml(services.export_bytes(data, "yaml").decode(), "x"))
    assert services.plain(again.raw) == data


def test_a_version_number_taken_meanwhile_is_a_clear_refusal(app, commissioner, monkeypatch):
    services.add_version(commissioner, SURVEY_YAML.encode(), "team_pulse.yaml")
    db.session.commit()
    # Another upload read the same latest version and is storing version 2 too.
    stale = services.latest("team_pulse")
    monkeypatch.setattr(services, "latest", lambda key: stale)
    services.add_version(commissioner, revised().encode(), "team_pulse.yaml")
    with pytest.raises(services.LibraryError, match="Someone else added version 2"):
        services.add_version(commissioner, revised().replace("Maybe", "Perhaps").encode(), "p.yaml")
    db.session.commit()
    assert [v.version for v in services.stored_versions("team_pulse")] == [1, 2]
