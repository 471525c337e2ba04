"""A bounded closed-loop HTTP load generator (threads + http.client, loopback only) and gunicorn.

Each client thread keeps one keep-alive connection and sends its next request as soon as the last
one is answered, until its work runs out or the time is up. Latencies are per request.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import ROOT

HOST = "127.0.0.1"
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


# The gunicorn of the interpreter running the bench (the checkout's .venv, or another venv).
GUNICORN = Path(sys.executable).with_name("gunicorn")


@contextlib.contextmanager
def gunicorn(app_path: str, env: dict[str, str] | None = None) -> Iterator[int]:
    """Serve `module:app` with gunicorn (gthread workers, --preload) on a free loopback port.

    --preload imports the app once before forking, as production does: workers are up at once
    (without it the submit bench crashed while slow workers were still booting).
    """
    for attempt in range(3):
        port = _free_port()
        command = [
            str(GUNICORN),
            app_path,
            "--bind",
            f"{HOST}:{port}",
            "--preload",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
        ]
        server = subprocess.Popen(command, env={**os.environ, **(env or {})}, cwd=ROOT)
        try:
            _wait_until_up(port, server)
        except RuntimeError:
            server.kill()
            server.wait(timeout=30)
            if attempt == 2:
                raise
            continue  # another process took the port between the probe and the bind
        try:
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)
        return


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def load_average() -> str:
    """The 1-minute load average now (the machine is shared: every figure records it)."""
    return f"{os.getloadavg()[0]:.1f}"


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            time.sleep(1.0)  # let every worker finish importing the app
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


@dataclass
class Stats:
    """Latencies (seconds) and failures of every timed request."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    elapsed: float = 0.0

    def add(self, latency: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies.append(latency)
            if error:
                self.errors.append(error)

    def summary(self) -> dict:
        """Requests, requests per second, p50/p95/p99 in milliseconds, and errors."""
        ordered = sorted(self.latencies)

        def pct(q: float) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0

        return {
            "requests": len(ordered),
            "rps": len(ordered) / self.elapsed if self.elapsed else 0,
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "errors": len(self.errors),
            "first_error": self.errors[0] if self.errors else "",
        }


class Client:
    """One keep-alive connection that times and checks each request."""

    def __init__(self, port: int, stats: Stats | None):
        self.port = port
        self.stats = stats
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(
        self,
        method: str,
        path: str,
        fields: dict | list | None = None,
        cookies: str = "",
        expect: tuple[int, ...] = (200,),
        address: str = "",
    ) -> tuple[int, dict, bytes]:
        """Send one request; a status outside `expect` or a failure counts as an error.

        `address` is the client address a proxy in front would name (X-Forwarded-For).
        """
        body = urlencode(fields, doseq=True).encode() if fields is not None else None
        headers = {"Cookie": cookies} if cookies else {}
        if address:
            headers["X-Forwarded-For"] = address
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        status, response_headers, data, error = 0, {}, b"", None
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
            status, response_headers = response.status, dict(response.getheaders())
            if status not in expect:
                error = f"{method} {path.split('/')[1]}: HTTP {status}"
        except (OSError, http.client.HTTPException) as failure:
            error = f"{method}: {type(failure).__name__} {failure}"
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        if self.stats is not None:
            self.stats.add(time.perf_counter() - started, error)
        return status, response_headers, data


def run_clients(
    port: int,
    clients: int,
    work: Callable[[Client, int, Callable[[], bool]], None],
    seconds: float,
    setup: Callable[[Client, int], object] | None = None,
) -> Stats:
    """Run `work(client, index, time_left)` on `clients` threads for at most `seconds`.

    `setup(client, index)` runs untimed first (e.g. fetching a CSRF token) on the same connection.
    """
    stats = Stats()
    pool = [Client(port, None) for _ in range(clients)]
    if setup is not None:
        for index, client in enumerate(pool):
            setup(client, index)
    for client in pool:
        client.stats = stats
    deadline = time.monotonic() + seconds

    def time_left() -> bool:
        return time.monotonic() < deadline

    threads = [
        threading.Thread(target=work, args=(client, index, time_left))
        for index, client in enumerate(pool)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats.elapsed = time.perf_counter() - started
    for client in pool:
        client.connection.close()
    return stats


def constant_load(
    port: int, clients: int, seconds: float, method: str = "GET", fields: dict | None = None
) -> dict:
    """The baseline: hammer /constant with GETs (or POSTs of `fields`)."""

    def work(client: Client, index: int, time_left) -> None:
        while time_left():
            client.request(method, "/constant", fields)

    return run_clients(port, clients, work, seconds).summary()


if __name__ == "__main__":
    with gunicorn("bench.baseline_wsgi:app") as served_port:
        print(constant_load(served_port, int(sys.argv[1]) if len(sys.argv) > 1 else 32, 5))
