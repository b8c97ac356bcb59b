"""Per-request cost in process: each app's WSGI callable called in a loop, no server, no sockets.

    python -m bench.inprocess [--rounds 5] [--requests 2000]

The peer's constant, a D7 report, a D7 report of an unknown id and an SMS Club Viber send, one thread:
microseconds per request of the best round, and each as a ratio to the peer. bench/run.py runs it pinned
to the server core, with the simulator's settings (SIM_* variables), as its `inprocess` section.

Served, a request costs more than in process, but the same share more for the peer and the simulator
(2026-12-02: the peer 49 -> 72 µs, a D7 report 124 -> 182 µs, 1.47x both), so these ratios have matched the
served ones. They take seconds and vary little: a check while optimising. The served figures remain the
measure. An SMS Club send here includes whichever of its transitions fall due during the loop (they come
1-3 s later, on the scheduler thread); the unknown id is looked up among few messages (lookups are flat).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable

from bench.peer import create as create_peer
from bench.scaled import create as create_simulator

D7_TOKEN = "sim-d7-demo-token"
SMSCLUB_TOKEN = "sim-smsclub-demo-token"
D7_SEND = {
    "messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}],
    "message_globals": {"originator": "SignOTP"},
}
SMSCLUB_SEND = {"sender": "Tesst", "phones": ["380989361121"], "message": "hi"}
UNKNOWN = "/d7/report/v1/message-log/00000000-0000-4000-8000-000000000000"
WARMUP = 300
OK, NOT_FOUND = "200 OK", "404 NOT FOUND"


def environ(method: str, path: str, body: bytes = b"", token: str | None = None) -> dict:
    """A WSGI environ as granian builds one for an HTTP/1.1 request from 127.0.0.1."""
    found = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        found.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(body)))
    if token:
        found["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return found


def call(app: Callable, asked: dict) -> tuple[str, bytes]:
    statuses: list[str] = []
    body = b"".join(app(asked, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0], body


def microseconds(app: Callable, make: Callable[[], dict], expected: str, rounds: int, requests: int) -> float:
    """Best round's µs per request of a request answered `expected` (a status line) before and after."""
    _check(app, make, expected)
    for _ in range(WARMUP):
        call(app, make())
    best = float("inf")
    for _ in range(rounds):
        prepared = [make() for _ in range(requests)]
        started = time.perf_counter()
        for asked in prepared:
            app(asked, lambda status, headers, exc_info=None: None)
        best = min(best, (time.perf_counter() - started) / requests * 1e6)
    _check(app, make, expected)
    return round(best, 1)


def _check(app: Callable, make: Callable[[], dict], expected: str) -> None:
    status, body = call(app, make())
    if status != expected:
        raise SystemExit(f"{make()['PATH_INFO']} answered {status}, not {expected}: {body[:200]!r}")


def measure(rounds: int, requests: int) -> dict:
    peer, simulator = create_peer(), create_simulator()
    status, sent = call(simulator, environ("POST", "/d7/messages/v1/send", json.dumps(D7_SEND).encode(), D7_TOKEN))
    if not status.startswith("200"):
        raise SystemExit(f"the D7 send for the report answered {status}: {sent[:200]!r}")
    report = f"/d7/report/v1/message-log/{json.loads(sent)['request_id']}"
    send = json.dumps(SMSCLUB_SEND).encode()
    runs = {
        "peer": (peer, lambda: environ("GET", "/"), OK),
        "d7_report": (simulator, lambda: environ("GET", report, token=D7_TOKEN), OK),
        "d7_unknown": (simulator, lambda: environ("GET", UNKNOWN, token=D7_TOKEN), NOT_FOUND),
        "smsclub_send": (simulator, lambda: environ("POST", "/smsclub/vibers/send", send, SMSCLUB_TOKEN), OK),
    }
    cost = {name: microseconds(app, make, expected, rounds, requests) for name, (app, make, expected) in runs.items()}
    ratios = {name: round(cost["peer"] / value, 2) for name, value in cost.items() if name != "peer"}
    return {"us_per_request": cost, "ratios": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    args = parser.parse_args()
    print(json.dumps(measure(args.rounds, args.requests)))


if __name__ == "__main__":
    main()
