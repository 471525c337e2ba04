"""How the commissioner's codes decide the combined coding: rules they contradict, thresholds.

The model's probabilities only add a theme to a comment where cross-validation on the codes says
that adding it does better than the rules alone; a rule the codes keep contradicting stops
counting. Both are learned per theme, from the codes alone, so with few codes nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Cut-offs tried for "the model alone is sure enough", and for "the model overrules a rule".
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
VETOES = (0.0, 0.05, 0.1, 0.2)
NEVER = 2.0  # a threshold no probability reaches: the model adds nothing for this theme
# A rule stops counting when the codes say it is right less often than this (smoothed).
MIN_RULE_PRECISION = 0.34
MIN_RULE_FIRINGS = 2


@dataclass(frozen=True)
class Decision:
    """Per theme: when the model adds the theme, and when it overrules a rule's match."""

    threshold: float = 0.5
    veto: float = 0.0

    def code(self, probability: float, rule_matched: bool) -> bool:
        """Coded when the model is sure enough, or a rule matched and the model does not veto."""
        return bool(probability >= self.threshold or (rule_matched and probability >= self.veto))


def distrusted_rules(
    matched: Mapping[int, Sequence[str]], coded: Mapping[int, Sequence[str]]
) -> frozenset[str]:
    """Rules the codes contradict: they fired on coded comments that lack their theme."""
    fired: dict[str, list[int]] = {}
    for row, themes in coded.items():
        for rule in matched.get(row, ()):
            counts = fired.setdefault(rule, [0, 0])
            counts[0] += 1
            counts[1] += rule.split(":", 1)[0] in set(themes)
    return frozenset(
        rule
        for rule, (times, right) in fired.items()
        if times >= MIN_RULE_FIRINGS and (right + 0.5) / (times + 1) < MIN_RULE_PRECISION
    )


def trusted_rule_codes(
    rule_codes: Mapping[int, Sequence[str]],
    matched: Mapping[int, Sequence[str]],
    distrusted: frozenset[str],
) -> dict[int, set[str]]:
    """The rules' themes, less those that only distrusted rules gave."""
    result: dict[int, set[str]] = {}
    for row, themes in rule_codes.items():
        rules = [rule for rule in matched.get(row, ()) if rule not in distrusted]
        backed = {rule.split(":", 1)[0] for rule in rules}
        result[row] = {theme for theme in themes if theme in backed or not matched.get(row)}
    return result


def choose(
    probabilities: np.ndarray, rule_matched: np.ndarray, truth: np.ndarray, known: bool
) -> Decision:
    """The decision with the best F1 on held-out codes; the rules alone unless it beats them.

    `known` is whether the codebook has the theme: a theme learned from codes alone has no rules
    to fall back on, so it takes the best cut-off (0.5 when its codes cannot tell).
    """
    if not truth.any():
        return Decision(NEVER, 0.0) if known else Decision(0.5, 0.0)
    best = Decision(NEVER, 0.0) if known else Decision(0.5, 0.0)
    best_f1 = _f1(_apply(best, probabilities, rule_matched), truth)
    # Most cautious first, so a tie keeps the rules (high threshold, no veto).
    for threshold in (*sorted(THRESHOLDS, reverse=True),):
        for veto in VETOES:
            decision = Decision(threshold, veto)
            f1 = _f1(_apply(decision, probabilities, rule_matched), truth)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = decision, f1
    return best


def _apply(decision: Decision, probabilities: np.ndarray, rule_matched: np.ndarray) -> np.ndarray:
    return (probabilities >= decision.threshold) | (rule_matched & (probabilities >= decision.veto))


def _f1(guess: np.ndarray, truth: np.ndarray) -> float:
    hits = float((guess & truth).sum())
    total = float(guess.sum() + truth.sum())
    return 2 * hits / total if total else 1.0
