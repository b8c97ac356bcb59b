"""Accounts, scenario bindings and fault injection."""

from __future__ import annotations

import pytest

from simulator import pipeline
from simulator.app import create_app
from tests.conftest import advance, make_settings
from tests.control.conftest import DEMO_TOKEN, OTHER_TOKEN, PROVIDERS, error_code, send


def test_accounts_list_credentials_and_namespace_balance(client):
    accounts = client.get("/_sim/accounts").json["accounts"]
    demo = accounts["fake"][0]
    assert (demo["name"], demo["credentials"], demo["balance"]) == ("demo", {"token": DEMO_TOKEN}, 10.0)
    assert set(accounts) >= {"fake", "d7", "smsclub", "jsonphp", "routee"}


def test_put_accounts_replaces_provider_accounts_and_full_reset_restores(client):
    body = {"fake": [{"name": "new", "credentials": {"token": "t-new"}, "balance": 2.5, "senders": ["Shop"]}]}
    response = client.put("/_sim/accounts", json=body)
    assert response.status_code == 200
    new = response.json["accounts"]["fake"]
    assert [(a["name"], a["balance"], a["senders"]) for a in new] == [("new", 2.5, ["Shop"])]
    assert client.post("/fake/send", json={"to": "1"}, headers={"Authorization": "Bearer t-new"}).status_code == 201
    assert (
        client.post("/fake/send", json={"to": "1"}, headers={"Authorization": f"Bearer {DEMO_TOKEN}"}).status_code
        == 401
    )
    client.post("/_sim/reset")
    assert [a["name"] for a in client.get("/_sim/accounts").json["accounts"]["fake"]] == ["demo", "other"]


@pytest.mark.parametrize(
    "body",
    [{}, {"nobody": []}, {"fake": "x"}, {"fake": [{"name": "n"}]}, {"fake": [{"name": "n", "credentials": {}}]}],
    ids=["empty", "unknown-provider", "not-a-list", "no-credentials", "empty-credentials"],
)
def test_put_accounts_bad_body_answers_400(client, body):
    response = client.put("/_sim/accounts", json=body)
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


def test_scenarios_list_shows_loaded_scenarios(client):
    names = [s["name"] for s in client.get("/_sim/scenarios").json["scenarios"]]
    assert names == ["default", "undelivered", "broke", "slow"]


def test_bind_scenario_to_credential_applies_to_its_messages_only(client, engine):
    response = client.put("/_sim/scenarios", json={"bindings": {f"fake:{DEMO_TOKEN}": "slow"}})
    assert response.json["bindings"] == {"fake:demo": "slow"}
    bound = send(client)
    free = send(client, token=OTHER_TOKEN)
    advance(engine, 5)
    assert client.get(f"/_sim/messages/{bound}").json["status"] == "pending"
    assert client.get(f"/_sim/messages/{bound}").json["scenario"]["matched_by"] == "bound to credential demo"
    assert client.get(f"/_sim/messages/{free}").json["status"] == "delivered"
    client.put("/_sim/scenarios", json={"bindings": {"fake:demo": None}})
    assert client.get("/_sim/scenarios").json["bindings"] == {}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"bindings": {"fake:demo": "nope"}}, "unknown_scenario"),
        ({"bindings": {"fake:ghost": "slow"}}, "unknown_credential"),
        ({"bindings": {"ghost": "slow"}}, "unknown_credential"),
        ({"bindings": "slow"}, "invalid_request"),
        ({}, "invalid_request"),
    ],
    ids=["unknown-scenario", "unknown-account", "no-provider", "not-a-map", "empty"],
)
def test_bind_scenario_bad_body_answers_400(client, body, code):
    response = client.put("/_sim/scenarios", json=body)
    assert response.status_code == 400
    assert error_code(response) == code


def test_fault_error_is_rendered_by_the_provider(client):
    rules = {"faults": [{"provider": "fake", "method": "POST", "path": "^/send$", "error": "unavailable", "times": 1}]}
    assert client.put("/_sim/faults", json=rules).status_code == 200
    first = client.post("/fake/send", json={"to": "1"}, headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert (first.status_code, first.json) == (503, {"error": "unavailable"})
    send(client)  # `times: 1` is used up
    assert client.get("/_sim/faults").json["faults"][0]["times"] == 0
    assert client.get("/_sim/requests?status=503").json["total"] == 1


def test_fault_internal_error_uses_provider_500_page(client):
    client.put("/_sim/faults", json={"faults": [{"error": "internal_error"}]})
    response = client.get("/fake/status/x")
    assert (response.status_code, response.json) == (500, {"error": "internal"})


def test_fault_latency_pauses_before_answering(client, monkeypatch):
    pauses = []
    monkeypatch.setattr(pipeline, "pause", pauses.append)
    client.put("/_sim/faults", json={"faults": [{"provider": "fake", "latency": "250ms", "jitter": "100ms"}]})
    send(client)
    assert len(pauses) == 1 and 0.25 <= pauses[0] < 0.35


def test_fault_probability_is_seeded_and_reproducible(client):
    def run() -> list[int]:
        client.post("/_sim/reset")
        client.post("/_sim/seed", json={"seed": 11})
        client.put("/_sim/faults", json={"faults": [{"error": "provider_error", "probability": 0.5}]})
        return [client.get("/fake/status/x").status_code for _ in range(12)]

    first = run()
    assert first == run()
    assert set(first) == {404, 503}


def test_faults_in_one_namespace_leave_others_alone(client):
    client.put("/_sim/faults?namespace=chaos", json={"faults": [{"error": "internal_error"}]})
    assert client.get("/fake/status/x").status_code == 404
    assert client.get("/fake/status/x", headers={"X-Sim-Namespace": "chaos"}).status_code == 500


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"error": "explode"},
        {"provider": "nobody", "error": "unavailable"},
        {"path": "(", "error": "unavailable"},
        {"probability": 2, "error": "unavailable"},
        {"latency": "forever"},
        {"latency": "10m"},
        {"times": 0, "error": "unavailable"},
    ],
    ids=[
        "nothing",
        "unknown-error",
        "unknown-provider",
        "bad-regex",
        "probability",
        "latency-words",
        "too-slow",
        "times",
    ],
)
def test_put_faults_bad_rule_answers_400(client, rule):
    response = client.put("/_sim/faults", json={"faults": [rule]})
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


def test_scenarios_broken_edit_is_reported_and_last_good_set_kept(tmp_path):
    (tmp_path / "default.yaml").write_text("name: default\ntimeline: [{after: 0s, status: pending}]\n")
    client = create_app(make_settings(scenarios=str(tmp_path)), PROVIDERS).test_client()
    assert client.get("/_sim/scenarios").json["error"] is None
    (tmp_path / "bad.yaml").write_text("name: bad\ntimeline:\n  - {after: 0s, status: pending}\n  - {after: x}\n")
    body = client.get("/_sim/scenarios").json
    assert (
        body["error"]
        == f"{tmp_path / 'bad.yaml'}: timeline[1].after: not a duration: 'x' (use e.g. 90s, 1.5m, 250ms, 2h)"
    )
    assert [s["name"] for s in body["scenarios"]] == ["default"]
    (tmp_path / "bad.yaml").unlink()
    assert client.get("/_sim/scenarios").json["error"] is None
