"""Question wording on the answering pages: "(optional)" is said once, never twice."""

from __future__ import annotations

import copy
import re

from survey_app.extensions import db
from survey_app.people.services import add_invitation, add_participant

from .conftest import all_pages


def _labels(pages):
    text = " ".join(pages)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", label).split())
        for label in re.findall(
            r"<(?:legend|label) class=\"(?:legend|label)\">(.*?)</(?:legend"
            r"|label)>",
            text,
            re.S,
        )
    ]


def test_optional_is_said_once_even_on_an_older_snapshot(client, make_campaign, begin):
    campaign = make_campaign(title="Leaders")
    person = add_participant(campaign, "Priya Shah", "priya@example.org")
    peer = add_invitation(
        campaign,
        participant=person.participant,
        relationship="peer",
        name="Sam Peer",
        email="sam@example.org",
        source="participant",
    )
    db.session.commit()
    begin(client, peer.token)
    labels = _labels(all_pages(client, f"/r/{peer.token}"))
    ticks = [label for label in labels if "Tick any that apply" in label]
    assert ticks and all(label.endswith("Tick any that apply. (optional)") for label in ticks)
    assert not [label for label in labels if label.count("(optional)") > 1]
    # A campaign launched before the wording changed keeps "(optional)" in its prompts.
    snapshot = copy.deepcopy(campaign.instrument_snapshot)
    old = 0
    for section in snapshot["sections"]:
        for item in section["items"]:
            if "Tick any that apply." in item.get("prompt", ""):
                item["prompt"] = item["prompt"].replace("apply.", "apply (optional).")
                old += 1
    assert old
    campaign.instrument_snapshot = snapshot
    db.session.commit()
    labels = _labels(all_pages(client, f"/r/{peer.token}"))
    assert not [label for label in labels if label.count("(optional)") > 1]
    assert any(label.endswith("Tick any that apply (optional).") for label in labels)
