"""Reports at cohort scale: 1,000 participants x (self + 8 raters) x 24 items (216,000 answers).

Run: .venv/bin/python -m bench reports   (BENCH_BACKENDS, BENCH_PARTICIPANTS to change)

Seeds a levelled 360 campaign with bulk inserts, then, in a fresh process (so every cache is
cold): the cohort report page (first request, then warm), individual participant report pages,
and the baseline: one SQL aggregation (mean and count per participant, group and item) over the
same answers, the floor of what any report can cost.
"""

from __future__ import annotations

import json
import os
import random
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

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "1000"))
RATERS = ["self", "line_manager", "peer", "peer", "peer", "direct_report", "direct_report",
          "direct_report", "partner"]
COMMENTS = ["Calm under pressure and clear about what matters.",
            "Could delegate more and trust the team with decisions.",
            "Brings partners together; meetings end with actions."]
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
    from survey_app.models import Answer, Response, new_id, today
    from survey_app.people.services import add_participant

    rng = random.Random(9)
    app = make_app(url)
    with app.app_context():
        campaign = open_360_campaign(commissioner())
        instrument = campaign_instrument(campaign)
        levelled = [i.id for i in instrument.items if i.type == "levelled"]
        texts = [i.id for i in instrument.items if i.type == "long_text"]
        people = [add_participant(campaign, f"Participant {n:04d}", f"p{n}@example.org",
                                  aspired_role="director").participant
                  for n in range(participants)]
        for person in people:
            person.report_released = True
        responses, answers = [], []
        for person in people:
            for relationship in RATERS:
                rid = new_id()
                responses.append({"id": rid, "campaign_id": campaign.id,
                                  "participant_id": person.id, "relationship": relationship,
                                  "submitted_on": today(), "source": "link"})
                answers += [{"response_id": rid, "item_id": item, "position": 0,
                             "value": rng.choice("1234") if rng.random() > 0.05 else
                             "not_observed"} for item in levelled]
                answers += [{"response_id": rid, "item_id": item, "position": 0,
                             "value": rng.choice(COMMENTS)} for item in texts]
        db.session.execute(Response.__table__.insert(), responses)
        for start in range(0, len(answers), 20000):
            db.session.execute(Answer.__table__.insert(), answers[start:start + 20000])
        db.session.commit()
        campaign_id = campaign.id
        db.engine.dispose()
    return campaign_id


def measure(url: str, campaign_id: str) -> dict:
    """Cold and warm cohort page, participant report pages and the SQL baseline (one process)."""
    from sqlalchemy import select, text

    from survey_app.auth.services import session_version
    from survey_app.extensions import db
    from survey_app.models import Participant, User

    app = make_app(url)
    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(select(User))
        ids = list(db.session.scalars(select(Participant.id).where(
            Participant.campaign_id == campaign_id).limit(PAGES_SAMPLED)))
        with client.session_transaction() as session:
            session.update(user_id=user.id, version=session_version(user),
                           signed_in_at=int(time.time()))
        db.session.remove()
    cohort = [_timed_get(client, f"/campaigns/{campaign_id}/cohort") for _ in range(3)]
    pages = [_timed_get(client, f"/campaigns/{campaign_id}/participants/{pid}/report")
             for pid in ids]
    with app.app_context():
        sql = []
        for _ in range(3):
            started = time.perf_counter()
            rows = db.session.execute(text(BASELINE_SQL), {"campaign": campaign_id}).all()
            sql.append(time.perf_counter() - started)
        answers = db.session.execute(text("SELECT COUNT(*) FROM answers")).scalar()
        db.engine.dispose()
    return {"answers": answers, "groups": len(rows), "sql_cold": sql[0], "sql_warm": min(sql),
            "cohort_cold": cohort[0], "cohort_warm": min(cohort[1:]),
            "page_median": statistics.median(pages), "page_max": max(pages)}


def _timed_get(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status_code}")
    return elapsed


def run_backend(backend: str) -> list[list]:
    """Rows of the table for one backend."""
    with fresh_database(backend) as url:
        started = time.perf_counter()
        campaign_id = seed(url, PARTICIPANTS)
        seeded = time.perf_counter() - started
        output = subprocess.run([sys.executable, "-m", "bench.report_bench", "--measure", url,
                                 campaign_id], check=True, capture_output=True, text=True).stdout
    m = json.loads(output.strip().splitlines()[-1])
    floor = m["sql_cold"]
    return [[backend, "SQL aggregation (baseline)", m["answers"], m["sql_cold"], 1.0, ""],
            [backend, "cohort report page, cold", m["answers"], m["cohort_cold"],
             m["cohort_cold"] / floor, f"seeded in {seeded:.0f} s"],
            [backend, "cohort report page, warm", m["answers"], m["cohort_warm"],
             m["cohort_warm"] / floor, ""],
            [backend, f"participant report page (median of {PAGES_SAMPLED})", m["answers"],
             m["page_median"], m["page_median"] / floor, f"max {m['page_max'] * 1000:.0f} ms"]]


def main() -> None:
    """Print the table for every backend."""
    rows = []
    for backend in backends():
        rows += run_backend(backend)
    print_table(f"Reports: {PARTICIPANTS} participants x {len(RATERS)} responses x 24 items",
                ["db", "what", "answers", "seconds", "x baseline", "note"], rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
    else:
        main()
