"""Which group each answer of a closing feedback window is stored under (docs/design.md §3.1).

Labels are decided from the raters who *answered*, never from those invited: a relationship with
at least k answers keeps its name; smaller ones are stored together as "pooled" when together they
reach k; otherwise they join the smallest group that did (stored as "<group>_and_others", the
group's own raters included, so the joined group is one set of at least k). When there is no such
group they are not kept at all, because no report could ever publish them and keeping them would
let anyone with the database pick them out. Individually shown relationships (self, the line
manager) keep their name: raters are told beforehand that they are shown alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .anonymity import POOLED_AT_SUBMISSION, folded_group


def group_labels(
    answered: Iterable[str], individual: set[str], k: int, order: Sequence[str] = ()
) -> dict[str, str | None]:
    """Relationship -> the group its answers are stored under (None: not kept)."""
    counts = Counter(answered)
    labels: dict[str, str | None] = {}
    big, small = [], []
    for relationship, n in counts.items():
        if relationship == "self" or relationship in individual:
            labels[relationship] = relationship
        elif n >= k and relationship != POOLED_AT_SUBMISSION:
            big.append(relationship)
            labels[relationship] = relationship
        else:
            small.append(relationship)
    pooled = sum(counts[r] for r in small)
    if not small:
        return labels
    if pooled >= k:
        labels.update({r: POOLED_AT_SUBMISSION for r in small})
        return labels
    if not big:
        labels.update({r: None for r in small})
        return labels
    rank = {r: i for i, r in enumerate(order)}
    host = min(big, key=lambda r: (counts[r], rank.get(r, len(rank)), r))
    labels.update({r: folded_group(host) for r in [host, *small]})
    return labels


def stored_group_sizes(labels: Mapping[str, str | None], answered: Iterable[str]) -> Counter[str]:
    """How many answers each stored group holds (what a DBA would count)."""
    return Counter(group for r in answered if (group := labels.get(r)) is not None)
