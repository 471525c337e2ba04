"""Link tokens: long, random, hashed; every link page rate-limited, failing closed (V2, V3, V11)."""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import socket
import subprocess
import time

import pytest
import redis

from survey_app import create_app
from survey_app.extensions import db
from survey_app.tokens import hash_token, new_token

pytestmark = pytest.mark.db


def test_tokens_carry_at_least_128_random_bits():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))) * 8 >= 128 for t in tokens)


def test_the_database_holds_only_hashes_of_link_tokens(world):
    from sqlalchemy import select

    dump = " ".join(
        repr(tuple(row))
        for table in db.metadata.sorted_tables
        for row in db.session.execute(select(table))
    )
    for token in (
        world.participant_token,
        world.peer_token,
        world.respondent_token,
        world.open_token,
    ):
        assert token not in dump
        assert hash_token(token) in dump


def test_a_token_one_character_off_opens_nothing(client, world):
    token = world.peer_token
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/r/{token}").status_code == 200
    assert client.get(f"/r/{near}").status_code == 404


def _limited_app(database_urls, backend, tmp_path, storage: str):
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_urls[backend],
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": storage,
        }
    )
    app.instance_path = str(tmp_path)
    return app


def _token_get_urls(app) -> list[str]:
    guessed = secrets.token_urlsafe(24)
    urls = []
    for rule in app.url_map.iter_rules():
        from survey_app.privacy.audiences import audience_of

        if audience_of(rule.endpoint) == "token" and "GET" in rule.methods:
            values = {name: (1 if name == "number" else guessed) for name in rule.arguments}
            urls.append(rule.build(values, append_unknown=False)[1])
    return sorted(urls)


def _dispose(app):
    with app.app_context():
        db.engine.dispose()


def test_every_link_page_is_rate_limited_per_client(database_urls, backend, tmp_path):
    app = _limited_app(database_urls, backend, tmp_path, "memory://")
    browser, other_browser = app.test_client(), app.test_client()
    urls = _token_get_urls(app)
    assert len(urls) >= 15
    for url in urls:
        codes = [browser.get(url).status_code for _ in range(61)]
        assert codes[:60] == [404] * 60 and codes[60] == 429, url
    # Another client (another address) is not held back by the first one's attempts.
    assert other_browser.get(urls[0], environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 404
    _dispose(app)


def test_the_limiter_fails_closed_when_its_store_is_down(database_urls, backend, tmp_path):
    app = _limited_app(database_urls, backend, tmp_path, "redis://127.0.0.1:1")
    browser = app.test_client()
    for url in _token_get_urls(app):
        response = browser.get(url)
        assert response.status_code == 503, url
        assert "Nothing was changed" in response.get_data(as_text=True)
    assert browser.post("/sign-in", data={"email": "a@b.c", "password": "x"}).status_code in (
        400,
        503,
    )
    _dispose(app)


def _redis_answers(port: int) -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def redis_port():
    """Redis on 127.0.0.1:6379, else a private redis-server started for these tests."""
    if _redis_answers(6379):
        yield 6379
        return
    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is needed for the rate-limit storage test")
        pytest.skip("no Redis on 127.0.0.1:6379 and no redis-server to start")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        if _redis_answers(port):
            break
        time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)


def test_rate_limits_are_shared_through_redis(database_urls, backend, tmp_path, redis_port):
    storage = f"redis://127.0.0.1:{redis_port}/0"
    store = redis.Redis(host="127.0.0.1", port=redis_port)
    before = set(store.keys("LIMITS:*"))
    # Two app instances stand for two workers: the limit counts across both.
    first = _limited_app(database_urls, backend, tmp_path, storage)
    second = _limited_app(database_urls, backend, tmp_path, storage)
    url = "/r/" + secrets.token_urlsafe(24)
    codes = [first.test_client().get(url).status_code for _ in range(30)]
    codes += [second.test_client().get(url).status_code for _ in range(31)]
    assert codes[:60] == [404] * 60 and codes[60] == 429
    new_keys = set(store.keys("LIMITS:*")) - before
    assert any(b"respond.r_start" in key for key in new_keys)
    store.delete(*new_keys)
    _dispose(first)
    _dispose(second)
