"""How well theming agrees with a careful human coder: agreement, learning curves, redaction.

Pure functions over data the caller reads; the evaluation sets live under tests/data/theming/
and tests/data/theming/reproduce.py prints every figure docs/theming.md reports.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from typing import TypedDict

import numpy as np
from sklearn.metrics import adjusted_rand_score, cohen_kappa_score

from analysis.theming import discover as discovery
from analysis.theming import theme_comments
from analysis.theming.clean import clean
from analysis.theming.text import SurfaceForms, content_stems
from instruments.codebook import Codebook

SEEDS = (0, 1, 2)
CURVE_POINTS = (0, 20, 40, 60, 100)


class ThemeAgreement(TypedDict):
    """One theme: how many comments each coder gave it, both, and the agreement figures."""

    human: int
    machine: int
    both: int
    precision: float
    recall: float
    f1: float
    kappa: float
    human_percent: float
    machine_percent: float
    gap_points: float


class Micro(TypedDict):
    """Precision, recall and F1 over every (comment, theme) decision."""

    precision: float
    recall: float
    f1: float


class Agreement(TypedDict):
    """`agreement`: per theme, pooled (micro) and averaged over themes (macro)."""

    comments: int
    themes: dict[str, ThemeAgreement]
    micro: Micro
    macro: dict[str, float]
    mean_abs_gap_points: float


class CodebookAgreement(Agreement):
    """`evaluate_codebook`: agreement plus what each coder left uncoded."""

    uncoded_by_machine: int
    uncoded_by_human: int
    codebook_hash: str


class CurvePoint(TypedDict):
    """One point of a learning curve."""

    codes: int
    chooser: str
    scored_on: int
    macro_f1: float
    micro_f1: float
    codebook_macro_f1: float


class Stability(TypedDict):
    """`discovery_stability`: how much NMF themes move across seeds and subsamples."""

    documents: int
    k_by_seed: list[int]
    stability_by_k: dict[int, float]
    ari_across_seeds: list[float]
    ari_subsamples: list[float]


class KindRecall(TypedDict):
    """How many planted details of one kind redaction caught."""

    caught: int
    planted: int
    recall: float | None


class RedactionScores(TypedDict):
    """`redaction_scores`: recall per kind of detail and over-redaction of clean comments."""

    recall: dict[str, KindRecall]
    clean_comments: int
    over_redacted: int
    over_redacted_percent: float | None
    over_redacted_examples: list[str]


def load_hand_coded(
    path: Path, text_column: str = "comment", themes_column: str = "themes"
) -> tuple[list[str], list[set[str]]]:
    """Comments and the set of theme ids a human gave each (themes separated by ';')."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return (
        [row[text_column] for row in rows],
        [
            {theme.strip() for theme in row[themes_column].split(";") if theme.strip()}
            for row in rows
        ],
    )


def agreement(human: list[set[str]], machine: list[set[str]], theme_ids: list[str]) -> Agreement:
    """Per theme: precision, recall, F1, Cohen's kappa and the human-vs-machine % gap."""
    total = len(human)
    per_theme: dict[str, ThemeAgreement] = {}
    for theme_id in theme_ids:
        truth = np.array([theme_id in codes for codes in human])
        guess = np.array([theme_id in codes for codes in machine])
        hits = int((truth & guess).sum())
        precision = hits / guess.sum() if guess.sum() else float("nan")
        recall = hits / truth.sum() if truth.sum() else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        kappa = (
            cohen_kappa_score(truth, guess) if len(set(truth)) > 1 or len(set(guess)) > 1 else 1.0
        )
        per_theme[theme_id] = {
            "human": int(truth.sum()),
            "machine": int(guess.sum()),
            "both": hits,
            "precision": round(float(precision), 3),
            "recall": round(float(recall), 3),
            "f1": round(float(f1), 3),
            "kappa": round(float(kappa), 3),
            "human_percent": round(100 * truth.mean(), 1) if total else 0.0,
            "machine_percent": round(100 * guess.mean(), 1) if total else 0.0,
            "gap_points": round(100 * (guess.mean() - truth.mean()), 1) if total else 0.0,
        }
    all_truth = sum(row["human"] for row in per_theme.values())
    all_guess = sum(row["machine"] for row in per_theme.values())
    all_hits = sum(row["both"] for row in per_theme.values())
    micro_p = all_hits / all_guess if all_guess else 0.0
    micro_r = all_hits / all_truth if all_truth else 0.0
    return {
        "comments": total,
        "themes": per_theme,
        "micro": {
            "precision": round(micro_p, 3),
            "recall": round(micro_r, 3),
            "f1": round(2 * micro_p * micro_r / (micro_p + micro_r), 3)
            if micro_p + micro_r
            else 0.0,
        },
        "macro": {
            key: round(float(np.nanmean([row[key] for row in per_theme.values()])), 3)
            for key in ("precision", "recall", "f1", "kappa")
        },
        "mean_abs_gap_points": round(
            float(np.mean([abs(row["gap_points"]) for row in per_theme.values()])), 1
        ),
    }


def evaluate_codebook(
    comments: list[str], human: list[set[str]], codebook: Codebook
) -> CodebookAgreement:
    """Codebook-only coding of hand-coded comments, compared theme by theme."""
    result = theme_comments(comments, codebook=codebook, seed=0)
    machine = [set(row["themes"]) for row in result["coded"]]
    theme_ids = [theme["id"] for theme in result["themes"]]
    return {
        **agreement(human, machine, theme_ids),
        "uncoded_by_machine": result["uncoded"],
        "uncoded_by_human": sum(1 for codes in human if not codes),
        "codebook_hash": result["run"]["codebook_hash"],
    }


def learning_curve(
    comments: list[str],
    human: list[set[str]],
    codebook: Codebook,
    points: Sequence[int] = CURVE_POINTS,
    chooser: str = "ask",
    seed: int = 0,
) -> list[CurvePoint]:
    """Macro F1 on the comments not yet coded, after n codes chosen by --ask or at random.

    The human's codes stand in for the commissioner's: each round the tool asks for the next
    rows (or a seeded random pick), gets the human's codes for them, and is scored on the rest.
    """
    theme_ids = [theme.id for theme in codebook.themes]
    order = np.random.default_rng(seed).permutation(len(comments)).tolist()
    rules = [set(row["themes"]) for row in theme_comments(comments, codebook, seed=seed)["coded"]]
    coded: dict[int, list[str]] = {}
    curve: list[CurvePoint] = []
    for target in points:
        while len(coded) < target:
            wanted = min(target - len(coded), 20)
            if chooser == "ask":
                asked = theme_comments(
                    comments, codebook, coded=coded, ask=wanted, seed=seed, estimate=False
                )["learning"]["ask"]
            else:
                asked = [row for row in order if row not in coded][:wanted]
            if not asked:
                break
            coded.update({row: sorted(human[row]) for row in asked})
        result = theme_comments(comments, codebook, coded=coded or None, seed=seed, estimate=False)
        rest = [row for row in range(len(comments)) if row not in coded]
        scored = agreement(
            [human[row] for row in rest],
            [set(result["coded"][row]["themes"]) for row in rest],
            theme_ids,
        )
        # The codebook alone on the same comments: what the codes are to be compared with.
        alone = agreement([human[row] for row in rest], [rules[row] for row in rest], theme_ids)
        curve.append(
            {
                "codes": len(coded),
                "chooser": chooser,
                "scored_on": len(rest),
                "macro_f1": scored["macro"]["f1"],
                "micro_f1": scored["micro"]["f1"],
                "codebook_macro_f1": alone["macro"]["f1"],
            }
        )
    return curve


def discovery_stability(comments: list[str], seeds: Sequence[int] = SEEDS) -> Stability:
    """ARI of NMF theme assignments: across seeds, and against seeded 80% subsamples."""
    documents = [content_stems(clean(comment)) for comment in comments]
    matrix, terms = discovery.tfidf(
        [discovery.features(doc) for doc in documents], max_df=discovery.DISCOVERY_MAX_DF
    )
    surface = SurfaceForms()
    for comment in comments:
        surface.add(comment)
    runs = [discovery.discover(matrix, terms, surface, seed) for seed in seeds]
    labels = [discovery.assignments(run["model"], matrix) for run in runs if run["k"]]
    across = [float(adjusted_rand_score(a, b)) for a, b in combinations(labels, 2)]
    chosen = runs[0]["k"]
    return {
        "documents": len(comments),
        "k_by_seed": [run["k"] for run in runs],
        "stability_by_k": runs[0]["stability"],
        "ari_across_seeds": [round(value, 3) for value in across],
        "ari_subsamples": [
            round(value, 3) for value in discovery.assignment_stability(matrix, chosen, seeds[0])
        ]
        if chosen
        else [],
    }


def redaction_scores(
    texts: Sequence[str],
    planted: Sequence[Sequence[tuple[str, str]]],
    redactor: Callable[[str], str],
) -> RedactionScores:
    """Recall per kind of planted detail, and the share of clean comments that lost a word.

    `planted[i]` lists (kind, value) pairs planted in `texts[i]`; a detail is caught when no
    word of it survives redaction. A comment with nothing planted that changes at all counts
    as an over-redaction (its ordinary words were taken for details).
    """
    caught: dict[str, list[int]] = {}
    over, clean_total = 0, 0
    over_examples: list[str] = []
    for text, details in zip(texts, planted, strict=True):
        out = redactor(text)
        for kind, value in details:
            # A word of the detail survives when the output has it more often than the text
            # has it outside the detail ("Patience is wearing thin … Patience Okoro").
            rest = text.replace(value, " ")
            words = [word for word in value.replace(",", " ").split() if len(word) > 1]
            survived = any(_count(word, out) > _count(word, rest) for word in words)
            caught.setdefault(kind, [0, 0])
            caught[kind][0] += not survived
            caught[kind][1] += 1
        if not details:
            clean_total += 1
            if out != text:
                over += 1
                over_examples.append(out)
    return {
        "recall": {
            kind: {
                "caught": hit,
                "planted": total,
                "recall": round(hit / total, 3) if total else None,
            }
            for kind, (hit, total) in sorted(caught.items())
        },
        "clean_comments": clean_total,
        "over_redacted": over,
        "over_redacted_percent": round(100 * over / clean_total, 2) if clean_total else None,
        "over_redacted_examples": over_examples[:20],
    }


def _count(word: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w]){re.escape(word)}(?![\w])", text))
