"""The real `survey-app themes` command on 1k/10k/50k comments: wall time and peak memory.

Run: .venv/bin/python -m bench theming   (the pipeline-only figures and the TF-IDF baseline come
from bench/theming_bench.py, which this runs first)
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, print_table

SIZES = [int(s) for s in os.environ.get("BENCH_THEME_SIZES", "1000,10000,50000").split(",")]


def write_comments(path: Path, count: int) -> None:
    """A survey-shaped CSV: a gender column and a free-text comment column."""
    from bench.theming_bench import synthetic_comments

    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["gender", "comment"])
        for comment in synthetic_comments(count):
            writer.writerow([rng.choice(["F", "M", "X"]), comment])


def run_cli(path: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of one `survey-app themes` run (its own process)."""
    names = path.with_suffix(".names")
    names.write_text("Sarah Whitfield\n", encoding="utf-8")
    command = [str(ROOT / ".venv/bin/survey-app"), "themes", str(path), "--column", "comment",
               "--codebook", str(ROOT / "instruments/codebooks/barriers.yaml"),
               "--redact", str(names), "--group-by", "gender", "--format", "json"]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"survey-app themes failed: {child.stderr.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    """Pipeline figures (theming_bench), then the CLI on the same sizes."""
    from bench import theming_bench

    print("\n## Theming pipeline vs TF-IDF alone (bench/theming_bench.py)")
    theming_bench.main(SIZES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-themes-") as folder:
        for size in SIZES:
            path = Path(folder) / f"comments-{size}.csv"
            write_comments(path, size)
            seconds, peak = run_cli(path)
            rows.append([size, seconds, round(peak), "yes" if seconds < 30 and peak < 1536
                         else "no"])
    print_table("survey-app themes (whole command, fresh process)",
                ["comments", "seconds", "peak MB", "under 30 s and 1.5 GB"], rows)


if __name__ == "__main__":
    main()
