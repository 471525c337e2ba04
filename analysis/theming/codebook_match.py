"""Deterministic, multi-label, stem-aware codebook matching that says why it coded each comment."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from instruments.patterns import compile_pattern, compile_union

from .text import STOP_WORDS, stem

if TYPE_CHECKING:
    from instruments.codebook import Codebook

# The same pattern nltk's RegexpTokenizer is given in text.py, run directly: at 50,000 comments
# nltk's per-call wrapper costs more than the matching itself.
_SPANS = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+(?:/\d+)?")
# Clause breaks: negation and exclusion never reach across these.
_CLAUSE_BREAK = re.compile(r"[.;:!?,()\n]|\s-\s|\b(?:but|however|although|though|whereas|yet)\b")
_PROBLEM = (
    r"(?:issue|problem|barrier|concern|obstacle|worry|difficult(?:y|ies)|challenge|"
    r"hurdle)s?"
)
# "no issue with budgets", "never been a problem: travel", "not worried about the politics".
_DENIED_BEFORE = re.compile(
    r"(?:\b(?:no|not|never|nor|without)\b|n't)\W+(?:[\w']+\W+){0,3}?"
    rf"(?:{_PROBLEM}|worried|concerned|bothered|put off)\b\W+(?:[\w']+\W+){{0,4}}$"
)
# "budgets are fine", "travel isn't an issue", "the workload is manageable".
_DENIED_AFTER = re.compile(
    r"^\W*(?:[\w']+\W+){0,4}?(?:is|are|was|were|has been|have been|seems?|feels?|'s|'re)\s+"
    r"(?:(?:really|actually|quite|pretty|generally|absolutely|perfectly)\s+)?"
    r"(?:fine|ok|okay|manageable|adequate|sufficient|reasonable|not\s+(?:really\s+)?"
    rf"(?:a|an|any|my|the)?\s*(?:{_PROBLEM}|worry|barrier)|no\s+{_PROBLEM})\b"
    rf"|^\W*(?:[\w']+\W+){{0,4}}?(?:isn'?t|aren'?t|wasn'?t|weren'?t)\s+(?:really\s+)?"
    r"(?:a|an|the|my)?\s*"
    rf"{_PROBLEM}\b|^\W*(?:[\w']+\W+){{0,2}}?(?:doesn'?t|don'?t|wouldn'?t|won'?t|does not|"
    r"do not|would not|will not)\s+(?:really\s+)?(?:bother|worry|concern|put me off|stop)"
)

_NOT_THE = re.compile(r"\bnot\s+(?:really\s+)?(?:the|my|about\s+the)\s+(?:[\w']+\s+)?$")
_THAT = re.compile(r"^\W*(?:[\w']+\s+)?(?:that|which|i'm worried about|i worry about)\b")


@dataclass(frozen=True)
class Rule:
    """One include phrase, pattern or exclusion of one theme."""

    theme: str
    kind: str
    text: str
    stems: tuple[str, ...] = ()
    regex: Any = None  # an RE2 program (instruments.patterns)

    def describe(self) -> str:
        """How the rule is shown to a commissioner: `theme_id: include "workload"`."""
        return f'{self.theme}: {self.kind} "{self.text}"'

    @property
    def description(self) -> str:
        """describe(), made once: every comment the rule codes shares the one string."""
        if "_description" not in self.__dict__:
            object.__setattr__(self, "_description", self.describe())
        described: str = self.__dict__["_description"]
        return described


@dataclass
class Coding:
    """The themes one comment was coded to, with the rules that fired and those negated."""

    themes: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)


Hit = tuple[Rule, int, int]  # a rule and the span of the comment it matched


class Matcher:
    """Compiled codebook: indexes include phrases by first stem so each comment is scanned once."""

    def __init__(self, codebook: Codebook | None) -> None:
        self.theme_ids = [theme.id for theme in codebook.themes] if codebook else []
        self._phrases: dict[str, list[Rule]] = {}
        self._patterns: list[Rule] = []
        self._excludes: dict[str, list[Rule]] = {}
        for theme in codebook.themes if codebook else ():
            for phrase in theme.include:
                rule = Rule(theme.id, "include", phrase, _phrase_stems(phrase))
                if rule.stems:
                    self._phrases.setdefault(rule.stems[0], []).append(rule)
            for pattern in theme.patterns:
                # RE2 runs in time linear in the comment, whatever a commissioner wrote.
                self._patterns.append(
                    Rule(theme.id, "pattern", pattern, regex=compile_pattern(pattern))
                )
            for phrase in theme.exclude:
                rule = Rule(theme.id, "exclude", phrase, _phrase_stems(phrase))
                if rule.stems:
                    self._excludes.setdefault(rule.stems[0], []).append(rule)
        self._union = compile_union(tuple(rule.text for rule in self._patterns))

    def code(self, text: str) -> Coding:
        """Code one (already redacted) comment."""
        lower = text.lower().replace("’", "'")
        matches = list(_SPANS.finditer(lower))
        spans = [match.span() for match in matches]
        stems = [_stem(match.group(0)) for match in matches]
        hits = _find(self._phrases, stems, spans)
        exclusions: dict[str, list[tuple[int, int, str]]] = {}
        for rule, start, end in _find(self._excludes, stems, spans):
            exclusions.setdefault(rule.theme, []).append((start, end, rule.text))
        # One pass of the union first: most comments match no pattern at all.
        if self._union is not None and self._union.search(lower):
            for rule in self._patterns:
                hits.extend(
                    (rule, match.start(), match.end()) for match in rule.regex.finditer(lower)
                )
        return self._resolve(lower, hits, exclusions)

    def _resolve(
        self, lower: str, hits: list[Hit], excluded_spans: dict[str, list[tuple[int, int, str]]]
    ) -> Coding:
        coding = Coding()
        fired: dict[str, list[str]] = {}
        seen_spans: set[tuple[str, int, int]] = set()
        breaks = [match.span() for match in _CLAUSE_BREAK.finditer(lower)] if hits else []
        for rule, start, end in sorted(hits, key=lambda hit: (hit[1], -hit[2], hit[0].text)):
            if (rule.theme, start, end) in seen_spans:
                continue  # "travel" and "travelling" stem alike: one rule per span is enough
            seen_spans.add((rule.theme, start, end))
            exclusions = excluded_spans.get(rule.theme, [])
            blocking = [text for (low, high, text) in exclusions if low < end and start < high]
            if blocking:
                coding.negated.append(f'{rule.description} (excluded by "{blocking[0]}")')
            elif _denied(lower, start, end, breaks):
                coding.negated.append(f"{rule.description} (negated)")
            elif rule.description not in fired.setdefault(rule.theme, []):
                fired[rule.theme].append(rule.description)
        for theme_id in self.theme_ids:
            if fired.get(theme_id):
                coding.themes.append(theme_id)
                coding.matched.extend(fired[theme_id])
        return coding


def _phrase_stems(phrase: str) -> tuple[str, ...]:
    lower = phrase.lower().replace("’", "'")
    return tuple(_stem(match.group(0)) for match in _SPANS.finditer(lower))


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    # Stop words match only themselves, so "even" never matches "evenings" (Snowball: "even").
    return "=" + token if token in STOP_WORDS else stem(token)


def _find(
    index: dict[str, list[Rule]], stems: list[str], spans: list[tuple[int, int]]
) -> list[Hit]:
    """Every (rule, start, end) whose stems occur contiguously, found in one pass."""
    found: list[Hit] = []
    for position in [i for i, first in enumerate(stems) if first in index]:
        for rule in index[stems[position]]:
            size = len(rule.stems)
            if tuple(stems[position : position + size]) == rule.stems:
                found.append((rule, spans[position][0], spans[position + size - 1][1]))
    return found


def _denied(lower: str, start: int, end: int, breaks: list[tuple[int, int]]) -> bool:
    """True when the clause around a match says it is *not* a problem."""
    # breaks: (start, end) of every clause break, in order; the clause is between two of them.
    before = bisect_right(breaks, (start, start)) - 1
    while before >= 0 and breaks[before][1] > start:
        before -= 1
    clause_start = breaks[before][1] if before >= 0 else 0
    after = bisect_left(breaks, (end, end))
    clause_end = breaks[after][0] if after < len(breaks) else len(lower)
    preceding, following = lower[clause_start:start], lower[end:clause_end]
    # "it's not the workload that puts me off": the denial wraps the match.
    wrapped = bool(_NOT_THE.search(preceding) and _THAT.match(following))
    return bool(wrapped or _DENIED_BEFORE.search(preceding) or _DENIED_AFTER.search(following))
