"""Clean comments and find exact and near duplicates (reported, never silently dropped)."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# Answers that mean "nothing to say": not counted as commenting.
NON_ANSWERS = frozenset(
    {
        "",
        "n a",
        "na",
        "none",
        "nil",
        "no",
        "nothing",
        "no comment",
        "no comments",
        "not applicable",
        "nothing to add",
        "none really",
        "nothing further",
        "see above",
        "as above",
        "ditto",
        "tbc",
        "x",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\ufeff]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
SHINGLE = 5  # characters per shingle
PERMUTATIONS = 64  # MinHash signature length
BANDS = 16  # LSH bands of PERMUTATIONS // BANDS rows: pairs at Jaccard 0.7 collide ~99%
NEAR_THRESHOLD = 0.7  # shingle Jaccard similarity at which two comments are near-duplicates
UNCERTAIN = 0.15  # estimates this close to the threshold are checked exactly
BLOCK = 10_000  # comments hashed at a time
MAX_EXACT = 20_000  # pairs near the threshold checked exactly; beyond, the estimate decides


def clean(text: str | None) -> str:
    """Normalise Unicode, quotes and whitespace; drop control characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    text = _CONTROL.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def duplicate_key(text: str) -> str:
    """The form two comments share when they differ only in case, punctuation or spacing."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def is_non_answer(text: str) -> bool:
    """True for blanks and placeholders such as "N/A" or "none"."""
    return duplicate_key(text).replace("_", " ") in NON_ANSWERS


def find_duplicates(texts: list[str]) -> dict[str, list[list[int]]]:
    """Groups of row indices that are exact (after normalising) or near duplicates."""
    keys = [duplicate_key(text) for text in texts]
    first_row: dict[str, int] = {}
    exact: dict[int, list[int]] = {}
    for row, key in enumerate(keys):
        if key in first_row:
            exact.setdefault(first_row[key], [first_row[key]]).append(row)
        else:
            first_row[key] = row
    unique_rows = sorted(first_row.values())
    near = _near_groups([keys[row] for row in unique_rows])
    near_rows = [
        sorted(
            row for member in group for row in exact.get(unique_rows[member], [unique_rows[member]])
        )
        for group in near
    ]
    return {"exact": sorted(exact.values()), "near": sorted(near_rows)}


def _near_groups(keys: list[str]) -> list[list[int]]:
    """MinHash + LSH over character shingles: sub-quadratic near-duplicate grouping."""
    if len(keys) < 2:
        return []
    # In blocks, so the byte-level arrays stay small at 200,000 comments.
    signatures = np.concatenate(
        [_signatures(keys[start : start + BLOCK])[0] for start in range(0, len(keys), BLOCK)]
    )
    rows = PERMUTATIONS // BANDS
    pairs = []
    for band in range(BANDS):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        _, bucket = np.unique(
            block.view(np.dtype((np.void, block.dtype.itemsize * rows))), return_inverse=True
        )
        bucket = bucket.ravel()
        order = np.argsort(bucket, kind="stable")
        same = bucket[order[1:]] == bucket[order[:-1]]
        # Pair each member of a bucket with its predecessor: linear, and union-find joins the chain.
        pairs.append(np.stack([order[:-1][same], order[1:][same]], axis=1))
    # Pairs as single integers: unique on one column is far lighter than on rows.
    joined = np.concatenate(pairs).astype(np.int64)
    codes = np.unique(
        np.minimum(joined[:, 0], joined[:, 1]) * len(keys) + np.maximum(joined[:, 0], joined[:, 1])
    )
    candidates = np.stack([codes // len(keys), codes % len(keys)], axis=1)
    agreement = np.concatenate(
        [
            (signatures[block[:, 0]] == signatures[block[:, 1]]).mean(axis=1)
            for block in np.array_split(candidates, max(1, len(candidates) // BLOCK))
        ]
    )
    linked = candidates[agreement >= NEAR_THRESHOLD + UNCERTAIN]
    # A 64-hash estimate is noisy near the threshold: settle those pairs exactly.
    near = (agreement >= NEAR_THRESHOLD - UNCERTAIN) & (agreement < NEAR_THRESHOLD + UNCERTAIN)
    unsure, estimate = candidates[near], agreement[near]
    if len(unsure) > MAX_EXACT:
        # Settle the pairs closest to the threshold exactly, the rest by their estimate.
        order = np.lexsort((unsure[:, 1], unsure[:, 0], np.abs(estimate - NEAR_THRESHOLD)))
        decided = order[MAX_EXACT:]
        linked = np.concatenate([linked, unsure[decided][estimate[decided] >= NEAR_THRESHOLD]])
        unsure = unsure[np.sort(order[:MAX_EXACT])]
    shingles: dict[int, np.ndarray] = {}

    def shingle_set(index: int) -> np.ndarray:
        # The same shingle hashes the signatures came from, kept as sorted arrays (compact).
        if index not in shingles:
            shingles[index] = _shingle_hashes(keys[index])
        return shingles[index]

    confirmed = [
        pair
        for pair in unsure.tolist()
        if _jaccard(shingle_set(pair[0]), shingle_set(pair[1])) >= NEAR_THRESHOLD
    ]
    linked = np.concatenate([linked, np.array(confirmed, dtype=linked.dtype).reshape(-1, 2)])
    graph = coo_matrix(
        (np.ones(len(linked)), (linked[:, 0], linked[:, 1])), shape=(len(keys), len(keys))
    )
    _, component = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(component.tolist()):
        groups.setdefault(label, []).append(index)
    return [members for members in groups.values() if len(members) > 1]


def _jaccard(left: np.ndarray, right: np.ndarray) -> float:
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return shared / (len(left) + len(right) - shared)


def _shingle_hashes(key: str) -> np.ndarray:
    """The distinct shingle hashes of one text (the ones its signature is made from)."""
    padded = key if len(key) >= SHINGLE else key.ljust(SHINGLE, "_")
    data = np.frombuffer(padded.encode("utf-8", "replace"), dtype=np.uint8).astype(np.uint32)
    count = len(data) - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint32)
    for offset in range(SHINGLE):
        hashes = hashes * np.uint32(16777619) ^ data[offset : offset + count]
    return np.unique(hashes)


def _signatures(keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MinHash signatures (uint32) of each text's shingles, with the shingle hashes and where
    each text's hashes start (all in numpy)."""
    padded = [key if len(key) >= SHINGLE else key.ljust(SHINGLE, "_") for key in keys]
    data = np.frombuffer("\x00".join(padded).encode("utf-8", "replace"), dtype=np.uint8)
    data = data.astype(np.uint32)
    count = len(data) - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint32)
    for offset in range(SHINGLE):
        hashes = hashes * np.uint32(16777619) ^ data[offset : offset + count]
    # Shingles that straddle two texts contain the separator byte; drop them.
    separators = np.flatnonzero(data == 0)
    valid = np.ones(count, dtype=bool)
    for offset in range(SHINGLE):
        valid[np.clip(separators - offset, 0, count - 1)] = False
    lengths = np.array([len(key.encode("utf-8", "replace")) for key in padded])
    # Which text each byte position belongs to (int32: half the memory of searchsorted's).
    owner = np.repeat(np.arange(len(keys), dtype=np.int32), lengths + 1)[:count]
    hashes, owner = hashes[valid], owner[valid]
    del data, valid
    bounds = np.searchsorted(owner, np.arange(len(keys)))
    generator = np.random.default_rng(20240601)
    seeds = generator.integers(1, 2**32, size=PERMUTATIONS, dtype=np.uint64).astype(np.uint32)
    multipliers = generator.integers(1, 2**31, size=PERMUTATIONS, dtype=np.uint64) * 2 + 1
    signatures = np.empty((len(keys), PERMUTATIONS), dtype=np.uint32)
    for column in range(PERMUTATIONS):
        mixed = (hashes ^ seeds[column]) * multipliers[column].astype(np.uint32)
        mixed ^= mixed >> np.uint32(15)
        signatures[:, column] = np.minimum.reduceat(mixed, bounds)
    return signatures, hashes, bounds
