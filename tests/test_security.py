"""The guard in front of every request (simulator/security.py)."""

from __future__ import annotations

import pytest

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
