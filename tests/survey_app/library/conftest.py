"""Instrument files for the library tests, written here so each test shows what matters."""

from __future__ import annotations

import pytest

from survey_app.auth.services import create_user
from survey_app.extensions import db
from survey_app.statuses import Role

SURVEY_YAML = """\
key: team_pulse
version: 1
title: Team pulse
kind: survey
description: A short check on how the team is doing.
estimated_minutes: 2
settings:
  anonymity_threshold: 3
sections:
  - id: mood
    title: How things are
    items:
      - id: q1
        type: single_choice
        prompt: How is your week going?
        required: true
        options: [Well, Badly]
      - id: q2
        type: single_choice
        prompt: Would you like support?
        options: [{code: "yes", label: "Yes"}, {code: "no", label: "No"}]
      - id: q3
        type: long_text
        prompt: What support would help?
        show_if: {item: q2, equals: "yes"}
"""

# Three problems: an unknown type, a show_if naming no earlier item, a missing prompt.
BROKEN_YAML = (
    SURVEY_YAML.replace("type: long_text", "type: long_txt")
    .replace("show_if: {item: q2,", "show_if: {item: q9,")
    .replace("        prompt: Would you like support?\n", "")
)


def revised(text: str = SURVEY_YAML) -> str:
    """The survey with q1's prompt changed and an option added to q2."""
    return text.replace("How is your week going?", "How was your week?").replace(
        '{code: "no", label: "No"}]', '{code: "no", label: "No"}, {code: maybe, label: Maybe}]'
    )


@pytest.fixture
def admin(app):
    """An administrator account (password as the commissioner's)."""
    user = create_user("admin@example.org", "correct horse battery", role=Role.ADMIN, name="Admin")
    db.session.commit()
    return user


@pytest.fixture
def upload(post_form):
    """Upload a file through the library's form; returns the response."""

    def send(client, text: str | bytes, filename: str = "team_pulse.yaml"):
        content = text.encode("utf-8") if isinstance(text, str) else text
        from io import BytesIO

        return post_form(
            client,
            "/library/upload",
            {"file": (BytesIO(content), filename)},
            get_url="/library/",
            content_type="multipart/form-data",
        )

    return send
