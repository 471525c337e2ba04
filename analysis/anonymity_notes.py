"""Plain sentences for a report's notes on groups pooled, folded or left out (docs/design.md §3.2).

`partition` (analysis/anonymity.py) notes which small groups it combined and why; a report shows
each note as one sentence a participant can read. Stored groups have internal names: `pooled`
(groups stored together because each had fewer than k answers) and `<group>_and_others` (a group
that took in such groups); neither name may reach the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .anonymity import (
    FOLDED,
    FOLDED_SUFFIX,
    LEFT_OUT,
    NONE_COUNTED,
    POOLED,
    POOLED_AT_SUBMISSION,
    POOLED_PHRASE,
)
from .results import PoolNote

# Notes frozen before notes carried a kind are recognised by how their reason begins.
_REASON_STARTS = (
    ("no rater in", NONE_COUNTED),
    ("each had fewer", POOLED),
    ("together they had fewer than", None),
)


def note_kind(note: PoolNote) -> str:
    """What happened to the note's groups: none counted, pooled, left out or folded."""
    if note.get("kind"):
        return str(note["kind"])
    reason = str(note.get("reason", ""))
    for start, kind in _REASON_STARTS:
        if reason.startswith(start):
            return kind or (LEFT_OUT if "left out" in reason else FOLDED)
    return POOLED


def _join(parts: Sequence[str], word: str = "and") -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def groups_phrase(groups: Sequence[str], labels: Mapping[str, str], word: str = "and") -> str:
    """'the Peer and Direct report groups', with internal stored names put in words."""
    plain = [
        labels.get(g, g)
        for g in groups
        if g != POOLED_AT_SUBMISSION and not g.endswith(FOLDED_SUFFIX)
    ]
    folded = [f"the '{labels.get(g, g)}' group" for g in groups if g.endswith(FOLDED_SUFFIX)]
    parts = []
    if plain:
        parts.append(f"the {_join(plain, word)} group{'s' if len(plain) > 1 else ''}")
    parts += folded
    if POOLED_AT_SUBMISSION in groups:
        parts.append(POOLED_PHRASE)
    return _join(parts, word)


def _many(groups: Sequence[str]) -> bool:
    return len(groups) > 1 or POOLED_AT_SUBMISSION in groups


def note_sentence(
    note: PoolNote,
    labels: Mapping[str, str],
    k: int,
    shown_as: str | None,
    behaviours: Sequence[str] = (),
) -> str:
    """One sentence: which groups, what was done with their ratings, and why."""
    groups = list(note["groups"])
    kind = note_kind(note)
    many = _many(groups)
    its, them = ("their", "them") if many else ("its", "it")
    where = f" (in {_join(list(behaviours))})" if behaviours else ""
    if kind == NONE_COUNTED:
        subject = groups_phrase(groups, labels, "or")
        return f"No rater in {subject} rated enough of the items to count{where}."
    subject = groups_phrase(groups, labels)
    subject = subject[0].upper() + subject[1:]
    if kind == POOLED:
        had = "each had" if many else "had"
        return (
            f"{subject} {had} fewer than {k} raters, so {its} ratings are shown together "
            f"as '{shown_as}'{where}."
        )
    had = "between them had" if many else "had"
    if kind == LEFT_OUT:
        return (
            f"{subject} {had} fewer than {k} raters and there is no group to combine "
            f"{them} with safely, so {its} ratings are left out of every "
            f"figure, including 'all raters'{where}."
        )
    return (
        f"{subject} {had} fewer than {k} raters, so {its} ratings are shown with the "
        f"smallest group, as '{shown_as}'{where}."
    )
