"""Two workers on one Redis answer alike: whatever one is told over the control API, the other
knows on its next request, and a wait in one wakes on what the other does. Each worker is an app of
its own (own engine, own Redis connections) served over real HTTP; only Redis is shared."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from redis.connection import Connection

from simulator.app import create_app
from simulator.providers.smsclub import errors as smsclub_errors
from simulator.server import serve_in_thread
from tests.conftest import make_settings

SMSCLUB = {"Authorization": "Bearer sim-smsclub-demo-token"}
VIBER = {"sender": "Tesst", "phones": ["380989361121"], "message": "hi"}
D7 = {"Authorization": "Bearer sim-d7-demo-token"}
D7_SEND = {
    "messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}],
    "message_globals": {"originator": "SignOTP"},
}
TIMEOUT = 20


@pytest.fixture
def workers(redis_store, redis_url) -> Iterator[tuple[str, str]]:
    """The base URLs of two workers sharing the test's (empty) Redis."""
    apps = [create_app(make_settings(store=redis_url)) for _ in range(2)]
    servers = [serve_in_thread(app) for app in apps]
    yield servers[0].url, servers[1].url
    for server, app in zip(servers, apps, strict=True):
        server.close()
        app.extensions["simulator"].engine.close()


def _get(url: str, path: str) -> dict:
    response = requests.get(url + path, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def _put(url: str, path: str, body: dict) -> None:
    requests.put(url + path, json=body, timeout=TIMEOUT).raise_for_status()


def _viber(url: str, headers: dict = SMSCLUB, prefix: str = "") -> requests.Response:
    return requests.post(f"{url}{prefix}/smsclub/vibers/send", json=VIBER, headers=headers, timeout=TIMEOUT)


def test_accounts_put_through_one_worker_are_read_and_used_through_the_other(workers):
    first, second = workers
    account = {"name": "team", "credentials": {"token": "team-token"}, "balance": 42.5, "currency": "UAH"}
    _put(first, "/_sim/accounts", {"smsclub": [account]})
    assert _get(second, "/_sim/accounts") == _get(first, "/_sim/accounts")
    assert _get(second, "/_sim/accounts")["accounts"]["smsclub"][0]["balance"] == 42.5
    assert _viber(second, {"Authorization": "Bearer team-token"}).status_code == 200
    assert _viber(second).status_code == 401  # the demo token went with the accounts it replaced


def test_namespace_binding_put_through_one_worker_routes_the_others_requests(workers):
    first, second = workers
    _put(first, "/_sim/namespaces", {"bindings": {"smsclub:demo": "team-a"}})
    assert _get(second, "/_sim/namespaces")["bindings"] == {"smsclub:demo": "team-a"}
    assert _viber(second).status_code == 200
    assert _get(first, "/_sim/messages?namespace=team-a")["total"] == 1
    assert _get(first, "/_sim/messages")["total"] == 0


def test_faults_put_through_one_worker_hit_the_others_requests(workers):
    first, second = workers
    _put(first, "/_sim/faults", {"faults": [{"provider": "smsclub", "error": "internal_error"}]})
    assert _get(second, "/_sim/faults") == _get(first, "/_sim/faults")
    refused, expected = _viber(second), smsclub_errors.internal_error()
    assert (refused.status_code, refused.content) == (expected.status_code, expected.get_data())
    _put(second, "/_sim/faults", {"faults": []})
    assert _viber(first).status_code == 200


def test_seed_posted_through_one_worker_draws_the_others_ids(workers):
    first, second = workers
    requests.post(first + "/_sim/seed", json={"seed": 7}, timeout=TIMEOUT).raise_for_status()
    sent = [
        requests.post(f"{url}/_ns/{name}/d7/messages/v1/send", json=D7_SEND, headers=D7, timeout=TIMEOUT).json()
        for url, name in ((first, "one"), (second, "two"))
    ]
    assert sent[0]["request_id"] == sent[1]["request_id"]  # both namespaces drew their first id from seed 7


def test_wait_through_one_worker_wakes_when_the_other_stores_the_message(workers):
    first, second = workers
    answered: list[requests.Response] = []
    waiting = threading.Thread(
        target=lambda: answered.append(requests.get(second + "/_sim/wait?to=380989361121&timeout=15s", timeout=TIMEOUT))
    )
    waiting.start()
    assert _viber(first).status_code == 200
    waiting.join(TIMEOUT)
    assert answered and answered[0].status_code == 200
    assert answered[0].json()["recipient"] == "380989361121"


def _round_trips(redis_url: str, monkeypatch, method: str, path: str, **request) -> list[bytes]:
    """What a request's own thread sends to Redis, the second time it is made (the first loads scripts)."""
    app = create_app(make_settings(store=redis_url))
    client = app.test_client()
    assert client.open(path, method=method, **request).status_code == 200
    sent: list[bytes] = []
    original, request_thread = Connection.send_packed_command, threading.get_ident()

    def counted(self, command, *args, **kwargs):
        if threading.get_ident() == request_thread:  # not the scheduler's polling
            sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counted)
    try:
        assert client.open(path, method=method, **request).status_code == 200
    finally:
        monkeypatch.undo()
        app.extensions["simulator"].engine.close()
    return sent


def test_a_send_costs_six_redis_round_trips(redis_store, redis_url, monkeypatch):
    sent = _round_trips(redis_url, monkeypatch, "POST", "/smsclub/vibers/send", json=VIBER, headers=SMSCLUB)
    # The shared settings' version with the namespace's clock and scenario bindings; the rate limit's
    # window; the message id; the balance; the send itself (charge, message, indexes, events, journal:
    # one script); the request's journal entry. Never a round trip per index, event or status.
    assert len(sent) == 6


def test_a_report_costs_four_redis_round_trips(redis_store, redis_url, monkeypatch):
    app = create_app(make_settings(store=redis_url))
    request_id = app.test_client().post("/d7/messages/v1/send", json=D7_SEND, headers=D7).get_json()["request_id"]
    app.extensions["simulator"].engine.close()
    sent = _round_trips(redis_url, monkeypatch, "GET", f"/d7/report/v1/message-log/{request_id}", headers=D7)
    # The version with the clock; the catch-up check with the indexes' sizes; the request's keys with their
    # index entries and messages; the request's journal entry.
    assert len(sent) == 4
