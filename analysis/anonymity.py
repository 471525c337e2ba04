"""Which rater groups a 360 report may publish without letting anyone difference out a few raters.

The rule (docs/design.md §3.2-3.3): per behaviour we publish a *partition* of the non-self
raters who count for it — each individually-shown relationship (the line manager) alone, every
other stored group with at least k counted raters, and one pooled "other raters" block made of
all smaller ones when the pool reaches k. A pool still below k is folded into the smallest published
non-individual block (relabelled "... and other raters"); when there is no such block it is
suppressed, never folded into the line manager, because the line manager's figures are public and
subtracting them would expose the pool. "Others" is always the union of the published blocks.

Item tables reuse the behaviour's blocks (so the blocks of a behaviour and of its items are the same
rater sets) and show a block's item figure only when at least k of its counted raters gave a level.
That is not enough on its own: a behaviour score is the mean of each rater's own item levels, so
when a few raters skipped items the behaviour sum and the item sums can be combined to isolate
them (e.g. four complete peers and one who rated 2 of 3 items: behaviour sum minus a third of the
item sums leaves only that peer's answers). `safe_item_cells` therefore audits each block's
published sums exactly (`leaks` searches the finitely many ways they can cancel) and withholds as
few item figures as it can find until no such route remains.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from instruments.model import LINE_MANAGER

from .results import PartitionNote

# One item's comments: "self" and "raters" (lists of text), "withheld" (how many raters'
# comments were held back) and a list per individually attributed relationship, by its id.
ItemComments = dict[str, list[str] | int]

# Above this many combinations the exact audit is too slow; we then withhold rather than guess.
MAX_AUDITED_CHOICES = 50_000
# Answers of relationships with fewer than k raters who answered are stored under this name when
# together they reach k (analysis/mixing.py); the report always treats it as small.
POOLED_AT_SUBMISSION = "pooled"
FOLDED_SUFFIX = "_and_others"
POOLED_LABEL = "Other raters"
# How a report names the `pooled` stored group in a sentence (analysis/anonymity_notes.py).
POOLED_PHRASE = "the small groups stored together"
# What `partition` did with a behaviour's small groups (each note's "kind").
NONE_COUNTED, POOLED, LEFT_OUT, FOLDED = "none_counted", "pooled", "left_out", "folded"


@dataclass(frozen=True)
class Block:
    """One published group: the relationships whose raters it combines."""

    id: str
    label: str
    relationships: tuple[str, ...]
    individual: bool = False


def folded_group(host: str) -> str:
    """The stored name of a group that took in the small groups of its window (see mixing)."""
    return f"{host}{FOLDED_SUFFIX}"


def relationship_labels(relationships: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Stored group id -> label: each relationship, the pool, and each group with others."""
    labels = {str(r["id"]): str(r.get("label", r["id"])) for r in relationships}
    labels.update(
        {
            folded_group(rid): f"{label} and other raters"
            for rid, label in list(labels.items())
            if rid != "self"
        }
    )
    labels.setdefault(POOLED_AT_SUBMISSION, POOLED_LABEL)
    return labels


def individual_relationships(relationships: Iterable[Mapping[str, Any]]) -> set[str]:
    """Non-self relationships shown individually (the line manager by default)."""
    declared = {str(r["id"]) for r in relationships if r.get("individual")} - {"self"}
    return declared or {LINE_MANAGER}


def partition(
    counted: Mapping[str, int],
    present: Sequence[str],
    labels: Mapping[str, str],
    individual: set[str],
    k: int,
) -> tuple[list[Block], list[PartitionNote]]:
    """The published blocks for one behaviour and notes on what was pooled, folded or withheld."""
    blocks: list[Block] = []
    small: list[str] = []
    for rel in present:
        n = counted.get(rel, 0)
        if rel in individual:
            blocks.append(Block(rel, labels.get(rel, rel), (rel,), individual=True))
        elif n >= k and rel != POOLED_AT_SUBMISSION:
            blocks.append(Block(rel, labels.get(rel, rel), (rel,)))
        else:
            small.append(rel)
    pool_n = sum(counted.get(rel, 0) for rel in small)
    if not small or pool_n == 0:
        notes = (
            [
                _note(
                    small,
                    f"no rater in {_names(small, labels)} rated enough of the items to count",
                    NONE_COUNTED,
                )
            ]
            if small
            else []
        )
        return blocks, notes
    if pool_n >= k:
        blocks.append(Block("pooled", POOLED_LABEL, tuple(small)))
        return blocks, [
            _note(
                small,
                f"each had fewer than {k} raters, so they are shown together as '{POOLED_LABEL}'",
                POOLED,
            )
        ]
    hosts = [b for b in blocks if not b.individual]
    if not hosts:
        return blocks, [
            _note(
                small,
                f"together they had fewer than {k} raters and there is no "
                "group to combine them with safely, so their ratings are "
                "left out of every figure, including 'all raters'",
                LEFT_OUT,
            )
        ]
    host = min(hosts, key=lambda b: counted.get(b.relationships[0], 0))
    folded = Block(
        f"{host.id}_and_others", f"{host.label} and other raters", host.relationships + tuple(small)
    )
    blocks[blocks.index(host)] = folded
    return blocks, [
        _note(
            small,
            f"together they had fewer than {k} raters, so they are shown "
            f"with the smallest group as '{folded.label}'",
            FOLDED,
        )
    ]


def _note(groups: Sequence[str], reason: str, kind: str) -> PartitionNote:
    return {"groups": list(groups), "reason": reason, "kind": kind}


def _names(groups: Sequence[str], labels: Mapping[str, str]) -> str:
    return ", ".join(
        POOLED_PHRASE if g == POOLED_AT_SUBMISSION else labels.get(g, g) for g in groups
    )


def leaks(
    rated: Sequence[frozenset[str]], items: Sequence[str], published: Iterable[str], k: int
) -> bool:
    """True when one block's behaviour sum and published item sums can isolate < k raters.

    `rated[r]` is the set of items rater r gave a level; every rater counts for the behaviour.
    Any published combination is a*S - sum(c_i * I_i). With a = 0 it involves every rater of
    some published item (at least k). With a = 1 rater r drops out exactly when every item r
    rated is published with c_i = 1/m_r (m_r = how many items r rated), so trying, for each
    published item, each 1/m of its raters or "something else" covers every possible support.
    """
    if 0 < len(rated) < k:
        return True  # the behaviour sum alone describes too few raters
    shown = [i for i in items if i in set(published)]
    if not shown or all(r == frozenset(items) for r in rated):
        return False  # item sums alone, or a behaviour sum that is their exact average
    anchored = sum(1 for r in rated if not r <= set(shown))  # never drop out
    if anchored >= k:
        return False
    choices = [sorted({len(r) for r in rated if item in r}) + [None] for item in shown]
    if math.prod(len(c) for c in choices) > MAX_AUDITED_CHOICES:
        return True
    for combination in itertools.product(*choices):
        divisor = dict(zip(shown, combination, strict=True))
        support = sum(1 for r in rated if not all(divisor.get(item) == len(r) for item in r))
        if 0 < support < k:
            return True
    return False


def safe_item_cells(
    rated: Sequence[frozenset[str]], items: Sequence[str], candidates: Mapping[str, int], k: int
) -> tuple[list[str], list[str]]:
    """(items whose block figure may be shown, items withheld to stop differencing)."""
    kept = [i for i in items if i in candidates]
    withheld = []
    while kept and leaks(rated, items, kept, k):
        by_size = sorted(kept, key=lambda i: (candidates[i], -items.index(i)))
        single = [i for i in by_size if not leaks(rated, items, [j for j in kept if j != i], k)]
        drop = (single or by_size)[0]
        kept.remove(drop)
        withheld.append(drop)
    return kept, withheld


def comments_for_report(
    comments: Iterable[tuple[str, str, str]],
    response_counts: Mapping[str, int],
    seed: str,
    k: int = 3,
    attributed: Iterable[str] = (),
) -> dict[str, ItemComments]:
    """Comments per item: the participant's own, any attributed individual, and a shuffled bag.

    Comments from raters are never labelled with a group: they go into one unattributed bag per
    item, shown only when the raters who could have written it number at least k. The line
    manager's comments join the bag unless the campaign lists "line_manager" in `attributed`
    (raters are told beforehand when that is so). The bag is sorted, then shuffled with a seed
    per report and item, so neither submission order nor input order shows through.
    """
    attributed = set(attributed) - {"self"}
    possible_authors = sum(
        n for rel, n in response_counts.items() if rel != "self" and rel not in attributed
    )
    texts: dict[str, dict[str, list[str]]] = {}
    for relationship, item_id, text in comments:
        text = (text or "").strip()
        if not text:
            continue
        entry = texts.setdefault(
            item_id, {"self": [], "raters": [], **{rel: [] for rel in sorted(attributed)}}
        )
        key = relationship if relationship == "self" or relationship in attributed else "raters"
        entry[key].append(text)
    by_item: dict[str, ItemComments] = {}
    for item_id, entry in texts.items():
        withheld, raters = (
            (len(entry["raters"]), []) if possible_authors < k else (0, entry["raters"])
        )
        bag = sorted(raters)
        random.Random(f"{seed}|{item_id}").shuffle(bag)
        by_item[item_id] = {
            "self": entry["self"],
            "raters": bag,
            "withheld": withheld,
            **{rel: entry[rel] for rel in sorted(attributed)},
        }
    return by_item
