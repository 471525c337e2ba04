"""Opening and submitting a rater's form under concurrent load, beside a bare-Flask baseline.

Run: .venv/bin/python -m bench submit   (BENCH_BACKENDS, BENCH_CLIENTS, BENCH_SECONDS,
BENCH_REPEATS to change)

The production configuration: rate limiter on (once with its memory store, once with Redis when
it answers), PROXY_COUNT=1 with each link's rater at their own address, gunicorn --preload.
For each backend: a fresh database with one open levelled 360 campaign and pre-claimed rater
links (a link answers once, so every submission takes a fresh one). Both servers run under the
same gunicorn settings, side by side; each repetition runs, each bounded by BENCH_SECONDS:
  baseline GET /constant, then GET /r/<token>/page/1 (opening a form);
  baseline POST /constant, then the full answering journey per link: every page POSTed with all
  its answers and the CSRF token, then the check page's submit.
The table gives the median of the repetitions and the load average after each. Afterwards the
number of submitted answers stored must equal the submits the clients saw succeed.
"""

from __future__ import annotations

import os
import queue
import random
import re

from bench.common import (
    backends,
    commissioner,
    fresh_database,
    make_app,
    open_360_campaign,
    print_table,
)
from bench.http_load import Client, constant_load, gunicorn, load_average, run_clients

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
OPEN_LINKS = int(os.environ.get("BENCH_OPEN_LINKS", "1500"))
LINKS = int(os.environ.get("BENCH_LINKS", "6000"))
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def seed(url: str, links: int) -> tuple[list[str], list[dict]]:
    """Claimed rater links (as 'token secret') and the POST fields of each rater page."""
    from survey_app.extensions import db
    from survey_app.people.services import add_invitation, add_participant
    from survey_app.respond import claims
    from survey_app.respond.services import pages_for

    app = make_app(url)
    with app.app_context():
        campaign = open_360_campaign(commissioner())
        subjects = [add_participant(campaign, f"Participant {n}").participant for n in range(50)]
        claimed = []
        for n in range(links):
            link = add_invitation(
                campaign,
                participant=subjects[n % len(subjects)],
                relationship=random.choice(["peer", "direct_report"]),
            )
            secret, _ = claims.claim(link.invitation)
            claimed.append((link.token, secret))
        db.session.commit()
        from survey_app.campaigns.services import campaign_instrument

        pages = [
            page_fields(section.items)
            for section in pages_for(campaign_instrument(campaign), "rater", {})
        ]
        db.engine.dispose()
    return claimed, pages


def page_fields(items) -> dict:
    """A full answer to every item of one page, as a browser would post it."""
    fields = {}
    for item in items:
        if item.type == "levelled":
            fields[item.field_name] = random.choice(["1", "2", "3", "4", "not_observed"])
        elif item.type == "multiple_choice":
            fields[item.field_name] = [option.code for option in item.options[:2]]
        else:
            fields[item.field_name] = "Clear about priorities and generous with credit."
    return fields


def _cookies(session_cookie: str, secret: str) -> str:
    return f"{session_cookie}; link_claim={secret}" if session_cookie else f"link_claim={secret}"


def address_of(number: int) -> str:
    """A rater's own address (each link answers from its own, as people do)."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


class Rater:
    """One client: links to open, a session (CSRF token and cookie, fetched untimed)."""

    def __init__(self, links: list[tuple[int, str, str]]):
        self.links = links
        self.csrf = ""
        self.session = ""
        self.submitted = 0

    def setup(self, client: Client) -> None:
        """Open the first page once to get a CSRF token and the session cookie it lives in."""
        number, token, secret = self.links[0]
        _, headers, body = client.request(
            "GET", f"/r/{token}/page/1", cookies=_cookies("", secret), address=address_of(number)
        )
        self.csrf = CSRF_FIELD.search(body.decode()).group(1)
        cookie = headers.get("Set-Cookie", "")
        self.session = cookie.split(";", 1)[0] if cookie.startswith("session=") else ""


def open_form_work(raters: list[Rater]):
    """GET page 1 of the client's links in turn."""

    def work(client: Client, index: int, time_left) -> None:
        rater, n = raters[index], 0
        while time_left():
            number, token, secret = rater.links[n % len(rater.links)]
            client.request(
                "GET",
                f"/r/{token}/page/1",
                cookies=_cookies(rater.session, secret),
                address=address_of(number),
            )
            n += 1

    return work


def submit_work(raters: list[Rater], pages: list[dict], unused: queue.SimpleQueue):
    """Answer every page of a fresh link, then submit it; a link started is always finished."""

    def work(client: Client, index: int, time_left) -> None:
        rater = raters[index]
        while time_left():
            try:
                number, token, secret = unused.get_nowait()
            except queue.Empty:
                client.stats.add(0.0, "the bench ran out of links (raise BENCH_LINKS)")
                return
            cookies, address = _cookies(rater.session, secret), address_of(number)
            for page, fields in enumerate(pages, 1):
                client.request(
                    "POST",
                    f"/r/{token}/page/{page}",
                    {"csrf_token": rater.csrf, **fields},
                    cookies,
                    expect=(302,),
                    address=address,
                )
            status, headers, _ = client.request(
                "POST",
                f"/r/{token}/check",
                {"csrf_token": rater.csrf},
                cookies,
                expect=(302,),
                address=address,
            )
            if status == 302 and headers.get("Location", "").endswith("/done"):
                rater.submitted += 1

    return work


def stored_responses(url: str) -> int:
    """Submitted answers in the database (sealed on their invitation until the mix)."""
    from sqlalchemy import func, select

    from survey_app.extensions import db
    from survey_app.models import Invitation

    app = make_app(url)
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.status == "completed")
        )
        db.engine.dispose()
    return count


def storages() -> list[tuple[str, str]]:
    """(name, RATELIMIT_STORAGE_URI) for each limiter store: memory, and Redis when it answers."""
    wanted = [("memory", "memory://")]
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_timeout=1).flushdb()
        wanted.append(("redis", REDIS))
    except Exception:  # noqa: BLE001  (no Redis: the memory store only)
        print("Redis does not answer: the limiter runs with memory:// only")
    return wanted


def run_backend(backend: str) -> list[list]:
    """Baseline and app figures for one backend, each limiter store, median of REPEATS."""
    rows = []
    with fresh_database(backend) as url:
        links, pages = seed(url, OPEN_LINKS + LINKS)
        numbered = [(n, token, secret) for n, (token, secret) in enumerate(links)]
        opening = [numbered[i:OPEN_LINKS:CLIENTS] for i in range(CLIENTS)]
        unused: queue.SimpleQueue = queue.SimpleQueue()
        for link in numbered[OPEN_LINKS:]:
            unused.put(link)
        submits = 0
        for name, storage in storages():
            env = {"DATABASE_URL": url, "RATELIMIT_STORAGE_URI": storage, "PROXY_COUNT": "1"}
            runs: dict[str, list[dict]] = {"get_base": [], "get": [], "post_base": [], "post": []}
            with (
                gunicorn("bench.baseline_wsgi:app") as base_port,
                gunicorn("bench.wsgi:app", env) as port,
            ):
                raters = [Rater(mine) for mine in opening]
                setup = _setup(raters)
                for _ in range(REPEATS):
                    # Baseline and subject alternate, so a change in the machine's load
                    # shows in both.
                    runs["get_base"].append(_phase(constant_load(base_port, CLIENTS, SECONDS)))
                    runs["get"].append(
                        _phase(
                            run_clients(
                                port, CLIENTS, open_form_work(raters), SECONDS, setup=setup
                            ).summary()
                        )
                    )
                    runs["post_base"].append(
                        _phase(
                            constant_load(
                                base_port,
                                CLIENTS,
                                SECONDS,
                                "POST",
                                {"csrf_token": "x" * 90, **pages[0]},
                            )
                        )
                    )
                    runs["post"].append(
                        _phase(
                            run_clients(
                                port,
                                CLIENTS,
                                submit_work(raters, pages, unused),
                                SECONDS,
                                setup=setup,
                            ).summary()
                        )
                    )
                submits += sum(r.submitted for r in raters)
            get_base, post_base = _median(runs["get_base"]), _median(runs["post_base"])
            rows.append(_row(backend, name, "baseline GET /constant", get_base, get_base))
            rows.append(_row(backend, name, "open form GET page", _median(runs["get"]), get_base))
            rows.append(_row(backend, name, "baseline POST /constant", post_base, post_base))
            rows.append(
                _row(backend, name, "answer+submit POSTs", _median(runs["post"]), post_base)
            )
        stored = stored_responses(url)
    rows[-1][-1] = f"all runs: {submits} submits, {stored} stored"
    return rows


def _setup(raters: list[Rater]):
    def setup(client: Client, index: int) -> None:
        raters[index].setup(client)

    return setup


def _phase(figures: dict) -> dict:
    figures["load"] = load_average()
    return figures


def _median(runs: list[dict]) -> dict:
    """The run with the median requests per second (its latencies and errors with it)."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    middle = dict(ordered[len(ordered) // 2])
    middle["errors"] = sum(run["errors"] for run in runs)
    middle["first_error"] = next((run["first_error"] for run in runs if run["first_error"]), "")
    middle["loads"] = "/".join(run["load"] for run in runs)
    return middle


def _row(backend, storage, what, figures, base) -> list:
    return [
        backend,
        storage,
        what,
        figures["requests"],
        round(figures["rps"], 1),
        f"{figures['rps'] / base['rps']:.0%}",
        round(figures["p50_ms"], 1),
        round(figures["p95_ms"], 1),
        figures["errors"],
        figures["loads"],
        figures["first_error"],
    ]


def main() -> None:
    """Print the table for every backend."""
    rows = []
    for backend in backends():
        rows += run_backend(backend)
    print_table(
        f"Forms under load: {CLIENTS} clients, {SECONDS:.0f} s per phase, median of "
        f"{REPEATS}, gunicorn gthread --preload, limiter on",
        [
            "db",
            "limiter",
            "what",
            "requests",
            "req/s",
            "vs base",
            "p50 ms",
            "p95 ms",
            "errors",
            "load avg",
            "note",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
