"""A real `redis-server` for the shared-store tests: one per test session, on a free loopback port."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import redis

from simulator.core.store.redis import RedisStore
from tests.test_cli import _free_port, _wait_for_line


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed (Debian: apt-get install -y redis-server)"
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path_factory.mktemp("redis"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_line(process, "Ready to accept connections", timeout=30)
        url = f"redis://127.0.0.1:{port}/0"
        assert redis.Redis.from_url(url).ping()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def redis_store(redis_url: str) -> Iterator[RedisStore]:
    """A RedisStore on an empty database, emptied again afterwards."""
    store = RedisStore(redis_url)
    store.reset()
    yield store
    store.reset()
