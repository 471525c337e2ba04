"""Weight: bytes over the wire for the cohort page, a rater form, plotly.js and the static files,
plain, gzip and brotli, and what compressing costs a request (in-process, test client).

Run: .venv/bin/python -m bench weight   (BENCH_PARTICIPANTS, default 1000; SQLite)
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import time

import brotli

from bench.common import fresh_database, make_app, open_360_campaign, print_table
from bench.report_bench import PARTICIPANTS, seed

ENCODINGS = {"plain": "identity", "gzip": "gzip", "br": "br"}
REPEATS = int(os.environ.get("BENCH_WEIGHT_REPEATS", "200"))


def rater_link(url: str) -> tuple[str, str]:
    """A claimed rater link (token, claim secret) in a second campaign of the bench's owner."""
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import User
    from survey_app.people.services import add_invitation, add_participant
    from survey_app.respond import claims

    app = make_app(url)
    with app.app_context():
        campaign = open_360_campaign(db.session.scalar(select(User)), "Bench form")
        subject = add_participant(campaign, "Participant R").participant
        link = add_invitation(campaign, participant=subject, relationship="peer")
        secret, _ = claims.claim(link.invitation)
        db.session.commit()
        db.engine.dispose()
    return link.token, secret


def freeze(url: str, campaign_id: str) -> None:
    """Close every window, so each participant has the frozen report the cohort page reads."""
    from survey_app.extensions import db
    from survey_app.mixing.services import close_windows
    from survey_app.models import Campaign

    app = make_app(url)
    with app.app_context():
        close_windows(list(db.session.get(Campaign, campaign_id).participants))
        db.session.commit()
        db.engine.dispose()


def signed_in_client(app):
    """A test client signed in as the bench's commissioner."""
    from sqlalchemy import select

    from survey_app.auth.services import session_version
    from survey_app.extensions import db
    from survey_app.models import User

    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(select(User))
        with client.session_transaction() as session:
            session.update(
                user_id=user.id, version=session_version(user), signed_in_at=int(time.time())
            )
        db.session.remove()
    return client


def sizes(client, path: str) -> dict[str, int]:
    """Bytes of the body sent for each Accept-Encoding."""
    out = {}
    for name, accept in ENCODINGS.items():
        response = client.get(path, headers={"Accept-Encoding": accept})
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status_code}")
        out[name] = len(response.data)
    return out


def compress_ms(body: bytes) -> dict[str, float]:
    """Milliseconds flask-compress spends on `body` at the app's levels (median of 5)."""

    def median(work) -> float:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            work()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs) * 1000

    return {
        "gzip": median(lambda: gzip.compress(body, 6)),
        "br": median(lambda: brotli.compress(body, quality=4)),
    }


def request_ms(client, path: str, repeats: int) -> dict[str, float]:
    """Median whole-request time plain and with brotli, alternated request by request."""
    runs: dict[str, list[float]] = {"plain": [], "br": []}
    for _ in range(repeats):
        for name in runs:
            started = time.perf_counter()
            client.get(path, headers={"Accept-Encoding": ENCODINGS[name]})
            runs[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in runs.items()}


def asset_urls(page: str) -> list[str]:
    """The scripts and style sheets a page loads."""
    return re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', page)


def main() -> None:
    """Seed a cohort, then print the weight table and the compression cost table."""
    from survey_app.charts.routes import _full_bundle

    with fresh_database("sqlite") as url:
        started = time.perf_counter()
        campaign_id = seed(url, PARTICIPANTS)
        freeze(url, campaign_id)
        token, secret = rater_link(url)
        print(
            f"(seeded {PARTICIPANTS} participants in {time.perf_counter() - started:.0f} s; "
            f"load average {os.getloadavg()[0]:.1f})"
        )
        app = make_app(url)
        client = signed_in_client(app)
        rater = app.test_client()
        rater.set_cookie("link_claim", secret)
        cohort, form = f"/campaigns/{campaign_id}/cohort", f"/r/{token}/page/1"
        cohort_page = client.get(cohort).get_data(as_text=True)
        if "data-figure" not in cohort_page:
            raise RuntimeError("the cohort page has no heat map: no frozen reports?")
        form_page = rater.get(form).get_data(as_text=True)
        rows = [
            [f"cohort page ({PARTICIPANTS} participants)", *sizes(client, cohort).values()],
            ["rater form page 1", *sizes(rater, form).values()],
        ]
        full = make_app(url, PLOTLY_JS=str(_full_bundle())).test_client()
        rows.append(
            ["plotly.js, full bundle (before)", *sizes(full, "/vendor/plotly.min.js").values()]
        )
        for path in sorted(set(asset_urls(cohort_page) + asset_urls(form_page))):
            rows.append([path.split("?")[0], *sizes(client, path).values()])
        print_table("Weight: bytes of the body", ["what", "plain", "gzip", "br"], rows)
        cost = []
        for name, page_client, path, body in (
            ("cohort page", client, cohort, cohort_page),
            ("rater form page 1", rater, form, form_page),
        ):
            ms = compress_ms(body.encode())
            whole = request_ms(page_client, path, 3 if path == cohort else REPEATS)
            cost.append(
                [name, len(body.encode()), ms["gzip"], ms["br"], whole["plain"], whole["br"]]
            )
        print_table(
            "Compression cost, ms (in-process)",
            ["page", "bytes", "gzip 6", "br 4", "request plain", "request br"],
            cost,
        )
        print(f"(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
