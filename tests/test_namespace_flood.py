"""Namespaces cost no thread and are capped: a flood of names over HTTP cannot take the simulator down."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from simulator.app import create_app
from simulator.server import serve_in_thread
from tests.conftest import make_settings
from tests.test_cli import ROOT, _free_port, _wait_until_serving

D7 = {"Authorization": "Bearer sim-d7-demo-token"}
SMS = {"messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}],
       "message_globals": {"originator": "SignOTP"}}  # fmt: skip
FLOOD = 5000
CAPPED_FLOOD = 1000  # names sent at a server capped at 200 (the 5,000-name flood is the test below)
WAITS = 200
# What a reset may leave behind in a process that held 5,000 namespaces: allocator slack (~10 MB measured),
# not the namespaces (~12 KB each: keeping them would be ~60 MB; before the fix the reset kept ~450 MB).
RSS_SLACK_KB = 32 * 1024


def _flood(session: requests.Session, base: str, count: int) -> list[int]:
    """The answers to a balance request in each of `count` new namespaces."""
    return [
        session.get(f"{base}/d7/messages/v1/balance", headers={**D7, "X-Sim-Namespace": f"flood-{n}"}).status_code
        for n in range(count)
    ]


def test_namespace_flood_is_capped_costs_no_threads_and_reset_frees_it():
    app = create_app(make_settings(max_namespaces=200))
    server = serve_in_thread(app)
    session = requests.Session()
    try:
        base = server.url
        assert session.post(f"{base}/d7/messages/v1/send", json=SMS, headers=D7).status_code == 200
        threads_before = threading.active_count()
        answers = _flood(session, base, CAPPED_FLOOD)
        assert answers.count(200) == 199  # "default" holds the 200th place
        assert set(answers[199:]) == {429}
        refused = session.get(f"{base}/d7/messages/v1/balance", headers={**D7, "X-Sim-Namespace": "one-more"})
        assert refused.json()["error"]["code"] == "too_many_namespaces"
        assert threading.active_count() <= threads_before  # no thread per namespace
        assert session.post(f"{base}/d7/messages/v1/send", json=SMS, headers=D7).status_code == 200
        assert session.post(f"{base}/_sim/reset", json={}).status_code == 200
        assert len(app.extensions["simulator"].engine.namespace_names()) == 0
        assert session.get(f"{base}/d7/messages/v1/balance", headers={**D7, "X-Sim-Namespace": "after"}).ok
    finally:
        session.close()
        server.close()


def _process_status(pid: int) -> dict[str, int]:
    """The server process's resident memory (KiB) and thread count, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return {"rss_kb": int(fields["VmRSS"].split()[0]), "threads": int(fields["Threads"])}


@pytest.fixture
def server_process() -> Iterator[tuple[str, int]]:
    """A simulator in its own process (waitress: one process, so /proc tells its whole cost)."""
    port = _free_port()
    command = [sys.executable, "run.py", "--port", str(port), "--server", "waitress"]
    command += ["--max-namespaces", str(FLOOD + 10), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_serving(process, port)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_status(base: str) -> int:
    """One /_sim/wait that finds nothing; only its status is kept, so its connection closes at once."""
    with requests.get(f"{base}/_sim/wait", params={"to": "+10000000000", "timeout": "3s"}, timeout=30) as answer:
        return answer.status_code


def test_flood_of_names_and_waits_keeps_sends_answering_and_reset_returns_threads_and_memory(server_process):
    base, pid = server_process
    session = requests.Session()
    # Warm up every path once (imports, caches, the allocator's arenas), then take the start level.
    assert session.post(f"{base}/d7/messages/v1/send", json=SMS, headers=D7).status_code == 200
    assert set(_flood(session, base, 50)) == {200}
    assert session.post(f"{base}/_sim/reset", json={}).status_code == 200
    start = _process_status(pid)

    assert set(_flood(session, base, FLOOD)) == {200}
    flooded = _process_status(pid)
    with ThreadPoolExecutor(max_workers=WAITS) as pool:
        waits = [pool.submit(_wait_status, base) for _ in range(WAITS)]
        sent = session.post(f"{base}/d7/messages/v1/send", json=SMS, headers=D7, timeout=10)
        assert sent.status_code == 200  # answered with 5,000 namespaces and 200 waits open
        answers = [wait.result() for wait in waits]
    assert set(answers) <= {408, 429} and 429 in answers  # the waits beyond the cap were refused at once

    assert session.post(f"{base}/_sim/reset", json={}).status_code == 200
    after = _process_status(pid)
    listed = [entry["name"] for entry in session.get(f"{base}/_sim/namespaces").json()["namespaces"]]
    assert listed in ([], ["default"])  # the flood's names are gone
    assert flooded["threads"] <= start["threads"]  # no thread per namespace
    assert after["threads"] <= start["threads"] + 1, (start, after)
    assert after["rss_kb"] - start["rss_kb"] <= RSS_SLACK_KB, (start, flooded, after)
