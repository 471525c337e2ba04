"""Pick representative quotes: the comments nearest a theme's TF-IDF centroid, trimmed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .clean import duplicate_key

Matrix = Any  # a scipy sparse matrix (scipy ships no types)
MAX_WORDS = 40
MAX_QUOTES = 5


def trim(text: str, max_words: int = MAX_WORDS) -> str:
    """At most `max_words` words; a cut quote ends with an ellipsis."""
    words = text.split()
    if len(words) <= max_words:
        return text
    return " ".join(words[:max_words]).rstrip(",;:-") + " …"


def representative(
    rows: Sequence[int], matrix: Matrix, texts: Sequence[str], limit: int = MAX_QUOTES
) -> list[str]:
    """The most central distinct comments of a theme (rows index `matrix` and `texts`)."""
    if not len(rows):
        return []
    ordered_rows = np.asarray(sorted(rows))
    block = matrix[ordered_rows]
    centroid = np.asarray(block.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    closeness = block @ centroid / norm if norm else np.zeros(len(ordered_rows))
    closeness = np.asarray(closeness).ravel()
    # Highest cosine first; the row number breaks ties so the choice is reproducible.
    order = np.lexsort((ordered_rows, -np.round(closeness, 9)))
    quotes, seen = [], set()
    for position in order:
        text = texts[ordered_rows[position]]
        key = duplicate_key(text)
        if not key or key in seen:
            continue
        seen.add(key)
        quotes.append(trim(text))
        if len(quotes) == limit:
            break
    return quotes
