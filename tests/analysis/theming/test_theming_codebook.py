"""Codebook matching: stems, phrases, patterns, exclusions, negation, and the rule recorded."""

import pytest

from analysis.theming import Matcher
from instruments.codebook import parse_codebook


def _codebook():
    themes = [
        {
            "id": "budgets",
            "label": "Budgets",
            "definition": "Money pressure.",
            "include": ["budget", "savings", "cuts"],
            "exclude": ["not about the money"],
        },
        {
            "id": "workload",
            "label": "Workload",
            "definition": "Too much work.",
            "include": ["workload", "too many meetings"],
            "exclude": ["workload is manageable"],
        },
        {
            "id": "hours",
            "label": "Long hours",
            "definition": "Evenings and weekends.",
            "include": ["evenings", "long hours"],
            "patterns": [r"\b(60|70) ?hours?\b"],
        },
        {
            "id": "politics",
            "label": "Politicians",
            "definition": "Elected members.",
            "include": ["politicians", "councillors"],
        },
        {
            "id": "support",
            "label": "Support",
            "definition": "Lack of support.",
            "include": ["no support", "lack of training"],
        },
    ]
    for theme in themes:
        theme["examples"] = ["one example", "another example"]
    return parse_codebook(
        {"key": "test", "version": 1, "title": "Test", "applies_to": [], "themes": themes},
        instruments={},
    )


MATCHER = Matcher(_codebook())


@pytest.mark.parametrize(
    ("comment", "themes"),
    [
        ("Budgets keep being cut.", ["budgets"]),
        ("Endless budget CUTS, and too many meetings", ["budgets", "workload"]),
        ("I already work 60 hours a week.", ["hours"]),
        ("There is no support and a lack of training.", ["support"]),
        ("No issue with budgets, but the workload is crazy.", ["workload"]),
        ("Budgets are fine.", []),
        ("The budget isn't a problem for me; councillors are.", ["politics"]),
        ("I don't have any concerns about politicians.", []),
        ("Not worried about the budget at all", []),
        ("It is not the workload that puts me off, it's the politicians.", ["politics"]),
        ("Workload is manageable.", []),
        ("Workload is manageable but I hate the long hours.", ["hours"]),
        ("I would not give up my evenings.", ["hours"]),
        ("I would even consider it.", []),
    ],
)
def test_coding(comment, themes):
    assert MATCHER.code(comment).themes == themes


def test_each_coded_comment_records_the_rule_that_matched():
    coding = MATCHER.code("Savings targets and long hours")
    assert coding.matched == ['budgets: include "savings"', 'hours: include "long hours"']


def test_negated_and_excluded_matches_are_recorded_but_not_coded():
    coding = MATCHER.code("Budgets are fine and the workload is manageable.")
    assert coding.themes == []
    assert coding.negated == [
        'budgets: include "budget" (negated)',
        'workload: include "workload" (excluded by "workload is manageable")',
    ]


def test_stems_match_other_forms_of_an_include_word():
    assert MATCHER.code("Our budgeting is chaos and politician interference").themes == [
        "budgets",
        "politics",
    ]
