"""Opening and submitting a rater's form under concurrent load, beside a bare-Flask baseline.

Run: .venv/bin/python -m bench submit   (BENCH_BACKENDS, BENCH_CLIENTS, BENCH_SECONDS to change)

For each backend: a fresh database with one open levelled 360 campaign and pre-claimed rater
links (one per submission: a link answers once). Both servers run under the same gunicorn
settings. Phases, each bounded by BENCH_SECONDS:
  baseline GET /constant, then GET /r/<token>/page/1 (opening a form);
  baseline POST /constant, then the full answering journey per link: every page POSTed with all
  its answers and the CSRF token, then the check page's submit. Afterwards the number of stored
  responses must equal the submits the clients saw succeed.
"""

from __future__ import annotations

import os
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
from bench.http_load import Client, constant_load, gunicorn, run_clients

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
LINKS = int(os.environ.get("BENCH_LINKS", "2500"))
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
            link = add_invitation(campaign, participant=subjects[n % len(subjects)],
                                  relationship=random.choice(["peer", "direct_report"]))
            secret, _ = claims.claim(link.invitation)
            claimed.append((link.token, secret))
        db.session.commit()
        from survey_app.campaigns.services import campaign_instrument

        pages = [page_fields(section.items)
                 for section in pages_for(campaign_instrument(campaign), "rater", {})]
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


class Rater:
    """One client's links and its session (CSRF token and session cookie, fetched untimed)."""

    def __init__(self, links: list[tuple[str, str]]):
        self.links = links
        self.csrf = ""
        self.session = ""
        self.submitted = 0

    def setup(self, client: Client) -> None:
        """Open the first page once to get a CSRF token and the session cookie it lives in."""
        token, secret = self.links[0]
        _, headers, body = client.request("GET", f"/r/{token}/page/1", cookies=_cookies("", secret))
        self.csrf = CSRF_FIELD.search(body.decode()).group(1)
        cookie = headers.get("Set-Cookie", "")
        self.session = cookie.split(";", 1)[0] if cookie.startswith("session=") else ""


def open_form_work(raters: list[Rater]):
    """GET page 1 of the client's links in turn."""
    def work(client: Client, index: int, time_left) -> None:
        rater, n = raters[index], 0
        while time_left():
            token, secret = rater.links[n % len(rater.links)]
            client.request("GET", f"/r/{token}/page/1", cookies=_cookies(rater.session, secret))
            n += 1
    return work


def submit_work(raters: list[Rater], pages: list[dict]):
    """Answer every page of a link, then submit it; a link started is always finished."""
    def work(client: Client, index: int, time_left) -> None:
        rater = raters[index]
        for token, secret in rater.links:
            if not time_left():
                return
            cookies = _cookies(rater.session, secret)
            for number, fields in enumerate(pages, 1):
                client.request("POST", f"/r/{token}/page/{number}",
                               {"csrf_token": rater.csrf, **fields}, cookies, expect=(302,))
            status, headers, _ = client.request("POST", f"/r/{token}/check",
                                                {"csrf_token": rater.csrf}, cookies,
                                                expect=(302,))
            if status == 302 and headers.get("Location", "").endswith("/done"):
                rater.submitted += 1
    return work


def stored_responses(url: str) -> int:
    """Responses in the database."""
    from sqlalchemy import func, select

    from survey_app.extensions import db
    from survey_app.models import Response

    app = make_app(url)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Response))
        db.engine.dispose()
    return count


def run_backend(backend: str) -> list[list]:
    """Baseline and app figures for one backend."""
    rows = []
    with fresh_database(backend) as url:
        links, pages = seed(url, LINKS)
        per_client = [links[i::CLIENTS] for i in range(CLIENTS)]
        with gunicorn("bench.baseline_wsgi:app") as port:
            get_base = constant_load(port, CLIENTS, SECONDS)
            post_base = constant_load(port, CLIENTS, SECONDS, "POST",
                                      {"csrf_token": "x" * 90, **pages[0]})
        with gunicorn("bench.wsgi:app", {"DATABASE_URL": url}) as port:
            raters = [Rater(mine) for mine in per_client]
            opened = run_clients(port, CLIENTS, open_form_work(raters), SECONDS,
                                 setup=lambda client, i: raters[i].setup(client)).summary()
            posted = run_clients(port, CLIENTS, submit_work(raters, pages), SECONDS,
                                 setup=lambda client, i: raters[i].setup(client)).summary()
        submits = sum(r.submitted for r in raters)
        stored = stored_responses(url)
    rows.append(_row(backend, "baseline GET /constant", get_base, get_base))
    rows.append(_row(backend, "open form GET page", opened, get_base))
    rows.append(_row(backend, "baseline POST /constant", post_base, post_base))
    rows.append(_row(backend, "answer+submit POSTs", posted, post_base,
                     f"{submits} submits, {stored} stored"))
    return rows


def _row(backend, what, figures, base, note="") -> list:
    return [backend, what, figures["requests"], round(figures["rps"], 1),
            f"{figures['rps'] / base['rps']:.0%}", round(figures["p50_ms"], 1),
            round(figures["p95_ms"], 1), figures["errors"], note or figures["first_error"]]


def main() -> None:
    """Print the table for every backend."""
    rows = []
    for backend in backends():
        rows += run_backend(backend)
    print_table(f"Forms under load: {CLIENTS} clients, {SECONDS:.0f} s per phase, "
                f"gunicorn gthread", ["db", "what", "requests", "req/s", "vs base", "p50 ms",
                                      "p95 ms", "errors", "note"], rows)


if __name__ == "__main__":
    main()
