"""Open /_sim/wait calls cannot take the threads provider traffic needs: at most --max-waits hold a thread,
the rest are answered 429 at once, and a send still answers while 200 waits are open."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from simulator.app import create_app
from simulator.control.wait import SLOTS
from simulator.server import serve_in_thread
from simulator.testing.client import SimulatorClient
from tests.conftest import make_settings

WAITS = 200
D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}
RECIPIENT = "+971501234567"
D7_SMS = {
    "messages": [{"channel": "sms", "recipients": [RECIPIENT], "content": "hi"}],
    "message_globals": {"originator": "SignOTP"},
}


def test_send_while_200_waits_are_open_answers_and_extra_waits_get_429():
    app = create_app(make_settings())
    limit = app.extensions["simulator"].settings.max_waits
    server = serve_in_thread(app)
    refused, answers = [], []
    all_refused = threading.Condition()

    def wait_once() -> None:
        with requests.get(f"{server.url}/_sim/wait", params={"to": RECIPIENT, "timeout": "60s"}, timeout=90) as answer:
            seen = (answer.status_code, answer.json()["error"]["code"] if answer.status_code == 429 else None)
            retry_after = answer.headers.get("Retry-After")
        with all_refused:  # keeps what it saw, not the response: that would keep its connection open
            answers.append(seen[0])
            if seen[0] == 429:
                refused.append((seen[1], retry_after))
                all_refused.notify_all()

    try:
        with ThreadPoolExecutor(max_workers=WAITS) as pool:
            for _ in range(WAITS):
                pool.submit(wait_once)
            with all_refused:  # every wait beyond the limit is answered at once; `limit` of them hold a thread
                assert all_refused.wait_for(lambda: len(refused) == WAITS - limit, timeout=60), len(refused)
            sent = requests.post(f"{server.url}/d7/messages/v1/send", json=D7_SMS, headers=D7_AUTH, timeout=30)
            assert sent.status_code == 200  # answered while `limit` waits are still open
        assert Counter(answers) == {200: limit, 429: WAITS - limit}
        assert set(refused) == {("too_many_waits", "1")}
    finally:
        server.close()


def test_client_wait_on_a_busy_server_asks_again_and_finds_the_message():
    app = create_app(make_settings(max_waits=1))
    server = serve_in_thread(app)
    slots = app.extensions[SLOTS]
    statuses, seen = [], threading.Condition()

    def record(response: requests.Response, *args, **kwargs) -> None:
        with seen:
            statuses.append(response.status_code)
            seen.notify_all()

    session = requests.Session()
    session.hooks["response"].append(record)
    try:
        requests.post(f"{server.url}/d7/messages/v1/send", json=D7_SMS, headers=D7_AUTH, timeout=10)
        assert slots.acquire(timeout=5)  # the one wait slot is taken, as by another open wait
        with ThreadPoolExecutor(max_workers=1) as pool:
            found = pool.submit(SimulatorClient(server.url, session=session).wait, to=RECIPIENT, timeout="20s")
            with seen:
                assert seen.wait_for(lambda: 429 in statuses, timeout=10)
            slots.release()
            assert found.result(timeout=30)["recipient"] == RECIPIENT
        assert statuses[0] == 429 and statuses[-1] == 200
    finally:
        server.close()
