"""A Redis outage, over real HTTP and a real redis-server that is stopped and started again.

While Redis is down a provider request fails at once in the provider's own internal-error
envelope, and stores (and charges) nothing; once Redis is back the next request succeeds and the
messages stored before the outage move on with the clock. The server keeps its data (append-only
file), as a Redis that restarts or fails over does, so the scheduler lock a worker held when Redis
went away is still there when it comes back: it must neither hold up requests nor stop the clock.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from simulator.app import create_app
from simulator.core.store import Store
from simulator.providers.smsclub import errors as smsclub_errors
from simulator.server import serve_in_thread
from tests.conftest import make_settings
from tests.test_cli import _free_port, _wait_for_line

SEND = {"sender": "Tesst", "phones": ["380989361121"], "message": "hi"}
AUTH = {"Authorization": "Bearer sim-smsclub-demo-token"}
# A bound, not a measurement: before the fix a request waited ~24 s on Redis retries and leases.
ANSWER_WITHIN = 5.0


class RedisProcess:
    """One redis-server on a fixed port and directory, so it can stop and come back with its data."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (Debian: apt-get install -y redis-server)"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "yes", "--appendfsync", "always"]
        self.process = subprocess.Popen(
            command, cwd=self.directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        _wait_for_line(self.process, "Ready to accept connections", timeout=30)

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=15)
        self.process = None


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.stop()


@pytest.fixture
def simulator(redis_process: RedisProcess) -> Iterator[tuple[str, Store]]:
    """The simulator's base URL, and its store (the test plays a worker holding its scheduler lock)."""
    app = create_app(make_settings(store=redis_process.url))
    server = serve_in_thread(app)
    engine = app.extensions["simulator"].engine
    yield server.url, engine.store
    server.close()
    engine.close()


def _send(url: str) -> requests.Response:
    return requests.post(url + "/smsclub/vibers/send", json=SEND, headers=AUTH, timeout=ANSWER_WITHIN)


def _stored(url: str) -> list[str]:
    listed = requests.get(url + "/_sim/messages?limit=100", timeout=ANSWER_WITHIN).json()
    return [message["id"] for message in listed["messages"]]


def _balance(url: str) -> float:
    accounts = requests.get(url + "/_sim/accounts", timeout=ANSWER_WITHIN).json()["accounts"]["smsclub"]
    return next(account["balance"] for account in accounts if account["demo"])


def test_redis_outage_fails_fast_in_the_provider_envelope_stores_nothing_and_recovers(redis_process, simulator):
    simulator_url, store = simulator
    initial = _balance(simulator_url)
    assert _send(simulator_url).status_code == 200
    price = initial - _balance(simulator_url)

    held = store.exclusive("default", "scheduler", wait=1)  # as a worker draining due jobs would
    assert held.__enter__()
    redis_process.stop()
    expected = smsclub_errors.internal_error()
    for _ in range(3):
        during = _send(simulator_url)  # raises Timeout if a request hangs on the dead Redis
        assert (during.status_code, during.content) == (expected.status_code, expected.get_data())
    with contextlib.suppress(redis.RedisError):  # the release cannot reach Redis: the lock stays behind
        held.__exit__(None, None, None)

    redis_process.start()
    assert redis.Redis.from_url(redis_process.url).ping()
    after = _send(simulator_url)  # the first request after Redis is back, on a pool of dead connections
    assert after.status_code == 200
    assert len(_stored(simulator_url)) == 2  # the requests that failed stored nothing ...
    assert _balance(simulator_url) == pytest.approx(initial - 2 * price)  # ... and were charged nothing

    requests.post(simulator_url + "/_sim/clock", json={"advance": "1h"}, timeout=ANSWER_WITHIN).raise_for_status()
    statuses = {m["status"] for m in requests.get(simulator_url + "/_sim/messages", timeout=5).json()["messages"]}
    assert statuses == {"delivered"}  # the scheduler works again, for messages from before and after
