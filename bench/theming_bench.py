"""Theming benchmark: time and peak memory for 1k/10k/50k comments, beside a TF-IDF-only baseline.

Run: .venv/bin/python bench/theming_bench.py [sizes...]
Each size runs in a fresh process so its peak resident memory is its own.
"""

from __future__ import annotations

import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENERS = [
    "",
    "",
    "",
    "Honestly, ",
    "For me, ",
    "In all honesty ",
    "Mainly ",
    "As a woman, ",
    "Speaking as a head of service, ",
]
CLOSERS = [
    "",
    "",
    "",
    " That is the main thing.",
    " In my authority anyway.",
    " Nothing else really.",
    " It has got worse since Covid.",
    " Same as everyone.",
]
NAMES = ["Sarah Whitfield", "Tom Okafor", "Priya Shah", "Gareth Lewis", "Kent", "Medway"]


def synthetic_comments(count: int, seed: int = 0) -> list[str]:
    """Realistic-looking comments: 1–3 hand-coded sentences with openers, closers and details."""
    from analysis.evaluation import load_hand_coded

    comments, _ = load_hand_coded(ROOT / "tests/data/theming/codebook_derived_barriers.csv")
    sentences = [
        part.strip()
        for comment in comments
        for part in re.split(r"(?<=[.!?])\s+", comment)
        if part.strip()
    ]
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        body = " ".join(rng.sample(sentences, rng.choice((1, 1, 2, 3))))
        if rng.random() < 0.05:
            number = f"07700 9{rng.randrange(10**5):05d}"
            body += f" {rng.choice(NAMES)} would agree - ring me on {number}."
        made.append(rng.choice(OPENERS) + body + rng.choice(CLOSERS))
    return made


def measure(count: int) -> dict:
    """Run the pipeline and the TF-IDF baseline once on `count` comments (in a fresh process)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.theming import theme_comments

    comments = synthetic_comments(count)
    groups = [random.Random(row).choice(["F", "M", "X"]) for row in range(count)]
    started = time.perf_counter()
    TfidfVectorizer().fit_transform(comments)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    result = theme_comments(
        comments,
        codebook=str(ROOT / "instruments/codebooks/barriers.yaml"),
        names=["Sarah Whitfield"],
        groups=groups,
        k=3,
    )
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "comments": count,
        "seconds": round(elapsed, 2),
        "tfidf_seconds": round(baseline, 3),
        "ratio": round(elapsed / baseline, 1),
        "peak_mb": round(peak_mb),
        "uncoded": result["uncoded"],
        "discovered_k": result["discovery"].get("k"),
        "exact_duplicate_rows": result["duplicates"]["exact_rows"],
        "near_duplicate_rows": result["duplicates"]["near_rows"],
    }


def main(sizes: list[int]) -> None:
    """Print one line per size, each measured in its own process."""
    print(
        f"{'comments':>9} {'seconds':>8} {'tf-idf s':>9} {'ratio':>6} {'peak MB':>8} "
        f"{'uncoded':>8} {'k':>3} {'exact dup':>9} {'near dup':>9}"
    )
    for size in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(output)
        print(
            f"{row['comments']:9d} {row['seconds']:8.2f} {row['tfidf_seconds']:9.3f} "
            f"{row['ratio']:6.1f} {row['peak_mb']:8d} {row['uncoded']:8d} "
            f"{row['discovered_k'] or 0:3d} {row['exact_duplicate_rows']:9d} "
            f"{row['near_duplicate_rows']:9d}"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 50_000])
