"""--retention / SIM_RETENTION: parsed once, refused with one clear line, handed to the store."""

import pytest

from simulator.app import create_app
from simulator.core.store import Retention
from simulator.settings import Settings
from tests.conftest import make_settings
from tests.test_cli import _run


@pytest.mark.parametrize(
    ("value", "expected"),
    [("off", Retention()), ("100000", Retention(count=100_000)), ("12h", Retention(age=43_200.0))],
    ids=["off", "count", "age"],
)
def test_retention_setting_reaches_the_store(value, expected):
    app = create_app(make_settings(retention=value))
    assert app.extensions["simulator"].engine.store.retention == expected


def test_retention_from_the_environment_is_read():
    assert Settings.from_env({"SIM_RETENTION": " 7d "}).retention == "7d"


def test_bad_retention_flag_exits_2_with_one_clear_line():
    result = _run("--retention", "soon")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "provider-simulator: retention must be a count (50000) or an age (7d, 12h), got 'soon'"
    )


def test_retention_count_keeps_the_newest_settled_messages_of_a_namespace():
    app = create_app(make_settings(retention="2"))
    client = app.test_client()
    body = {"messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}]}
    body["message_globals"] = {"originator": "SignOTP"}
    sent = []
    for _ in range(4):
        response = client.post("/d7/messages/v1/send", json=body, headers={"Authorization": "Bearer sim-d7-demo-token"})
        assert response.status_code == 200
        sent.append(response.get_json()["request_id"])
        client.post("/_sim/clock", json={"advance": "10s"})  # delivered: nothing left to happen
    listed = client.get("/_sim/messages").get_json()
    assert listed["total"] == 2
    assert [message["group"] for message in listed["messages"]] == sent[:1:-1]
