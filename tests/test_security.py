"""The guard in front of every request (simulator/security.py)."""

from __future__ import annotations

import pytest

from simulator import security

D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}
D7_SMS = {
    "messages": [{"channel": "sms", "recipients": ["+971501234567"], "content": "hi"}],
    "message_globals": {"originator": "SignOTP"},
}
DEEP = "[" * 1000 + "]" * 1000
NESTED_900 = '{"a":' * 900 + "1" + "}" * 900
CONTROL_WRITES = [
    ("POST", "/_sim/clock"),
    ("PUT", "/_sim/faults"),
    ("PUT", "/_sim/accounts"),
    ("PUT", "/_sim/scenarios"),
    ("PUT", "/_sim/namespaces"),
    ("POST", "/_sim/seed"),
    ("POST", "/_sim/requests/verify"),
    ("POST", "/_sim/messages/d7:nothing/reply"),
    ("POST", "/_sim/inbox/api/clock"),
    ("POST", "/_sim/inbox/api/messages/d7:nothing/reply"),
]
WRITE_IDS = [f"{method} {path}" for method, path in CONTROL_WRITES]


@pytest.mark.parametrize("raw", [DEEP, NESTED_900], ids=["1000-deep-list", "900-deep-object"])
@pytest.mark.parametrize(("method", "path"), CONTROL_WRITES, ids=WRITE_IDS)
def test_send_deep_json_to_control_is_400_without_exception_text(client, method, path, raw):
    response = client.open(path, method=method, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"
    assert "Error" not in response.get_data(as_text=True)  # no RecursionError text


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/_sim/messages/{key}/reply", '{"text": "hi \\ud800"}'),
        ("/_sim/inbox/api/messages/{key}/reply", '{"text": "hi \\udfff there"}'),
        ("/_sim/accounts", '{"d7": [{"name": "x\\ud800", "credentials": {"api_token": "t"}}]}'),
    ],
    ids=["control-reply", "inbox-reply", "accounts"],
)
def test_send_lone_surrogate_to_control_is_400_and_reads_answer(client, path, raw):
    request_id = client.post("/d7/messages/v1/send", json=D7_SMS, headers=D7_AUTH).get_json()["request_id"]
    key = client.get("/_sim/messages/latest").get_json()["key"]
    method = "PUT" if path == "/_sim/accounts" else "POST"
    response = client.open(path.format(key=key), method=method, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"
    assert client.get(f"/d7/report/v1/message-log/{request_id}", headers=D7_AUTH).status_code == 200
    assert client.get(f"/_sim/messages/{key}").status_code == 200


def _sent(client) -> int:
    """Send one D7 message; the number of messages now stored."""
    assert client.post("/d7/messages/v1/send", json=D7_SMS, headers=D7_AUTH).status_code == 200
    return client.get("/_sim/messages").get_json()["total"]


@pytest.mark.parametrize(
    ("headers", "data", "status"),
    [
        ({"Origin": "http://evil.example"}, {"a": "b"}, 403),
        ({"Origin": "http://evil.example"}, None, 403),
        ({"Origin": "null"}, None, 403),
        ({"Origin": "http://localhost:3000"}, None, 403),
        ({"Sec-Fetch-Site": "cross-site"}, None, 403),
        ({"Sec-Fetch-Site": "same-site"}, None, 403),
        ({}, {"a": "b"}, 400),
        ({"Content-Type": "text/plain"}, "{}", 400),
    ],
    ids=[
        "form-from-evil-origin",
        "bodiless-from-evil-origin",
        "opaque-origin",
        "other-port-origin",
        "sec-fetch-cross-site",
        "sec-fetch-same-site",
        "form-without-origin",
        "text-plain",
    ],
)
@pytest.mark.parametrize("path", ["/_sim/reset", "/_sim/inbox/api/reset"], ids=["control", "inbox"])
def test_reset_from_a_browser_page_of_another_origin_is_refused_and_nothing_reset(client, path, headers, data, status):
    before = _sent(client)
    response = client.post(path, headers=headers, data=data)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] in ("cross_origin", "invalid_json")
    assert client.get("/_sim/messages").get_json()["total"] == before


@pytest.mark.parametrize(
    ("headers", "kwargs"),
    [
        ({}, {}),
        ({"Origin": "http://localhost"}, {"json": {}}),
        ({"Sec-Fetch-Site": "same-origin"}, {"json": {}}),
        ({"X-Sim-Namespace": "default"}, {}),
        ({"Origin": "http://localhost"}, {"data": "{}", "content_type": "application/vnd.sim+json"}),
    ],
    ids=["bodiless-script", "same-origin-json", "sec-fetch-same-origin", "custom-header", "json-suffix-type"],
)
def test_reset_from_a_client_or_the_same_origin_is_served(client, headers, kwargs):
    _sent(client)
    response = client.post("/_sim/reset", headers=headers, **kwargs)
    assert response.status_code == 200
    assert client.get("/_sim/messages").get_json()["total"] == 0


@pytest.mark.parametrize(
    "path", ["/_sim/messages", "/_sim/inbox/", "/d7/messages/v1/balance"], ids=["control", "inbox", "provider"]
)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.evil.example"])
def test_request_with_a_foreign_host_is_403(client, path, host):
    response = client.get(path, headers={**D7_AUTH, "Host": host})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "host_not_allowed"


def test_each_host_is_judged_anew_for_every_request_beyond_the_judgements_kept(client):
    """Judgements are kept per Host header, at most JUDGED_HOSTS_KEPT of them: a flood of names changes none."""
    for number in range(security.JUDGED_HOSTS_KEPT + 10):
        assert client.get("/_sim/messages", headers={"Host": f"evil-{number}.example"}).status_code == 403
    assert len(client.application.extensions[security.JUDGED_HOSTS]) == security.JUDGED_HOSTS_KEPT
    assert client.get("/_sim/messages", headers={"Host": "evil-0.example"}).status_code == 403  # kept: refused
    assert client.get("/_sim/messages", headers={"Host": "evil-300.example"}).status_code == 403  # not kept
    assert client.get("/_sim/messages", headers={"Host": "localhost:9999"}).status_code == 200  # not kept


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8080", "127.0.0.1:8080", "127.9.9.9", "[::1]:8080", "inbox.localhost", "alphasms.ua"],
)
def test_request_with_a_loopback_or_provider_host_is_served(client, host):
    assert client.get("/_sim/messages", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    ("bound", "allowed", "host", "served"),
    [
        ("127.0.0.1", ["sim.internal"], "sim.internal:8080", True),
        ("127.0.0.1", ["sim.internal"], "evil.example", False),
        ("10.1.2.3", [], "10.1.2.3:8080", True),
        ("10.1.2.3", [], "evil.example", False),
        ("0.0.0.0", [], "simulator:8080", True),
        ("0.0.0.0", ["simulator"], "evil.example", False),
        ("127.0.0.1", ["*"], "anything.example", True),
    ],
    ids=["allowed-host", "allowed-host-other", "bound-address", "bound-other", "wildcard", "wildcard-listed", "star"],
)
def test_host_served_by_binding_and_allowed_hosts(bound, allowed, host, served):
    from simulator.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(host=bound, allowed_hosts=allowed, admin_token="t"))
    response = app.test_client().get("/_sim/health", headers={"Host": host, "X-Sim-Admin-Token": "t"})
    assert (response.status_code == 200) is served
