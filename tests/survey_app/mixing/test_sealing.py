"""Sealed answers open only for their own invitation and only with a configured key."""

from __future__ import annotations

import pytest

from survey_app.mixing.sealing import BLOCK, SealError, seal, unseal

ANSWERS = {"answers": {"comments": ["Brilliant with partners, poor at delegating"]}}


def test_a_sealed_value_hides_its_text_and_its_length(app):
    short = seal({"answers": {"comments": ["ok"]}}, "inv-1")
    longer = seal({"answers": {"comments": ["x" * 900 + " different words " * 20]}}, "inv-1")
    assert b"Brilliant" not in seal(ANSWERS, "inv-1") and b"comments" not in short
    assert len(short) == len(longer) and len(short) % BLOCK == 0
    # A random nonce and no timestamp: sealing the same answers twice gives unrelated bytes.
    again = seal(ANSWERS, "inv-1")
    assert again != seal(ANSWERS, "inv-1") and unseal(again, "inv-1") == ANSWERS


def test_a_sealed_value_copied_onto_another_invitation_does_not_open(app):
    # Otherwise someone with the database could paste a rater's answers onto their own link.
    blob = seal(ANSWERS, "rater-a")
    with pytest.raises(SealError, match="altered or belongs to another record"):
        unseal(blob, "rater-b")


def test_without_the_key_nothing_opens_and_old_keys_can_be_kept_for_rotation(app):
    blob = seal(ANSWERS, "inv-1")
    app.config["ANSWER_KEY"] = "a new key nobody had before"
    with pytest.raises(SealError, match="no longer configured"):
        unseal(blob, "inv-1")
    app.config["ANSWER_KEY"] = f"a new key nobody had before,{app.config['SECRET_KEY']}"
    assert unseal(blob, "inv-1") == ANSWERS
    rotated = seal(ANSWERS, "inv-1")
    app.config["ANSWER_KEY"] = "a new key nobody had before"
    assert unseal(rotated, "inv-1") == ANSWERS


def test_damaged_values_are_refused_not_crashed_on(app):
    for junk in (b"", b"\x00" * 10, b"\x01" + b"\x00" * 60):
        with pytest.raises(SealError):
            unseal(junk, "inv-1")
