"""Importing a 10,000-row survey CSV: validation and storage, in-process and through the CLI.

Run: .venv/bin/python -m bench import   (BENCH_BACKENDS, BENCH_IMPORT_ROWS to change)

Baseline: reading the same file into rows alone (decoding, sniffing, csv; what any import must at
least do).
"""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, backends, commissioner, fresh_database, make_app, print_table

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
INSTRUMENT = "skills_talent_audit"
WORDS = ["team", "partners", "budget", "children", "court", "placements", "ofsted", "duty"]


def survey_csv(instrument, rows: int, seed: int = 3) -> str:
    """A valid export-shaped file: one column per item, codes or labels, some cells blank."""
    import csv
    import io

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    items = list(instrument.items)
    writer.writerow([item.id for item in items])
    for _ in range(rows):
        writer.writerow([_cell(item, rng) for item in items])
    return out.getvalue()


def _cell(item, rng: random.Random) -> str:
    if rng.random() < 0.1:
        return ""
    if item.type in ("single_choice", "rating_scale"):
        option = rng.choice(item.options)
        return option.code if rng.random() < 0.5 else option.label
    if item.type == "multiple_choice":
        return "; ".join(o.code for o in rng.sample(item.options, rng.randint(1, 3)))
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))[:100]


def _campaign(url: str):
    from survey_app.campaigns.services import campaign_instrument, create_campaign, open_campaign
    from survey_app.extensions import db

    app = make_app(url)
    with app.app_context():
        owner = commissioner()
        ids = []
        for title in ("In-process import", "CLI import"):
            campaign = create_campaign(owner, INSTRUMENT, title)
            open_campaign(campaign)
            ids.append(campaign.id)
        text = survey_csv(campaign_instrument(campaign), ROWS)
        db.session.commit()
        db.engine.dispose()
    return ids, text


def run_backend(backend: str) -> list[list]:
    """Baseline, in-process import and CLI import for one backend."""
    from sqlalchemy import func, select

    from survey_app.campaigns.batches import import_responses
    from survey_app.campaigns.csvfiles import read_grid
    from survey_app.extensions import db
    from survey_app.models import Campaign, Response

    with fresh_database(backend) as url:
        (inproc_id, cli_id), text = _campaign(url)
        data = text.encode()
        started = time.perf_counter()
        read_grid(data)
        baseline = time.perf_counter() - started
        app = make_app(url)
        with app.app_context():
            started = time.perf_counter()
            _, preview = import_responses(db.session.get(Campaign, inproc_id), data)
            added = len(preview.rows)
            db.session.commit()
            inproc = time.perf_counter() - started
            db.engine.dispose()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "responses.csv"
            path.write_bytes(data)
            started = time.perf_counter()
            subprocess.run(
                [str(ROOT / ".venv/bin/survey-app"), "responses", "import", cli_id, str(path)],
                check=True,
                capture_output=True,
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": url},
            )
            cli = time.perf_counter() - started
        with app.app_context():
            stored = {
                cid: db.session.scalar(
                    select(func.count()).select_from(Response).where(Response.campaign_id == cid)
                )
                for cid in (inproc_id, cli_id)
            }
            db.engine.dispose()
    return [
        [backend, "read_grid only (baseline)", ROWS, baseline, 1.0, ""],
        [
            backend,
            "import_responses + commit",
            added,
            inproc,
            inproc / baseline,
            f"{stored[inproc_id]} stored",
        ],
        [
            backend,
            "survey-app responses import (CLI)",
            ROWS,
            cli,
            cli / baseline,
            f"{stored[cli_id]} stored; includes start-up",
        ],
    ]


def main() -> None:
    """Print the table for every backend."""
    rows = []
    for backend in backends():
        rows += run_backend(backend)
    print_table(
        f"Import: {ROWS} rows of {INSTRUMENT}",
        ["db", "what", "rows", "seconds", "x baseline", "note"],
        rows,
    )


if __name__ == "__main__":
    main()
