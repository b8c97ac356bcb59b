"""Namespaces chosen by header, query, path prefix or credential binding; each has its own state."""

from __future__ import annotations

import pytest

from tests.control.conftest import DEMO_TOKEN, OTHER_TOKEN, error_code, send


def test_namespace_path_prefix_routes_provider_request_into_namespace(client):
    response = client.post(
        "/_ns/ci-1/fake/send", json={"to": "380501234567"}, headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
    )
    assert response.status_code == 201
    assert client.get("/_sim/messages?namespace=ci-1").json["total"] == 1
    assert client.get("/_sim/messages").json["total"] == 0
    assert client.get("/_sim/requests?namespace=ci-1").json["requests"][0]["path"] == "/fake/send"


def test_namespace_header_and_query_select_the_same_namespace(client):
    send(client, namespace="h")
    assert client.get("/_sim/messages", headers={"X-Sim-Namespace": "h"}).json["total"] == 1
    assert client.get("/_sim/messages?namespace=h").json["namespace"] == "h"


def test_namespace_bound_to_credential_takes_its_requests(client):
    response = client.put("/_sim/namespaces", json={"bindings": {"fake:other": "worker-2"}})
    assert response.json["bindings"] == {"fake:other": "worker-2"}
    send(client, token=OTHER_TOKEN)
    send(client, token=DEMO_TOKEN)
    assert client.get("/_sim/messages?namespace=worker-2").json["messages"][0]["account"] == "other"
    assert [m["account"] for m in client.get("/_sim/messages").json["messages"]] == ["demo"]
    names = {item["name"] for item in client.get("/_sim/namespaces").json["namespaces"]}
    assert {"default", "worker-2"} <= names


def test_namespace_binding_unbound_with_null(client):
    client.put("/_sim/namespaces", json={"bindings": {"fake:other": "w"}})
    client.put("/_sim/namespaces", json={"bindings": {"fake:other": None}})
    send(client, token=OTHER_TOKEN)
    assert client.get("/_sim/messages").json["total"] == 1


def test_namespace_balances_are_separate(client):
    send(client, namespace="a")
    assert client.get("/_sim/accounts?namespace=a").json["accounts"]["fake"][0]["balance"] == 10.0


@pytest.mark.parametrize(
    "body",
    [{"bindings": {"fake:other": "bad name!"}}, {"bindings": {"nobody:x": "w"}}, {"binding": {}}],
    ids=["bad-name", "unknown-credential", "typo"],
)
def test_namespace_bindings_bad_body_answers_400(client, body):
    assert client.put("/_sim/namespaces", json=body).status_code == 400


@pytest.mark.parametrize("name", ["a b", "x" * 65, "-lead"], ids=["space", "long", "dash-first"])
def test_namespace_invalid_name_answers_400(client, name):
    response = client.get("/_sim/messages", query_string={"namespace": name})
    assert response.status_code == 400
    assert error_code(response) == "invalid_namespace"


@pytest.mark.parametrize("chosen_by", ["binding", "header"])
def test_fault_of_a_bound_namespace_applies_however_the_namespace_was_chosen(client, chosen_by):
    """The pipeline chooses the namespace before faults apply, so the binding and the header agree."""
    client.put("/_sim/namespaces", json={"bindings": {"smsclub:sim-smsclub-demo-token": "ns1"}})
    fault = {"provider": "smsclub", "error": "internal_error"}
    assert client.put("/_sim/faults?namespace=ns1", json={"faults": [fault]}).status_code == 200
    headers = {"Authorization": "Bearer sim-smsclub-demo-token"}
    if chosen_by == "header":
        headers["X-Sim-Namespace"] = "ns1"
    response = client.post("/smsclub/sms/balance", headers=headers)
    assert response.status_code == 500
    assert [entry["status"] for entry in client.get("/_sim/requests?namespace=ns1").json["requests"]] == [500]
    assert client.get("/_sim/requests").json["requests"] == []
