"""Every figure in docs/theming.md, from the evaluation sets in this folder.

    .venv/bin/python tests/data/theming/reproduce.py codebook     # codebook-only F1 and kappa
    .venv/bin/python tests/data/theming/reproduce.py curves       # learning curves (--ask, random)
    .venv/bin/python tests/data/theming/reproduce.py redaction    # planted details in real text
    .venv/bin/python tests/data/theming/reproduce.py discovery    # proposed themes, no codebook

The *_dev files were used to develop. Every later set was written by a session that read no
code (only the seeds and the files' formats, or public repositories), scored once when it
arrived, and then became development data: *_heldout and redaction_eval.csv's even rows (first
pass), *_heldout2 and redaction_eval2.csv (second), *_heldout3, *_heldout4, redaction_eval3-5.csv
and public/ (third). docs/theming.md gives each set's figure as scored once and as it is now.
The output is the same on every run (fixed seeds, sorted tie-breaks).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from analysis.evaluation import (  # noqa: E402
    CURVE_POINTS,
    evaluate_codebook,
    learning_curve,
    load_hand_coded,
    redaction_scores,
)
from analysis.theming import redact, theme_comments  # noqa: E402
from instruments.codebook import load_codebook  # noqa: E402

SETS = {"barriers": "barriers", "development": "development"}
# Every split that exists, in this order: dev (development), heldout (read before), heldout2
# (new and independent; reported only).
PARTS = ("dev", "heldout", "heldout2", "heldout3", "heldout4")
REDACTION_FILES = (
    "redaction_eval.csv",
    "redaction_eval2.csv",
    "redaction_eval3.csv",
    "redaction_eval4.csv",
    "redaction_eval5.csv",
)
# Real answers to one open question each, from public repositories (public/README.md).
PUBLIC_SETS = {
    "discovery_A": "What could we do better?",
    "discovery_B": "Open feedback for problems/ pain points you didn't get to share.",
    "discovery_C": "What was good?",
}


def _parts(name: str) -> list[str]:
    return [part for part in PARTS if (HERE / f"{name}_{part}.csv").exists()]


def _codebook(key: str):
    return load_codebook(ROOT / "instruments" / "codebooks" / f"{key}.yaml")


def codebook_figures() -> None:
    """Macro and micro F1 and kappa of the codebook alone, dev and held-out."""
    for name, key in SETS.items():
        for part in _parts(name):
            comments, human = load_hand_coded(HERE / f"{name}_{part}.csv")
            report = evaluate_codebook(comments, human, _codebook(key))
            macro, micro = report["macro"], report["micro"]
            print(
                f"{name}_{part}: {report['comments']} comments; macro P {macro['precision']:.3f}"
                f" R {macro['recall']:.3f} F1 {macro['f1']:.3f} kappa {macro['kappa']:.3f};"
                f" micro F1 {micro['f1']:.3f}; uncoded machine {report['uncoded_by_machine']}"
                f" human {report['uncoded_by_human']}; codebook {report['codebook_hash'][:12]}"
            )
            for theme, row in report["themes"].items():
                print(
                    f"    {theme:28} human {row['human']:3d} machine {row['machine']:3d} "
                    f"P {row['precision']:.2f} R {row['recall']:.2f} F1 {row['f1']:.2f} "
                    f"kappa {row['kappa']:.2f}"
                )


def curve_figures() -> None:
    """F1 on the comments not yet coded after 0, 20, 40, 60, 100 codes (--ask vs random)."""
    for name, key in SETS.items():
        for part in _parts(name):
            _curves(name, key, part)


def _curves(name: str, key: str, part: str) -> None:
    comments, human = load_hand_coded(HERE / f"{name}_{part}.csv")
    for chooser in ("ask", "random"):
        # A point is scored on the comments not yet coded: keep at least 40 of them.
        wanted = [n for n in CURVE_POINTS if n <= len(comments) - 40]
        points = learning_curve(comments, human, _codebook(key), wanted, chooser=chooser)
        print(
            f"{name}_{part} {chooser:6}: "
            + "; ".join(
                f"{p['codes']} codes → macro F1 {p['macro_f1']:.3f} (micro {p['micro_f1']:.3f};"
                f" codebook alone {p['codebook_macro_f1']:.3f}; on {p['scored_on']})"
                for p in points
            )
        )


def redaction_figures() -> None:
    """Recall on planted names, emails, phones and postcodes; over-redaction of clean text."""
    import csv

    for name in REDACTION_FILES:
        if not (HERE / name).exists():
            continue
        with (HERE / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        # The first file has no dev split: odd rows were used to develop, even rows held out.
        # The second is independent and reported whole.
        splits = (
            (("odd rows (development)", 1), ("even rows (held out)", 0), ("all rows", None))
            if name == REDACTION_FILES[0]
            else (("all rows", None),)
        )
        for label, keep in splits:
            _redaction_row(f"{name}: {label}", rows, keep)


def _redaction_row(label: str, rows: list[dict[str, str]], keep: int | None) -> None:
    chosen = [row for row in rows if keep is None or int(row["row"]) % 2 == keep]
    texts = [row["text"] for row in chosen]
    planted = [
        [(item["kind"], item["text"]) for item in json.loads(row["planted"])] for row in chosen
    ]
    scores = redaction_scores(texts, planted, lambda text: redact(text).text)
    print(label, json.dumps(scores, ensure_ascii=False))


def discovery_figures() -> None:
    """Proposed themes with no codebook: label, size, terms, quotes."""
    sets = [
        (f"{name}_heldout", HERE / f"{name}_heldout.csv", question)
        for name, question in (
            ("barriers", "What are the barriers to stepping up?"),
            ("development", "What development would help?"),
        )
    ] + [(name, HERE / "public" / f"{name}.csv", q) for name, q in PUBLIC_SETS.items()]
    for label, path, question in sets:
        comments, _ = load_hand_coded(path) if "public" not in path.parts else (_comments(path), [])
        result = theme_comments(comments, codebook=None, seed=0, question=question)
        print(f"{label}: {result['commented']} comments, {result['discovery']}")
        for theme in result["discovered"]:
            print(
                f"    {theme['label']!r}: {theme['count']} comments; terms "
                f"{', '.join(theme['terms'])}"
            )
            for quote in theme["quotes"]:
                print(f"        “{quote}”")


def _comments(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return [row["comment"] for row in csv.DictReader(handle)]


if __name__ == "__main__":
    # `--dev` limits the codebook and curve figures to the *_dev files (what development runs).
    if "--dev" in sys.argv:
        sys.argv.remove("--dev")
        PARTS = ("dev",)
    chosen = sys.argv[1:] or ["codebook", "curves", "redaction", "discovery"]
    for part in chosen:
        {
            "codebook": codebook_figures,
            "curves": curve_figures,
            "redaction": redaction_figures,
            "discovery": discovery_figures,
        }[part]()
