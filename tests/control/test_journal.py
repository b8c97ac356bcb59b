"""The request journal (secrets masked), verification, webhook attempts, and the journal's bounds."""

from __future__ import annotations

import json

import pytest

from simulator.app import create_app
from tests.conftest import advance, make_settings
from tests.control.conftest import PROVIDERS, error_code, send


def test_requests_journal_masks_secrets_and_keeps_bodies(client):
    send(client, text="привіт")
    entry = client.get("/_sim/requests").json["requests"][0]
    assert (entry["provider"], entry["method"], entry["path"], entry["status"]) == ("fake", "POST", "/fake/send", 201)
    assert entry["headers"]["Authorization"] == "Bearer ***********oken"
    assert json.loads(entry["body"])["text"] == "привіт"
    assert entry["time"].endswith("Z")


def test_requests_filters_by_status_and_path(client):
    send(client)
    client.get("/fake/status/nope")
    assert [e["status"] for e in client.get("/_sim/requests?status=404").json["requests"]] == [404]
    assert client.get("/_sim/requests?path_pattern=^/fake/st").json["total"] == 1


def test_verify_counts_matching_requests_and_checks_expectation(client):
    send(client, text="one")
    send(client, text="two")
    response = client.post("/_sim/requests/verify", json={"method": "post", "path": "/fake/send", "count": 2})
    assert response.json == {"namespace": "default", "count": 2, "expected": 2, "ok": True}
    counted = client.post("/_sim/requests/verify", json={"body_contains": "two", "count": 2}).json
    assert (counted["count"], counted["ok"]) == (1, False)
    assert client.post("/_sim/requests/verify", json={"headers": {"authorization": "nope"}}).json["count"] == 0


@pytest.mark.parametrize(
    "body",
    [{"path_pattern": "("}, {"status": 42}, {"count": -1}, {"headers": ["x"]}, {"colour": "red"}],
    ids=["bad-regex", "bad-status", "negative-count", "headers-list", "unknown"],
)
def test_verify_bad_body_answers_400(client, body):
    response = client.post("/_sim/requests/verify", json=body)
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


def test_journal_records_messages_and_transitions(client, engine):
    message_id = send(client)
    advance(engine, 5)
    kinds = [e["kind"] for e in client.get("/_sim/journal?limit=1000").json["entries"]]
    assert kinds.count("transition") == 3 and kinds.count("message") == 1 and kinds.count("request") == 1
    transitions = client.get("/_sim/journal?kind=transition").json["entries"]
    assert [e["status"] for e in transitions] == ["delivered", "sent", "pending"]
    assert transitions[0]["message"] == f"fake:{message_id}"
    assert client.get("/_sim/journal?kind=gossip").status_code == 400


def test_journal_bounded_by_count_keeps_newest(settings):
    settings.journal_max_entries = 3
    client = create_app(settings, PROVIDERS).test_client()
    for _ in range(4):
        send(client)
    body = client.get("/_sim/journal").json
    assert body["total"] == 3
    assert [e["kind"] for e in body["entries"]] == ["request", "transition", "message"]  # the last send only


def test_journal_bounded_by_age_drops_old_entries(settings):
    settings.journal_max_age = 60
    app = create_app(settings, PROVIDERS)
    client = app.test_client()
    send(client, text="old")
    advance(app.extensions["simulator"].engine, 120)
    send(client, text="new")
    bodies = [e.get("body", "") for e in client.get("/_sim/requests").json["requests"]]
    assert len(bodies) == 1 and "new" in bodies[0]


def test_webhooks_log_each_attempt_with_its_error(app, engine):
    client = app.test_client()
    send(client, callback="http://127.0.0.1:9/closed")
    journal = engine.journal
    assert journal.wait_for(lambda: engine.operator_door().journal("webhook"), timeout=10)
    attempts = client.get("/_sim/webhooks").json["webhooks"]
    assert attempts[0]["url"] == "http://127.0.0.1:9/closed"
    assert attempts[0]["status"] is None and "ConnectionError" in attempts[0]["error"]
    assert attempts[0]["message"].startswith("fake:")
    assert client.get("/_sim/webhooks?url=http://elsewhere").json["total"] == 0


def test_webhooks_bad_query_answers_400(client):
    assert client.get("/_sim/webhooks?limit=x").status_code == 400


def test_requests_control_calls_are_not_journalled(client):
    client.get("/_sim/health")
    assert client.get("/_sim/requests").json["total"] == 0


def test_provider_request_with_secret_in_query_is_journalled_masked(client):
    client.get("/d7/messages/v1/balance?token=sim-d7-demo-token&auth=hunter22&page=1")
    [entry] = client.get("/_sim/requests").get_json()["requests"]
    assert entry["query"] == "token=*************oken&auth=****er22&page=1"


def test_requests_journal_masks_a_credential_the_answer_echoes():
    """Routee names a bad token in its answer ("Invalid access token: <token>"); the journal (and so every
    export and replay) must not keep it in clear there, though no field name gives it away."""
    app = create_app(make_settings())
    client = app.test_client()
    token = "not-a-real-token-1234"
    answer = client.post("/routee/viber", json={}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and token in answer.get_data(as_text=True)  # the provider's own words
    entry = client.get("/_sim/requests").json["requests"][0]
    assert token not in json.dumps(entry)
    assert "Invalid access token: *****************1234" in entry["response"]
