"""Several simulator processes sharing one Redis behave as one simulator, over real HTTP."""

import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from simulator.core.clock import parse_instant
from tests.test_cli import ROOT, _free_port, _wait_for_line

FROZEN = "2026-01-05T07:00:00Z"

# granian says "Started worker-N" as the worker starts, a moment before it accepts connections; only a
# refused connection is retried (bounded, with a short backoff), so that moment cannot fail a test.
_http = requests.Session()
_retry = Retry(total=None, connect=50, read=0, status=0, backoff_factor=0.01, backoff_max=0.1)
_http.mount("http://", HTTPAdapter(max_retries=_retry))


@pytest.fixture
def start(redis_url: str, redis_store) -> Iterator[Callable[..., str]]:
    """Start `python run.py` on the shared Redis; returns its base URL once it serves."""
    processes: list[subprocess.Popen] = []

    def run(server: str = "waitress", workers: int = 1) -> str:
        port = _free_port()
        flags = ["--store", redis_url, "--port", str(port), "--clock", f"frozen:{FROZEN}", "--server", server]
        process = subprocess.Popen(
            [sys.executable, "run.py", *flags, "--workers", str(workers), "--log-level", "info"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(process)
        _wait_for_line(process, "Serving on" if server == "waitress" else f"Started worker-{workers}", timeout=30)
        return f"http://127.0.0.1:{port}"

    yield run
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=15)


def _clock(base: str, **change) -> dict:
    """Change the clock when `change` says how, else read it."""
    url = f"{base}/_sim/clock"
    response = _http.post(url, json=change, timeout=5) if change else _http.get(url, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def test_clock_advanced_through_one_process_is_read_through_the_other(start):
    first, second = start(), start()
    frozen_at = parse_instant(FROZEN).timestamp()
    assert _clock(first)["timestamp"] == frozen_at
    _clock(second, advance="90s")
    assert _clock(first) == {**_clock(second), "timestamp": frozen_at + 90}
    assert _clock(first)["now"] == "2026-01-05T07:01:30.000Z"


def test_reset_through_one_process_resets_the_clock_of_the_other(start):
    first, second = start(), start()
    _clock(first, advance="1h")
    assert _http.post(f"{second}/_sim/reset", timeout=5).status_code == 200
    assert _clock(first)["timestamp"] == parse_instant(FROZEN).timestamp()


def test_two_granian_workers_count_every_clock_change_once(start):
    base = start("granian", workers=2)
    for _ in range(20):  # each request lands on either worker
        _clock(base, advance="1s")
    seen = {_clock(base)["timestamp"] for _ in range(20)}
    assert seen == {parse_instant(FROZEN).timestamp() + 20}


def test_several_workers_on_memory_store_are_refused():
    result = subprocess.run(
        [sys.executable, "run.py", "--workers", "2"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "--workers: memory:// keeps state in one process; use one worker or a shared store such as redis://" in (
        result.stderr
    )


def test_unreachable_redis_exits_2_with_one_clear_line():
    url = f"redis://127.0.0.1:{_free_port()}/0"
    result = subprocess.run(
        [sys.executable, "run.py", "--store", url, "--workers", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1
    assert lines[0].startswith(f"provider-simulator: --store: cannot reach Redis at {url}: ")
