"""GET /_sim/wait blocks on the journal's condition, wakes on transitions, answers 408 at its timeout."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from simulator.core.doors import OperatorDoor
from tests.conftest import advance
from tests.control.conftest import error_code, send


def test_wait_existing_match_returns_at_once(client):
    message_id = send(client, to="380501234567")
    response = client.get("/_sim/wait?to=380501234567&status=pending&timeout=5s")
    assert response.status_code == 200
    assert response.json["id"] == message_id


def test_wait_status_already_passed_still_matches(client, engine):
    send(client)
    advance(engine, 10)
    assert client.get("/_sim/wait?status=sent&timeout=1").json["status"] == "delivered"


def test_wait_nothing_happens_answers_408_after_one_check(client, monkeypatch):
    checks = []
    messages = OperatorDoor.messages
    monkeypatch.setattr(OperatorDoor, "messages", lambda self, *a, **k: checks.append(1) or messages(self, *a, **k))
    response = client.get("/_sim/wait?status=delivered&timeout=0.2")
    assert response.status_code == 408
    assert error_code(response) == "timeout"
    assert response.json["error"]["waited_for"] == {"status": "delivered"}
    # on entry and at the timeout (each asks for the status now, then for messages already past it):
    # nothing was journalled, so nothing woke it
    assert len(checks) == 2 * 2


def test_wait_clock_advanced_by_another_thread_wakes_waiter(app, engine, monkeypatch):
    checked = threading.Event()
    messages = OperatorDoor.messages

    def counting(self, *args, **kwargs):
        checked.set()
        return messages(self, *args, **kwargs)

    monkeypatch.setattr(OperatorDoor, "messages", counting)
    client = app.test_client()
    send(client, to="380990000002", text="x")
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(app.test_client().get, "/_sim/wait?status=undelivered&timeout=20s")
        assert checked.wait(10)
        advance(engine, 2)
        response = waiting.result(timeout=10)
    assert response.status_code == 200
    assert (response.json["status"], response.json["reason"]) == ("undelivered", "not_reachable")


def test_wait_forced_status_in_other_request_wakes_waiter(app):
    client = app.test_client()
    message_id = send(client)
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(app.test_client().get, f"/_sim/wait?id={message_id}&status=failed&timeout=20")
        client.post(f"/_sim/messages/{message_id}/status", json={"status": "failed"})
        assert waiting.result(timeout=10).json["status"] == "failed"


def test_wait_other_namespace_message_does_not_match(client):
    send(client, namespace="other")
    assert client.get("/_sim/wait?timeout=0.05").status_code == 408


@pytest.mark.parametrize(
    "query", ["timeout=soon", "timeout=301", "status=gone", "since=later"], ids=["words", "too-long", "status", "since"]
)
def test_wait_bad_query_answers_400(client, query):
    response = client.get(f"/_sim/wait?{query}")
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"
