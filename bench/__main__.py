"""Run every benchmark, or the named ones: python -m bench [submit|reports|import|theming|weight].

Each prints its own table; figures and their write-up are in docs/performance.md.
"""

from __future__ import annotations

import importlib
import platform
import sys
import time

import bench.common  # noqa: F401  (puts the project on the path, sets bench-only settings)

BENCHMARKS = {
    "submit": "bench.submit_bench",
    "reports": "bench.report_bench",
    "import": "bench.import_bench",
    "theming": "bench.themes_cli_bench",
    "weight": "bench.weight_bench",
}


def main(names: list[str]) -> None:
    """Run the chosen benchmarks in order."""
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"Unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    import os

    print(
        f"# {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    for name in names or list(BENCHMARKS):
        started = time.perf_counter()
        importlib.import_module(BENCHMARKS[name]).main()
        print(f"({name}: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
