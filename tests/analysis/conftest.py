"""Shared builders for the analysis tests."""

from __future__ import annotations

import yaml

from instruments.loader import parse_instrument
from tests.paths import INSTRUMENTS

TINY = INSTRUMENTS / "examples" / "tiny_feedback.yaml"


def levelled_instrument(shape: dict[str, int]):
    """A 360 with the tiny example's settings and `shape[behaviour]` levelled items each.

    Item ids are '<behaviour>_<n>', n counting from 0.
    """
    base = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    sections = [
        {
            "id": bid,
            "title": bid.title(),
            "behaviour": True,
            "items": [
                {
                    "id": f"{bid}_{n}",
                    "type": "levelled",
                    "prompt": f"{bid} {n}?",
                    "levels": ["one", "two", "three", "four"],
                }
                for n in range(count)
            ],
        }
        for bid, count in shape.items()
    ]
    top = {
        key: base[key]
        for key in (
            "key",
            "version",
            "title",
            "kind",
            "description",
            "estimated_minutes",
            "settings",
        )
    }
    return parse_instrument({**top, "sections": sections})
