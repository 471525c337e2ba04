"""How well theming agrees with a careful human coder: python -m analysis.evaluation."""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, cohen_kappa_score

from analysis.theming import discover as discovery
from analysis.theming import theme_comments
from analysis.theming.clean import clean
from analysis.theming.text import SurfaceForms, content_stems

ROOT = Path(__file__).resolve().parent.parent
HAND_CODED = ROOT / "tests" / "data" / "hand_coded_barriers.csv"
CODEBOOK = ROOT / "instruments" / "codebooks" / "barriers.yaml"
SEEDS = (0, 1, 2)


def load_hand_coded(path: Path = HAND_CODED) -> tuple[list[str], list[set[str]]]:
    """Comments and the set of theme ids a human gave each."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return ([row["comment"] for row in rows],
            [{theme for theme in row["themes"].split(";") if theme} for row in rows])


def agreement(human: list[set[str]], machine: list[set[str]], theme_ids: list[str]) -> dict:
    """Per theme: precision, recall, F1, Cohen's kappa and the human-vs-machine % gap."""
    total = len(human)
    per_theme = {}
    for theme_id in theme_ids:
        truth = np.array([theme_id in codes for codes in human])
        guess = np.array([theme_id in codes for codes in machine])
        hits = int((truth & guess).sum())
        precision = hits / guess.sum() if guess.sum() else float("nan")
        recall = hits / truth.sum() if truth.sum() else float("nan")
        f1 = (2 * precision * recall / (precision + recall)
              if precision + recall > 0 else 0.0)
        kappa = (cohen_kappa_score(truth, guess)
                 if len(set(truth)) > 1 or len(set(guess)) > 1 else 1.0)
        per_theme[theme_id] = {
            "human": int(truth.sum()), "machine": int(guess.sum()), "both": hits,
            "precision": round(float(precision), 3), "recall": round(float(recall), 3),
            "f1": round(float(f1), 3), "kappa": round(float(kappa), 3),
            "human_percent": round(100 * truth.mean(), 1),
            "machine_percent": round(100 * guess.mean(), 1),
            "gap_points": round(100 * (guess.mean() - truth.mean()), 1)}
    all_truth = sum(row["human"] for row in per_theme.values())
    all_guess = sum(row["machine"] for row in per_theme.values())
    all_hits = sum(row["both"] for row in per_theme.values())
    micro_p, micro_r = all_hits / all_guess, all_hits / all_truth
    return {"comments": total, "themes": per_theme, "micro": {
        "precision": round(micro_p, 3), "recall": round(micro_r, 3),
        "f1": round(2 * micro_p * micro_r / (micro_p + micro_r), 3)},
        "macro": {key: round(float(np.nanmean([row[key] for row in per_theme.values()])), 3)
                  for key in ("precision", "recall", "f1", "kappa")},
        "mean_abs_gap_points": round(float(np.mean(
            [abs(row["gap_points"]) for row in per_theme.values()])), 1)}


def discovery_stability(comments: list[str], seeds=SEEDS) -> dict:
    """ARI of NMF theme assignments: across seeds, and against seeded 80% subsamples."""
    documents = [content_stems(clean(comment)) for comment in comments]
    matrix, terms = discovery.tfidf([discovery.features(doc) for doc in documents])
    surface = SurfaceForms()
    for comment in comments:
        surface.add(comment)
    runs = [discovery.discover(matrix, terms, surface, seed) for seed in seeds]
    labels = [discovery.assignments(run["model"], matrix) for run in runs if run["k"]]
    across = [float(adjusted_rand_score(a, b)) for a, b in combinations(labels, 2)]
    chosen = runs[0]["k"]
    return {"documents": len(comments), "k_by_seed": [run["k"] for run in runs],
            "stability_by_k": runs[0]["stability"],
            "ari_across_seeds": [round(value, 3) for value in across],
            "ari_subsamples": [round(value, 3) for value in
                               discovery.assignment_stability(matrix, chosen, seeds[0])]
            if chosen else []}


def evaluate(path: Path = HAND_CODED, codebook: Path = CODEBOOK) -> dict:
    """Run the pipeline on the hand-coded comments and compare."""
    comments, human = load_hand_coded(path)
    result = theme_comments(comments, codebook=str(codebook), seed=0)
    machine = [set(row["themes"]) for row in result["coded"]]
    theme_ids = [theme["id"] for theme in result["themes"]]
    report = agreement(human, machine, theme_ids)
    report["uncoded_by_machine"] = result["uncoded"]
    report["uncoded_by_human"] = sum(1 for codes in human if not codes)
    report["codebook_hash"] = result["run"]["codebook_hash"]
    report["discovery"] = discovery_stability(comments)
    return report


def _print(report: dict) -> None:
    print(f"{report['comments']} hand-coded comments; codebook {report['codebook_hash'][:12]}")
    print(f"{'theme':28} {'human':>5} {'mach':>5} {'P':>6} {'R':>6} {'F1':>6} {'kappa':>6}"
          f" {'gap pts':>8}")
    for theme_id, row in report["themes"].items():
        print(f"{theme_id:28} {row['human']:5d} {row['machine']:5d} {row['precision']:6.2f} "
              f"{row['recall']:6.2f} {row['f1']:6.2f} {row['kappa']:6.2f} {row['gap_points']:8.1f}")
    macro, micro = report["macro"], report["micro"]
    print(f"macro P {macro['precision']:.2f} R {macro['recall']:.2f} F1 {macro['f1']:.2f} "
          f"kappa {macro['kappa']:.2f}; micro P {micro['precision']:.2f} "
          f"R {micro['recall']:.2f} F1 {micro['f1']:.2f}; "
          f"mean |gap| {report['mean_abs_gap_points']} points")
    print(f"uncoded: machine {report['uncoded_by_machine']}, human {report['uncoded_by_human']}")
    found = report["discovery"]
    print(f"discovery on all {found['documents']} comments (no codebook): k by seed "
          f"{found['k_by_seed']}, stability by k {found['stability_by_k']}")
    print(f"ARI across seeds {found['ari_across_seeds']}; "
          f"ARI vs 80% subsamples {found['ari_subsamples']}")


if __name__ == "__main__":
    _print(evaluate())
