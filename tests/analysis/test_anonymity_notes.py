"""The report's notes on combined groups read as plain sentences for every grouping case."""

from __future__ import annotations

import re

import pytest

from analysis.anonymity import partition, relationship_labels
from analysis.anonymity_notes import note_sentence

K = 3
RELATIONSHIPS = [
    {"id": "self", "label": "Self", "individual": True},
    {"id": "line_manager", "label": "Line manager", "individual": True},
    {"id": "peer", "label": "Peer"},
    {"id": "direct_report", "label": "Direct report"},
    {"id": "partner", "label": "Partner agency colleague"},
]
LABELS = relationship_labels(RELATIONSHIPS)
INDIVIDUAL = {"line_manager"}
# counted raters per stored group -> the sentence a participant reads
CASES = {
    "small relationships pooled": (
        {"line_manager": 1, "peer": 1, "direct_report": 1, "partner": 1},
        "The Peer, Direct report and Partner agency colleague groups each had fewer than 3 "
        "raters, so their ratings are shown together as 'Other raters'.",
    ),
    "the pool stored at submission alone": (
        {"line_manager": 1, "peer": 4, "pooled": 3},
        "The small groups stored together each had fewer than 3 raters, so their ratings are "
        "shown together as 'Other raters'.",
    ),
    "a relationship and the stored pool": (
        {"line_manager": 1, "peer": 2, "pooled": 3},
        "The Peer group and the small groups stored together each had fewer than 3 raters, so "
        "their ratings are shown together as 'Other raters'.",
    ),
    "one group folded into the smallest": (
        {"peer": 4, "direct_report": 1},
        "The Direct report group had fewer than 3 raters, so its ratings are shown with the "
        "smallest group, as 'Peer and other raters'.",
    ),
    "a folded stored group folded again": (
        {"direct_report": 4, "peer_and_others": 2},
        "The 'Peer and other raters' group had fewer than 3 raters, so its ratings are shown "
        "with the smallest group, as 'Direct report and other raters'.",
    ),
    "one group left out": (
        {"line_manager": 1, "peer": 2},
        "The Peer group had fewer than 3 raters and there is no group to combine it with "
        "safely, so its ratings are left out of every figure, including 'all raters'.",
    ),
    "several left out, the pool among them": (
        {"line_manager": 1, "peer": 1, "pooled": 1},
        "The Peer group and the small groups stored together between them had fewer than 3 "
        "raters and there is no group to combine them with safely, so their ratings are left "
        "out of every figure, including 'all raters'.",
    ),
    "none counted": (
        {"line_manager": 1, "peer": 0},
        "No rater in the Peer group rated enough of the items to count.",
    ),
    "none counted, the pool among them": (
        {"line_manager": 1, "peer": 0, "pooled": 0},
        "No rater in the Peer group or the small groups stored together rated enough of the "
        "items to count.",
    ),
}
INTERNAL = re.compile(r"pooled|_and_others|threshold|Groups with|invited|: ")


def _sentences(counted: dict[str, int], frozen_before_kinds: bool = False) -> list[str]:
    blocks, notes = partition(counted, list(counted), LABELS, INDIVIDUAL, K)
    out = []
    for note in notes:
        if frozen_before_kinds:
            note = {key: value for key, value in note.items() if key != "kind"}
        shown_as = next((b.label for b in blocks if note["groups"][0] in b.relationships), None)
        out.append(note_sentence(note, LABELS, K, shown_as))
    return out


@pytest.mark.parametrize("case", CASES)
def test_each_grouping_case_reads_as_one_plain_sentence(case):
    counted, expected = CASES[case]
    [sentence] = _sentences(counted)
    assert sentence == expected
    assert not INTERNAL.search(sentence), sentence
    assert sentence[0].isupper() and sentence.endswith(".") and sentence.count(".") == 1


@pytest.mark.parametrize("case", CASES)
def test_reports_frozen_before_notes_had_a_kind_read_the_same(case):
    counted, _expected = CASES[case]
    assert _sentences(counted, frozen_before_kinds=True) == _sentences(counted)


def test_behaviours_are_named_inside_the_sentence():
    counted, _ = CASES["one group left out"]
    _blocks, [note] = partition(counted, list(counted), LABELS, INDIVIDUAL, K)
    sentence = note_sentence(note, LABELS, K, None, ["Openness", "Resilience"])
    assert sentence.endswith("including 'all raters' (in Openness and Resilience).")
