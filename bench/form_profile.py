"""In-process CPU of one rater form GET and one page POST (test client, no network).

Run: .venv/bin/python -m bench.form_profile [--profile] [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import time

from bench.common import fresh_database, make_app
from bench.submit_bench import CSRF_FIELD, page_fields, seed

ROUNDS = 400


def main() -> None:
    """Print CPU ms per GET and per POST; with --profile, pyinstrument trees of both."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--backend", default="sqlite")
    args = parser.parse_args()
    with fresh_database(args.backend) as url:
        links, pages = seed(url, ROUNDS + 50)
        app = make_app(url, RATELIMIT_ENABLED=True)
        clients = []
        for n, (token, secret) in enumerate(links):
            client = app.test_client()
            # One address per rater, as in production: the limiter counts each on its own.
            client.environ_base["REMOTE_ADDR"] = f"10.1.{n // 250}.{n % 250 + 1}"
            client.set_cookie("link_claim", secret, path=f"/r/{token}")
            clients.append((client, token))
        # Every rater has opened the page once (their session and CSRF token exist) and the
        # worker has served the campaign before, as in the HTTP bench.
        for client, token in clients:
            client.get(f"/r/{token}/page/1")
        work = clients[50:]
        started = time.process_time()
        profiler = None
        from pyinstrument import Profiler

        if args.profile:
            profiler = Profiler(interval=0.0002)
            profiler.start()
        tokens = []
        for client, token in work:
            body = client.get(f"/r/{token}/page/1").get_data(as_text=True)
            tokens.append(CSRF_FIELD.search(body).group(1))
        get_ms = (time.process_time() - started) / len(work) * 1000
        if profiler:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
        fields = page_fields_for(pages)
        if args.profile:
            profiler = Profiler(interval=0.0002)
            profiler.start()
        started = time.process_time()
        for (client, token), csrf in zip(work, tokens, strict=True):
            response = client.post(f"/r/{token}/page/1", data={"csrf_token": csrf, **fields})
            assert response.status_code == 302, response.status_code
        post_ms = (time.process_time() - started) / len(work) * 1000
        if profiler:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
        print(
            f"{args.backend}: GET {get_ms:.2f} ms CPU, page POST {post_ms:.2f} ms CPU "
            f"(means of {len(work)})"
        )
        with app.app_context():
            from survey_app.extensions import db

            db.engine.dispose()


def page_fields_for(pages: list[dict]) -> dict:
    """The first page's answers."""
    return pages[0] if pages else page_fields(())


if __name__ == "__main__":
    main()
