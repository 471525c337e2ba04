"""The real `survey-app themes` command at 5k/50k/200k comments, alternated with a baseline.

Run: .venv/bin/python -m bench theming   (the pipeline-only figures beside TF-IDF alone come from
bench/theming_bench.py, which this runs first)

The baseline is the same command from another commit (BENCH_THEME_BASELINE, default the commit
this branch started from, `git merge-base main HEAD`), exported with `git archive` and run with
this virtualenv, so both read the same CSV on the same machine in the same minutes: baseline,
subject, baseline, subject … Each run is its own process;
wall time, CPU time (user + system, from wait4) and peak resident memory are its own, and the load
average is recorded before each run because the machine is shared.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, print_table

SIZES = [int(s) for s in os.environ.get("BENCH_THEME_SIZES", "5000,50000,200000").split(",")]
REPEATS = int(os.environ.get("BENCH_THEME_REPEATS", "3"))
PIPELINE_SIZES = [int(s) for s in os.environ.get("BENCH_THEME_PIPELINE_SIZES", "5000").split(",")]


def _baseline() -> str:
    wanted = os.environ.get("BENCH_THEME_BASELINE")
    if wanted:
        return wanted
    found = subprocess.run(
        ["git", "-C", str(ROOT), "merge-base", "main", "HEAD"], capture_output=True, text=True
    )
    return found.stdout.strip()[:12] or "main"


BASELINE = _baseline()
GOALS = {50_000: 20.0, 200_000: 90.0}  # seconds (issue 20); memory under 1 GB at 200k
MEMORY_GOAL_MB = 1024


def write_comments(path: Path, count: int) -> None:
    """A survey-shaped CSV: a gender column and a free-text comment column."""
    from bench.theming_bench import synthetic_comments

    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["gender", "comment"])
        for comment in synthetic_comments(count):
            writer.writerow([rng.choice(["F", "M", "X"]), comment])


def export_baseline(folder: Path) -> Path | None:
    """The baseline commit's tree in `folder` (None when git cannot export it)."""
    target = folder / "baseline"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE], capture_output=True)
    if archive.returncode:
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def run_cli(tree: Path, path: Path, names: Path) -> dict:
    """One `survey-app themes` run of the code in `tree`: seconds, CPU seconds, peak MB."""
    command = [
        sys.executable,
        "-c",
        "from survey_app.cli import main; main()",
        "themes",
        str(path),
        "--column",
        "comment",
        "--codebook",
        str(tree / "instruments/codebooks/barriers.yaml"),
        "--redact",
        str(names),
        "--group-by",
        "gender",
        "--format",
        "json",
    ]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    # cwd first on sys.path: the tree's own packages win over the editable install.
    child = subprocess.Popen(command, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(
            f"survey-app themes failed in {tree}: {child.stderr.read().decode()[-500:]}"
        )
    child.stderr.close()
    return {
        "seconds": elapsed,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "load": load,
    }


def main() -> None:
    """Pipeline figures (theming_bench), then the CLI alternated with the baseline."""
    from bench import theming_bench

    print("\n## Theming pipeline vs TF-IDF alone (bench/theming_bench.py)")
    theming_bench.main(PIPELINE_SIZES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-themes-") as folder:
        baseline = export_baseline(Path(folder))
        names = Path(folder) / "names.txt"
        names.write_text("Sarah Whitfield\n", encoding="utf-8")
        for size in SIZES:
            path = Path(folder) / f"comments-{size}.csv"
            write_comments(path, size)
            runs: dict[str, list[dict]] = {"baseline": [], "subject": []}
            for _ in range(REPEATS):
                if baseline is not None:
                    runs["baseline"].append(run_cli(baseline, path, names))
                runs["subject"].append(run_cli(ROOT, path, names))
            rows.append(_row(size, runs))
    print_table(
        f"survey-app themes, this tree vs {BASELINE} (median of {REPEATS}, alternated)",
        [
            "comments",
            "wall s",
            f"{BASELINE} wall s",
            "CPU s",
            f"{BASELINE} CPU s",
            "peak MB",
            f"{BASELINE} peak MB",
            "load avg",
            "goal met",
        ],
        rows,
    )


def _row(size: int, runs: dict[str, list[dict]]) -> list:
    def median(kind, key):
        values = [run[key] for run in runs[kind]]
        return round(statistics.median(values), 1) if values else None

    wall, peak = median("subject", "seconds"), median("subject", "peak_mb")
    goal = GOALS.get(size)
    met = (
        "n/a"
        if goal is None
        else ("yes" if wall < goal and (size < 200_000 or peak < MEMORY_GOAL_MB) else "no")
    )
    loads = [run["load"] for kind in runs for run in runs[kind]]
    return [
        size,
        wall,
        median("baseline", "seconds"),
        median("subject", "cpu"),
        median("baseline", "cpu"),
        round(peak),
        median("baseline", "peak_mb"),
        f"{min(loads):.1f}–{max(loads):.1f}",
        met,
    ]


if __name__ == "__main__":
    main()
