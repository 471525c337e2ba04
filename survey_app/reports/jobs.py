"""The cohort report's background job, on RQ (Redis) or in this process after the response.

One job function, `run_cohort_job`: with `REDIS_URL` set it is enqueued on RQ and a
`survey-app worker` runs it; on the embedded default it runs in this process once the response
has been sent (`call_on_close`), or straight after the commit outside a request (the CLI).
Bursts coalesce: a campaign has at most one job waiting (a Redis key, or a set in this
process), and the job reads the newest data version when it starts, so a hundred closed
windows cause one recomputation. `save_cohort` refuses to store a result older than the one
stored, so a slow, stale job cannot overwrite a newer one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from flask import (
    Flask,
    Response,
    after_this_request,
    current_app,
    has_app_context,
    has_request_context,
    request,
)
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Campaign
from .store import PENDING, compute_cohort, data_version, save_cohort

log = logging.getLogger(__name__)
QUEUE = "survey-app-reports"
PENDING_KEY = "survey-app:cohort-report-waiting:{}"  # set while a job for the campaign waits
JOB_TIMEOUT = 1800  # seconds: the 5,000-participant cohort takes about 25 (docs/performance.md)
REQUEST_KEY = "survey_app.cohort_jobs"  # campaigns whose job runs after this response
_waiting: dict[str, float] = {}  # in-process: campaigns with a job scheduled, since when
_lock = threading.Lock()
_listening = False


def register(app: Flask) -> None:
    """Schedule the job after every commit that changed a cohort (`survey-app worker`: cli.py)."""
    global _listening
    if not _listening:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
        _listening = True


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: nothing is visible to the job until the real commit
    changed = session.info.pop(PENDING, None)
    if changed and has_app_context():
        schedule(sorted(changed))


def _after_rollback(session: Session, previous: Any) -> None:
    if not previous.nested:
        session.info.pop(PENDING, None)


def schedule(campaign_ids: Iterable[str]) -> None:
    """Have each campaign's cohort recomputed: on RQ, after this response, or now."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    ids = list(campaign_ids)
    if app.config.get("REDIS_URL"):
        ids = [cid for cid in ids if not _enqueue(app.config["REDIS_URL"], cid)]
    if not has_request_context():
        run_jobs(app, ids)  # the CLI (or a test) waits for it, like any other step
    elif ids := _claim(ids):
        _after_response(app, ids)


def _claim(campaign_ids: list[str]) -> list[str]:
    """The campaigns not already waiting for an in-process job (now marked waiting).

    A mark older than JOB_TIMEOUT is ignored: a response that was never closed must not keep
    its campaign from being recomputed for the life of the process.
    """
    now = time.monotonic()
    with _lock:
        claimed = [
            cid for cid in campaign_ids if now - _waiting.get(cid, -JOB_TIMEOUT) >= JOB_TIMEOUT
        ]
        _waiting.update(dict.fromkeys(claimed, now))
    return claimed


def _after_response(app: Flask, campaign_ids: list[str]) -> None:
    # Kept on the request (not `g`: an app context can outlive many requests).
    queued: list[str] | None = request.environ.get(REQUEST_KEY)
    if queued is not None:
        queued.extend(campaign_ids)
        return
    request.environ[REQUEST_KEY] = queued = list(campaign_ids)

    @after_this_request
    def run_when_sent(response: Response) -> Response:
        response.call_on_close(lambda: run_jobs(app, queued))
        return response


def run_jobs(app: Flask, campaign_ids: Iterable[str]) -> None:
    """Run the job for each campaign in this process, logging (not raising) a failure."""
    for campaign_id in campaign_ids:
        try:
            with app.app_context():
                run_cohort_job(campaign_id)
        except Exception:
            log.exception(
                "Computing the cohort report of %s failed; the page keeps the last "
                "one and says an update is waiting",
                campaign_id,
            )


def _enqueue(redis_url: str, campaign_id: str) -> bool:
    """Put the job on RQ unless one is already waiting (True if RQ has it)."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        redis = Redis.from_url(redis_url)
        if redis.set(PENDING_KEY.format(campaign_id), "1", nx=True, ex=JOB_TIMEOUT):
            Queue(QUEUE, connection=redis).enqueue(
                run_cohort_job, campaign_id, job_timeout=JOB_TIMEOUT
            )
        return True
    except RedisError:
        log.exception("Redis refused the cohort job of %s; running it in this process", campaign_id)
        return False


def run_cohort_job(campaign_id: str) -> bool:
    """Recompute and store a campaign's cohort report if newer data waits (True if stored)."""
    if not has_app_context():  # an RQ worker started without the app (`rq worker`)
        from .. import create_app

        with create_app().app_context():
            return run_cohort_job(campaign_id)
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():  # a session of its own, reading only what is committed
        _started(app, campaign_id)
        versions = data_version(campaign_id)
        campaign = db.session.get(Campaign, campaign_id)
        if versions is None or campaign is None or versions[1] >= versions[0]:
            return False
        saved = save_cohort(campaign_id, compute_cohort(campaign), versions[0])
        db.session.commit()
        return saved


def _started(app: Flask, campaign_id: str) -> None:
    """Let changes from now on schedule a new job (this one may read them, or may not)."""
    with _lock:
        _waiting.pop(campaign_id, None)
    if app.config.get("REDIS_URL"):
        from redis import Redis

        Redis.from_url(app.config["REDIS_URL"]).delete(PENDING_KEY.format(campaign_id))
