"""Reports at cohort scale: 100, 1,000 and 5,000 participants x (self + 8 raters) x 24 items.

Run: .venv/bin/python -m bench reports   (BENCH_BACKENDS, BENCH_SIZES=100,1000,5000 to change)

Seeds a levelled 360 campaign with bulk inserts and every participant's frozen report (scored
by the app's own `score`, as a closed window would be), then, each in a fresh process:
the background job that computes the stored cohort report (time, CPU and peak RSS of that
process, from its own /proc VmHWM; an idle process that only builds the app gives the
floor), and the served pages: the cohort page (first request, then warm), its HTML and gzip
size, and participant report pages. Baseline: one SQL aggregation (mean and count per
participant, group and item) over the same answers, the floor of what any report can cost.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time

from bench.common import (
    backends,
    commissioner,
    fresh_database,
    make_app,
    open_360_campaign,
    print_table,
)

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,5000").split(",")]
LIVE = os.environ.get("BENCH_LIVE") == "1"  # also time the old per-view computation
APP = {"REDIS_URL": None}  # the in-process job: the same function RQ would run
RATERS = [
    "self",
    "line_manager",
    "peer",
    "peer",
    "peer",
    "direct_report",
    "direct_report",
    "direct_report",
    "partner",
]
COMMENTS = [
    "Calm under pressure and clear about what matters.",
    "Could delegate more and trust the team with decisions.",
    "Brings partners together; meetings end with actions.",
]
PAGES_SAMPLED = 20
BASELINE_SQL = """
SELECT r.participant_id, r.relationship, a.item_id, COUNT(*), AVG(CAST(a.value AS FLOAT))
FROM answers a JOIN responses r ON r.id = a.response_id
WHERE r.campaign_id = :campaign AND a.value IN ('1', '2', '3', '4')
GROUP BY r.participant_id, r.relationship, a.item_id
"""


def seed(url: str, participants: int) -> str:
    """The campaign id, with every participant's self-assessment and raters' answers stored."""
    from survey_app.campaigns.services import campaign_instrument
    from survey_app.extensions import db
    from survey_app.models import Answer, FrozenReport, Response, new_id, today
    from survey_app.people.services import add_participant
    from survey_app.reports.services import score
    from survey_app.responses import ResponseData

    rng = random.Random(9)
    app = make_app(url, **APP)
    with app.app_context():
        campaign = open_360_campaign(commissioner())
        instrument = campaign_instrument(campaign)
        levelled = [i.id for i in instrument.items if i.type == "levelled"]
        texts = [i.id for i in instrument.items if i.type == "long_text"]
        people = [
            add_participant(
                campaign, f"Participant {n:04d}", f"p{n}@example.org", aspired_role="director"
            ).participant
            for n in range(participants)
        ]
        for person in people:
            person.report_released = True
            person.window_status = "closed"
        responses, answers, frozen = [], [], []
        for person in people:
            mine = []
            for relationship in RATERS:
                rid = new_id()
                responses.append(
                    {
                        "id": rid,
                        "campaign_id": campaign.id,
                        "participant_id": person.id,
                        "relationship": relationship,
                        "submitted_on": today(),
                        "source": "link",
                    }
                )
                given = {
                    item: [rng.choice("1234") if rng.random() > 0.05 else "not_observed"]
                    for item in levelled
                }
                given.update({item: [rng.choice(COMMENTS)] for item in texts})
                answers += [
                    {"response_id": rid, "item_id": item, "position": 0, "value": values[0]}
                    for item, values in given.items()
                ]
                mine.append(ResponseData(rid, person.id, relationship, today(), given))
            result = score(campaign, instrument, person, mine)
            frozen.append(
                {
                    "participant_id": person.id,
                    "campaign_id": campaign.id,
                    "computed_on": today(),
                    "data": {"result": result, "comments": [], "not_kept": {}, "groups": {}},
                }
            )
        db.session.execute(Response.__table__.insert(), responses)
        for start in range(0, len(answers), 20000):
            db.session.execute(Answer.__table__.insert(), answers[start : start + 20000])
        for start in range(0, len(frozen), 500):
            db.session.execute(FrozenReport.__table__.insert(), frozen[start : start + 500])
        db.session.commit()
        campaign_id = campaign.id
        db.engine.dispose()
    return campaign_id


def compute(url: str, campaign_id: str) -> dict:
    """The background job for a campaign whose data just changed (run in a child process)."""
    from survey_app.extensions import db
    from survey_app.reports.jobs import run_cohort_job
    from survey_app.reports.store import PENDING, cohort_changed

    app = make_app(url, **APP)
    with app.app_context():
        cohort_changed(campaign_id)
        db.session.info.pop(PENDING)  # timed below, not run by the commit
        db.session.commit()
        started, cpu = time.perf_counter(), time.process_time()
        stored = run_cohort_job(campaign_id)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.engine.dispose()
    if not stored:
        raise RuntimeError("the job stored nothing")
    return {"seconds": elapsed, "cpu": cpu}


def live(url: str, campaign_id: str) -> dict:
    """What every cohort view cost before the store: every answer loaded, then the summary."""
    from analysis.cohort import cohort_summary
    from survey_app.campaigns.services import campaign_settings
    from survey_app.extensions import db
    from survey_app.models import Campaign
    from survey_app.reports.services import campaign_results

    app = make_app(url, **APP)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        started, cpu = time.perf_counter(), time.process_time()
        instrument, _people, results, raters = campaign_results(campaign)
        cohort_summary(
            instrument, results, int(campaign_settings(campaign)["anonymity_threshold"]), raters
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.engine.dispose()
    return {"seconds": elapsed, "cpu": cpu}


def idle(url: str) -> dict:
    """Only build the app and open the database: the floor of a job process's RSS."""
    from sqlalchemy import text

    from survey_app.extensions import db

    app = make_app(url, **APP)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.engine.dispose()
    return {}


def peak_rss_kb() -> int:
    """This process's peak resident memory in KB, read once its work is done.

    VmHWM of /proc (Linux), not `getrusage`: ru_maxrss survives exec, so a child would report
    the size of the bench process that started it (which holds the seeded rows).
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def in_child(mode: str, *args: str) -> tuple[dict, float]:
    """Run `mode` in a fresh process: its JSON output and that process's peak RSS in MB."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.report_bench", mode, *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = json.loads(output.strip().splitlines()[-1])
    return found, found.pop("peak_rss_kb") / 1024


def measure(url: str, campaign_id: str) -> dict:
    """Cold and warm cohort page, participant report pages and the SQL baseline (one process)."""
    from sqlalchemy import select, text

    from survey_app.auth.services import session_version
    from survey_app.extensions import db
    from survey_app.models import Participant, User

    app = make_app(url, **APP)
    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(select(User))
        ids = list(
            db.session.scalars(
                select(Participant.id)
                .where(Participant.campaign_id == campaign_id)
                .limit(PAGES_SAMPLED)
            )
        )
        with client.session_transaction() as session:
            session.update(
                user_id=user.id, version=session_version(user), signed_in_at=int(time.time())
            )
        db.session.remove()
    cohort = [_timed_get(client, f"/campaigns/{campaign_id}/cohort") for _ in range(4)]
    html = client.get(f"/campaigns/{campaign_id}/cohort").data
    csv_time = _timed_get(client, f"/campaigns/{campaign_id}/cohort.csv?table=heat_map")
    pages = [
        _timed_get(client, f"/campaigns/{campaign_id}/participants/{pid}/report") for pid in ids
    ]
    with app.app_context():
        sql = []
        for _ in range(3):
            started = time.perf_counter()
            rows = db.session.execute(text(BASELINE_SQL), {"campaign": campaign_id}).all()
            sql.append(time.perf_counter() - started)
        answers = db.session.execute(text("SELECT COUNT(*) FROM answers")).scalar()
        db.engine.dispose()
    return {
        "answers": answers,
        "groups": len(rows),
        "sql_cold": sql[0],
        "sql_warm": min(sql),
        "cohort_cold": cohort[0],
        "cohort_warm": _median(cohort[1:]),
        "html_kb": len(html) / 1024,
        "gzip_kb": len(gzip.compress(html, 6)) / 1024,
        "csv": csv_time,
        "page_cpu": _median(pages)[1],
        "page_median": _median(pages)[0],
        "page_max": max(t[0] for t in pages),
    }


def _timed_get(client, path: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one GET: CPU shows the cost under load."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status_code}")
    return elapsed, cpu


def _median(timings: list[tuple[float, float]]) -> tuple[float, float]:
    return (statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings))


def run_backend(backend: str) -> list[list]:
    """Rows of the table for one backend, every size."""
    rows = []
    for size in SIZES:
        with fresh_database(backend) as url:
            started = time.perf_counter()
            campaign_id = seed(url, size)
            seeded = time.perf_counter() - started
            _, floor_mb = in_child("--idle", url)
            job, job_mb = in_child("--compute", url, campaign_id)
            before = in_child("--live", url, campaign_id) if LIVE else None
            m, _ = in_child("--measure", url, campaign_id)
        load = "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        rows += [
            [
                backend,
                size,
                "SQL aggregation (baseline)",
                m["answers"],
                m["sql_cold"],
                "",
                f"seeded in {seeded:.0f} s",
            ],
            [
                backend,
                size,
                "cohort job (background)",
                m["answers"],
                job["seconds"],
                f"{job_mb:.0f} MB",
                f"CPU {job['cpu']:.1f} s; idle process {floor_mb:.0f} MB; " + load,
            ],
            *(
                [
                    [
                        backend,
                        size,
                        "before: cohort computed per view (live)",
                        m["answers"],
                        before[0]["seconds"],
                        f"{before[1]:.0f} MB",
                        f"CPU {before[0]['cpu']:.1f} s",
                    ]
                ]
                if before
                else []
            ),
            [
                backend,
                size,
                "cohort page, first view",
                m["answers"],
                m["cohort_cold"][0],
                "",
                f"CPU {m['cohort_cold'][1] * 1000:.0f} ms",
            ],
            [
                backend,
                size,
                "cohort page, warm (median of 3)",
                m["answers"],
                m["cohort_warm"][0],
                "",
                f"CPU {m['cohort_warm'][1] * 1000:.0f} ms; "
                f"{m['html_kb']:.0f} KB HTML, {m['gzip_kb']:.0f} KB gzip",
            ],
            [
                backend,
                size,
                "heat-map CSV download",
                m["answers"],
                m["csv"][0],
                "",
                f"CPU {m['csv'][1] * 1000:.0f} ms",
            ],
            [
                backend,
                size,
                f"participant report page (median of {PAGES_SAMPLED})",
                m["answers"],
                m["page_median"],
                "",
                f"CPU {m['page_cpu'] * 1000:.0f} ms; max {m['page_max'] * 1000:.0f} ms",
            ],
        ]
        print_table(
            f"Reports so far ({backend}, {size} participants)",
            ["db", "participants", "what", "answers", "seconds", "peak RSS", "note"],
            rows,
        )
    return rows


def main() -> None:
    """Print the table for every backend."""
    rows = []
    for backend in backends():
        rows += run_backend(backend)
    print_table(
        f"Reports: participants x {len(RATERS)} responses x 24 items",
        ["db", "participants", "what", "answers", "seconds", "peak RSS", "note"],
        rows,
    )


if __name__ == "__main__":
    MODES = {"--measure": measure, "--compute": compute, "--idle": idle, "--live": live}
    if sys.argv[1:2] and sys.argv[1] in MODES:
        found = MODES[sys.argv[1]](*sys.argv[2:])
        found["peak_rss_kb"] = peak_rss_kb()
        print(json.dumps(found))
    else:
        main()
