"""Inductive themes in what the codebook left uncoded: TF-IDF + NMF, k chosen by stability."""

from __future__ import annotations

import warnings
from collections import Counter
from itertools import combinations
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from .quotes import Matrix
from .text import SurfaceForms

MIN_DOCUMENTS = 150  # below this, list key phrases rather than pretend to model
K_RANGE = range(2, 9)
STABILITY_RUNS = 3
SUBSAMPLE = 0.8
MAX_STABILITY_DOCS = 1000  # stability fits use a sample: enough to judge k, fast at 200k
MAX_FEATURES = 2000
TOP_TERMS = 8
DISCOVERY_MAX_DF = 0.3  # a word in most comments (often the question's own) names no theme
MIN_SHARE = 0.35  # a comment joins a proposed theme only if it loads mostly on it
MAX_SHARE = 0.5  # no proposed theme may hold more than half of the comments
LABEL_CANDIDATES = 12  # the label is the most distinctive phrase among this many top terms


def features(content_stems: list[str]) -> list[str]:
    """Unigrams and adjacent bigrams of a comment's content stems."""
    pairs = zip(content_stems, content_stems[1:], strict=False)
    return content_stems + [f"{a} {b}" for a, b in pairs]


def tfidf(
    documents: list[list[str]], min_df: int = 2, max_df: float = 0.95
) -> tuple[Matrix | None, np.ndarray]:
    """Fit TF-IDF on pre-analysed documents; returns (matrix, feature names)."""
    vectoriser = TfidfVectorizer(
        analyzer=_identity,
        min_df=min(min_df, max(len(documents), 1)),
        max_df=max_df if len(documents) >= 20 else 1.0,
        sublinear_tf=True,
        max_features=MAX_FEATURES,
    )
    try:
        matrix = vectoriser.fit_transform(documents)
    except ValueError:  # every term pruned: nothing to model
        return None, np.array([], dtype=object)
    return matrix, vectoriser.get_feature_names_out()


def _identity(document: list[str]) -> list[str]:
    return document


def _fit(matrix: Matrix, k: int, seed: int) -> NMF:
    model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=400)
    with warnings.catch_warnings():
        # A few hundred iterations are plenty for labelling; convergence noise is not an error.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(matrix)
    return model


def _subsample(count: int, seed: int) -> np.ndarray:
    size = min(int(count * SUBSAMPLE), MAX_STABILITY_DOCS)
    return np.sort(np.random.default_rng(seed).choice(count, size=size, replace=False))


def stability(matrix: Matrix, k: int, seed: int) -> float:
    """Mean best-match cosine between NMF components fitted on seeded subsamples."""
    components = [
        normalize(_fit(matrix[_subsample(matrix.shape[0], seed + run)], k, seed + run).components_)
        for run in range(STABILITY_RUNS)
    ]
    scores = []
    for left, right in combinations(components, 2):
        similarity = left @ right.T
        matched_rows, matched_cols = linear_sum_assignment(-similarity)
        scores.append(float(similarity[matched_rows, matched_cols].mean()))
    return float(np.mean(scores))


def choose_k(matrix: Matrix, seed: int) -> tuple[int, dict[int, float]]:
    """The k in 2..8 whose components are most stable across seeds (ties: fewer themes)."""
    usable = [k for k in K_RANGE if k < min(matrix.shape)]
    scores = {k: round(stability(matrix, k, seed), 4) for k in usable}
    best = max(scores, key=lambda k: (scores[k], -k)) if scores else 0
    return best, scores


def assignments(model: NMF, matrix: Matrix, min_share: float = 0.0) -> np.ndarray:
    """Dominant theme of each document; -1 when it loads on none (or on none mostly)."""
    weights: np.ndarray = model.transform(matrix)
    dominant: np.ndarray = weights.argmax(axis=1)
    strongest = weights.max(axis=1)
    share = strongest / np.maximum(weights.sum(axis=1), 1e-12)
    dominant[(strongest <= 1e-9) | (share < min_share)] = -1
    return dominant


def label(
    weights: np.ndarray, terms: np.ndarray, members: Matrix, taken: frozenset[str] = frozenset()
) -> str:
    """The most distinctive phrase of a component: a top bigram used in ≥2 of its comments.

    A phrase another (larger) theme already carries is skipped: two themes both called "staff
    help" tell a commissioner nothing about how they differ.
    """
    top = [
        index
        for index in np.lexsort((np.arange(len(weights)), -weights))[:LABEL_CANDIDATES]
        if str(terms[index]) not in taken
    ]
    used = np.asarray((members > 0).sum(axis=0)).ravel() if members.shape[0] else None
    for index in top:
        if " " in terms[index] and weights[index] > 0 and used is not None and used[index] >= 2:
            return str(terms[index])
    return str(terms[top[0]]) if top else str(terms[int(np.argmax(weights))])


def discover(
    matrix: Matrix | None, terms: np.ndarray, surface: SurfaceForms, seed: int
) -> dict[str, Any]:
    """Fit the chosen NMF; returns k, stability scores, per-theme label, terms and member rows."""
    if matrix is None or matrix.shape[0] < MIN_DOCUMENTS or matrix.shape[1] < 3:
        return {"k": 0, "stability": {}, "themes": []}
    k, scores = choose_k(matrix, seed)
    if not k:
        return {"k": 0, "stability": scores, "themes": []}
    # A proposed theme holding most of the comments names nothing ("package managers" for 302
    # of 377): take the most stable k whose largest theme holds at most half of them.
    for candidate in sorted(scores, key=lambda value: (-scores[value], value)):
        model = _fit(matrix, candidate, seed)
        dominant = assignments(model, matrix, MIN_SHARE)
        if np.bincount(dominant[dominant >= 0], minlength=1).max() <= MAX_SHARE * len(dominant):
            k = candidate
            break
    else:
        model = _fit(matrix, k, seed)
        dominant = assignments(model, matrix, MIN_SHARE)
    members = [np.flatnonzero(dominant == index) for index in range(len(model.components_))]
    # Largest first, so the largest theme has first pick of a phrase; a theme no comment mostly
    # belongs to is not worth proposing.
    order = sorted(
        (index for index, rows in enumerate(members) if len(rows)),
        key=lambda index: (-len(members[index]), index),
    )
    themes: list[dict[str, Any]] = []
    taken: set[str] = set()
    for index in order:
        weights, rows = model.components_[index], members[index]
        top = np.lexsort((np.arange(len(weights)), -weights))[:TOP_TERMS]
        phrase = label(weights, terms, matrix[rows], frozenset(taken))
        taken.add(phrase)
        themes.append(
            {
                "label": surface.show(phrase),
                "terms": [surface.show(terms[i]) for i in top if weights[i] > 0],
                "rows": rows.tolist(),
            }
        )
    return {"k": k, "stability": scores, "themes": themes, "model": model}


def without(documents: list[list[str]], dropped: set[str]) -> list[list[str]]:
    """Documents without the given stems (the question's own words)."""
    return [[stem for stem in document if stem not in dropped] for document in documents]


def assignment_stability(
    matrix: Matrix, k: int, seed: int, runs: int = STABILITY_RUNS
) -> list[float]:
    """ARI between the full-data assignment and assignments from seeded subsample fits."""
    reference = assignments(_fit(matrix, k, seed), matrix)
    return [
        float(
            adjusted_rand_score(
                reference,
                assignments(
                    _fit(matrix[_subsample(matrix.shape[0], seed + run + 1)], k, seed + run + 1),
                    matrix,
                ),
            )
        )
        for run in range(runs)
    ]


def key_phrases(
    documents: list[list[str]], surface: SurfaceForms, limit: int = 20
) -> list[dict[str, Any]]:
    """Top TF-IDF uni/bi/tri-grams with the number of comments using each."""
    grams = [
        features(doc) + [" ".join(three) for three in zip(doc, doc[1:], doc[2:], strict=False)]
        for doc in documents
    ]
    document_counts = Counter(gram for doc in grams for gram in set(doc))
    repeated = [[gram for gram in doc if document_counts[gram] >= 2] for doc in grams]
    matrix, terms = tfidf(repeated, min_df=2)
    if matrix is None:
        return []
    weight = np.asarray(matrix.sum(axis=0)).ravel()
    order = np.lexsort((np.arange(len(weight)), -weight))
    phrases, shown_words = [], set()
    for index in order:
        phrase = surface.show(terms[index])
        if phrase in shown_words:
            continue
        shown_words.add(phrase)
        phrases.append({"phrase": phrase, "count": document_counts[terms[index]]})
        if len(phrases) == limit:
            break
    return phrases
