"""The theming pipeline: clean → redact → de-duplicate → codebook → discovery → statistics."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import discover as discovery
from .clean import NEAR_THRESHOLD, clean, find_duplicates, is_non_answer
from .codebook_match import Coding, Matcher
from .learn import Learned, codebook_training, learn
from .quotes import MAX_QUOTES, representative
from .redact import redact
from .sentiment import compound, mean_sentiment
from .stats import group_split, percent, wilson
from .text import SECTOR_WORDS, SurfaceForms, content_stems, content_words, stem
from .vocabulary import codebook_words, corpus_words

if TYPE_CHECKING:
    from instruments.codebook import Codebook

    CodebookSource = Codebook | str | Path | None

STEPS_PER_COMMENT = 3  # progress ticks per comment: redaction, coding, statistics
# A theme's mean sentiment is over this many of its comments at most (a seeded sample beyond):
# VADER is the slowest step, and the mean of 500 scores (SD ≈ 0.5) is within ±0.05 of the
# whole theme's 95 times in 100.
SENTIMENT_SAMPLE = 500
SECTOR_STEMS = frozenset(stem(word) for word in SECTOR_WORDS)
DISCOVERED_QUOTES = 3
VERSIONED_PACKAGES = ("scikit-learn", "nltk", "vaderSentiment", "numpy", "scipy", "PyYAML")


def theme_comments(
    comments: Sequence[str],
    codebook: CodebookSource = None,
    names: Iterable[str] = (),
    groups: list[str] | None = None,
    k: int = 3,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    coded: Mapping[int, Sequence[str]] | None = None,
    ask: int = 0,
    question: str = "",
    header_rows: Iterable[int] = (),
    estimate: bool = True,
) -> dict[str, Any]:
    """Theme free-text comments; every quote and text in the result is redacted.

    `coded` maps row numbers to the themes a person gave them (ids the codebook lacks are new
    themes); with codes, or `ask` > 0, a model learns from them and `ask` rows are proposed for
    coding next. `question` words are never proposed as themes; `header_rows` are not comments;
    `estimate=False` skips the cross-validated estimates (the evaluation's learning curves).
    """
    tick = progress or _no_progress
    codebook = _resolve_codebook(codebook)
    names = tuple(sorted({str(name).strip() for name in names if str(name).strip()}))
    if groups is not None and len(groups) != len(comments):
        raise ValueError(f"groups has {len(groups)} values for {len(comments)} comments")
    headers = set(header_rows)
    cleaned = [clean(comment) if row not in headers else "" for row, comment in enumerate(comments)]
    answered = [row for row, text in enumerate(cleaned) if not is_non_answer(text)]
    ordinary = corpus_words([cleaned[row] for row in answered]) | codebook_words(codebook)
    texts = dict.fromkeys(range(len(comments)), "")
    review: Counter[str] = Counter()
    for row in answered:
        result = redact(cleaned[row], names, ordinary)
        texts[row] = result.text
        review.update(result.review_names)
        tick(1)
    tick(len(comments) - len(answered))
    del cleaned  # the redacted texts are all that is read from here on
    matcher = Matcher(codebook)
    codings = {}
    for row in answered:
        codings[row] = matcher.code(texts[row])
        tick(1)
    tick(len(comments) - len(answered))
    final = {row: codings[row].themes for row in answered}
    learned = None
    if coded or ask:
        codes = {row: list(themes) for row, themes in (coded or {}).items() if row in final}
        learned = learn(
            {row: texts[row] for row in answered},
            final,
            {row: codings[row].matched for row in answered},
            codebook_training(codebook),
            codes,
            ask,
            seed,
            estimate,
        )
        final = learned.themes
    redacted = [texts[row] for row in range(len(comments))]
    context = _Context(redacted, answered, groups, k, seed, question)
    theme_labels = [(theme.id, theme.label) for theme in (codebook.themes if codebook else ())]
    known = {theme_id for theme_id, _ in theme_labels}
    theme_labels += [
        (theme_id, theme_id.replace("_", " ").capitalize())
        for theme_id in sorted({t for themes in final.values() for t in themes} - known)
    ]
    themes = [
        context.theme_entry(
            {"id": theme_id, "label": label}, [row for row in answered if theme_id in final[row]]
        )
        for theme_id, label in theme_labels
    ]
    uncoded = [row for row in answered if not final[row]]
    found, phrases = context.discover(uncoded)
    tick(len(comments))
    proposed = {row: theme["id"] for theme in found for row in theme["rows"]}
    return {
        "commented": len(answered),
        "no_answer": len(comments) - len(answered) - len(headers),
        "header_rows": sorted(headers),
        "themes": themes,
        "uncoded": len(uncoded),
        "discovered": found,
        "key_phrases": phrases,
        "discovery": context.discovery_summary,
        "duplicates": _duplicates_report(redacted, answered),
        "review_names": [
            {"name": name, "count": count}
            for name, count in sorted(review.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "coded": [
            _coded_entry(
                row, redacted[row], final.get(row, []), codings.get(row), proposed.get(row), learned
            )
            for row in range(len(comments))
        ],
        "learning": _learning_summary(learned),
        "run": _run_record(codebook, names, groups, k, seed, len(comments)),
    }


def _coded_entry(
    row: int,
    text: str,
    themes: Sequence[str],
    coding: Coding | None,
    proposed: str | None,
    learned: Learned | None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "row": row,
        "text": text,
        "themes": list(themes),
        "matched": coding.matched if coding else [],
        "negated": coding.negated if coding else [],
        "proposed": proposed,
    }
    if learned is not None:
        entry["by_hand"] = row in learned.coded_rows
        entry["suggested"] = [[theme, p] for theme, p in learned.suggestions.get(row, [])]
    return entry


def _learning_summary(learned: Learned | None) -> dict[str, Any] | None:
    if learned is None:
        return None
    return {
        "codes": learned.codes,
        "ask": learned.ask,
        "estimates": [asdict(estimate) for estimate in learned.estimates],
    }


class _Context:
    """What the per-theme statistics share: texts, the TF-IDF matrix, groups and threshold."""

    def __init__(
        self,
        texts: list[str],
        answered: list[int],
        groups: Sequence[str | None] | None,
        threshold: int,
        seed: int,
        question: str = "",
    ) -> None:
        self.texts, self.answered, self.groups = texts, answered, groups
        self.threshold, self.seed = threshold, seed
        self.sentiments: dict[str, float] = {}
        self.question_stems = set(content_stems(question)) | SECTOR_STEMS
        self.surface = SurfaceForms()
        self.stems: dict[int, list[str]] = {}
        for row in answered:
            words = content_words(texts[row])
            self.surface.add_words(words)
            self.stems[row] = [stem(word) for word in words]
        self.position = {row: index for index, row in enumerate(answered)}
        # Unigrams are enough to find a theme's most central quotes; bigrams are for discovery.
        self.matrix, self.terms = discovery.tfidf([self.stems[row] for row in answered])
        self.discovery_summary: dict[str, Any] = {}

    def theme_entry(
        self, entry: dict[str, Any], rows: list[int], quotes: int = MAX_QUOTES
    ) -> dict[str, Any]:
        """Count, %, Wilson interval, sentiment, quotes (n ≥ k only) and group split."""
        total = len(self.answered)
        low, high = wilson(len(rows), total)
        entry.update(
            count=len(rows),
            percent=percent(len(rows), total),
            ci=[round(100 * low, 1), round(100 * high, 1)],
            sentiment=self.sentiment(rows),
            quotes=self.quotes(rows, quotes),
        )
        if self.groups is not None:
            entry["groups"] = group_split(rows, self.groups, self.answered, self.threshold)
        return entry

    def sentiment(self, rows: list[int]) -> float | None:
        """Mean VADER score of the theme's comments (of a seeded sample of them when many)."""
        if len(rows) > SENTIMENT_SAMPLE:
            picked = np.random.default_rng(self.seed).choice(
                len(rows), SENTIMENT_SAMPLE, replace=False
            )
            rows = [rows[index] for index in sorted(picked)]
        scores = []
        for row in rows:
            text = self.texts[row]
            if text not in self.sentiments:
                self.sentiments[text] = compound(text)
            scores.append(self.sentiments[text])
        return mean_sentiment(scores)

    def quotes(self, rows: list[int], limit: int = MAX_QUOTES) -> list[str]:
        """Representative redacted quotes, only when the theme reaches the threshold."""
        if len(rows) < self.threshold or self.matrix is None:
            return []
        return representative(
            [self.position[row] for row in rows],
            self.matrix,
            [self.texts[row] for row in self.answered],
            limit,
        )

    def discover(self, uncoded: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Proposed themes (≥150 uncoded comments), each with its rows; key phrases otherwise."""
        documents = discovery.without([self.stems[row] for row in uncoded], self.question_stems)
        phrases = discovery.key_phrases(documents, self.surface)
        if len(uncoded) < discovery.MIN_DOCUMENTS:
            self.discovery_summary = {
                "method": "key phrases",
                "reason": f"fewer than {discovery.MIN_DOCUMENTS} uncoded comments",
            }
            return [], phrases
        matrix, terms = discovery.tfidf(
            [discovery.features(doc) for doc in documents], max_df=discovery.DISCOVERY_MAX_DF
        )
        result = discovery.discover(matrix, terms, self.surface, self.seed)
        self.discovery_summary = {
            "method": "TF-IDF + NMF",
            "k": result["k"],
            "stability": result["stability"],
        }
        found = []
        for number, theme in enumerate(result["themes"], start=1):
            rows = [uncoded[index] for index in theme["rows"]]
            entry = self.theme_entry(
                {"id": f"proposed_{number}", "label": theme["label"], "terms": theme["terms"]},
                rows,
                quotes=DISCOVERED_QUOTES,
            )
            entry["rows"] = rows
            found.append(entry)
        return found, phrases


def _duplicates_report(texts: Sequence[str], answered: list[int]) -> dict[str, Any]:
    groups = find_duplicates([texts[row] for row in answered])
    exact = [[answered[i] for i in group] for group in groups["exact"]]
    near = [[answered[i] for i in group] for group in groups["near"]]
    return {
        "exact": exact,
        "near": near,
        "exact_rows": sum(len(group) - 1 for group in exact),
        "near_rows": sum(len(group) for group in near),
        "policy": "duplicates are kept in every count (each is a respondent's answer) "
        "and quoted at most once",
    }


def _no_progress(steps: int) -> None:
    """Progress goes nowhere unless the caller asks for it."""


def _resolve_codebook(codebook: CodebookSource) -> Codebook | None:
    if codebook is None or not isinstance(codebook, str | os.PathLike):
        return codebook  # a Codebook, or anything shaped like one (its `themes`)
    from instruments.codebook import load_codebook

    return load_codebook(Path(codebook))


def codebook_fingerprint(codebook: Codebook | None) -> str | None:
    """The codebook's sha256 (instruments.codebook.codebook_hash when available)."""
    if codebook is None:
        return None
    try:
        from instruments.codebook import codebook_hash

        return codebook_hash(codebook)
    except (ImportError, AttributeError, TypeError):
        themes = [
            {
                field: list(getattr(theme, field, ()) or ())
                if field not in ("id", "label")
                else getattr(theme, field)
                for field in ("id", "label", "include", "patterns", "exclude")
            }
            for theme in codebook.themes
        ]
        canonical = json.dumps(themes, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _run_record(
    codebook: Codebook | None,
    names: Sequence[str],
    groups: Sequence[str | None] | None,
    k: int,
    seed: int,
    count: int,
) -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "versions": versions,
        "parameters": {
            "seed": seed,
            "threshold": k,
            "comments": count,
            "names_listed": len(names),
            "grouped": groups is not None,
            "near_duplicate_jaccard": NEAR_THRESHOLD,
            "max_quote_words": 40,
            "sentiment_sample": SENTIMENT_SAMPLE,
            "discovery_min_comments": discovery.MIN_DOCUMENTS,
            "k_range": [min(discovery.K_RANGE), max(discovery.K_RANGE)],
        },
        "codebook": getattr(codebook, "key", None),
        "codebook_version": getattr(codebook, "version", None),
        "codebook_hash": codebook_fingerprint(codebook),
    }
