"""Delivery reports: the documented form post, one per status change, retried on the simulated clock."""

from __future__ import annotations

import pytest

from simulator.core.doors import Draft
from simulator.core.lifecycle import Event
from simulator.providers.d7 import callbacks
from simulator.providers.d7.sending import D7Fields
from tests.conftest import advance, demo_door
from tests.providers.d7.helpers import AUTH, receiver, sms_body, viber_body


def test_encode_documented_example_gives_form_bytes() -> None:
    # doc: https://d7networks.com/docs/Messages/Receive_SMS_Postback/ example (providers/d7.md G9)
    request_id = "d9835609-a4e0-10ea-a26a-eeafbe700fef"
    fields = callbacks.payload(request_id, request_id, "+9715765456xx", "SMSInfo", "sent")
    body, content_type = callbacks.encode(fields, "form")
    assert body == (
        b"request_id=d9835609-a4e0-10ea-a26a-eeafbe700fef&msg_id=d9835609-a4e0-10ea-a26a-eeafbe700fef"
        b"&recipient=%2B9715765456xx&originator=SMSInfo&status=sent"
    )
    assert content_type == "application/x-www-form-urlencoded"


def test_encode_json_style_gives_compact_json_in_documented_order() -> None:
    body, content_type = callbacks.encode(callbacks.payload("r", "m", "+971", "SMSInfo", "sent"), "json")
    assert body == b'{"request_id":"r","msg_id":"m","recipient":"+971","originator":"SMSInfo","status":"sent"}'
    assert content_type == "application/json"


def _submit(engine, channel: str = "viber", callback_url: str | None = "http://127.0.0.1:9/dlr"):
    (message,) = demo_door(engine, "d7").submit(
        [
            Draft(
                id="m1",
                channel=channel,
                recipient="+971500000001",
                sender="INFO2WAY",
                group="r1",
                attrs=D7Fields(callback_url=callback_url).to_dict(),
            )
        ]
    )
    return message


@pytest.mark.parametrize(
    ("event", "posts"),
    [
        (Event(0.0, "primary", "pending"), 1),
        (Event(1.0, "primary", "sent"), 0),
        (Event(3.0, "primary", "delivered"), 1),
        (Event(3.0, "fallback", "delivered"), 0),
    ],
    ids=["pending-shows-sent", "sent-after-pending-same-word", "delivered", "fallback-leg"],
)
def test_build_default_timeline_posts_only_when_d7_word_changes(engine, event, posts) -> None:
    message = _submit(engine)
    view = message.at(message.created_at + event.after)
    assert len(callbacks.build(view, event)) == posts


def test_build_without_callback_url_posts_nothing(engine) -> None:
    message = _submit(engine, callback_url=None)
    assert callbacks.build(message.at(message.created_at), Event(0.0, "primary", "pending")) == []


SENDS = {
    "viber": ("/d7/viber/v1/send", "/d7/report/v1/viber-log", "INFO2WAY"),
    "sms": ("/d7/messages/v1/send", "/d7/report/v1/message-log", "SignOTP"),
}


def _send(client, channel: str, recipient: str, url: str) -> str:
    path, _, _ = SENDS[channel]
    body = viber_body(recipient, callback=url) if channel == "viber" else sms_body(recipient, report_url=url)
    return client.post(path, json=body, headers=AUTH).json["request_id"]


@pytest.mark.parametrize(
    ("channel", "recipient", "final"),
    [
        ("viber", "+971500000001", "delivered"),
        ("viber", "+971500000102", "undelivered"),
        ("viber", "+971500000104", "undelivered"),
        ("sms", "+971500000001", "delivered"),
        ("sms", "+971500000102", "un_delivered"),
        ("sms", "+971500000104", "not_reachable"),
        ("sms", "+971500000105", "spam_content"),
    ],
    ids=[
        "viber-delivered",
        "viber-undelivered",
        "viber-not-reachable",
        "sms-delivered",
        "sms-un_delivered",
        "sms-not_reachable",
        "sms-spam_content",
    ],
)
def test_send_with_callback_url_posts_sent_then_final_status(client, engine, channel, recipient, final) -> None:
    with receiver() as sink:
        request_id = _send(client, channel, recipient, sink.url)
        sink.wait_for(1)
        advance(engine, 5)
        posts = sink.wait_for(2)
    _, report, originator = SENDS[channel]
    msg_id = client.get(f"{report}/{request_id}", headers=AUTH).json["messages"][0]["msg_id"]
    prefix = f"request_id={request_id}&msg_id={msg_id}&recipient=%2B{recipient[1:]}&originator={originator}"
    assert [body for _, body in posts] == [f"{prefix}&status=sent".encode(), f"{prefix}&status={final}".encode()]
    assert {headers["Content-Type"] for headers, _ in posts} == {"application/x-www-form-urlencoded"}


def _attempts(engine, count: int) -> list[dict]:
    """The journalled webhook attempts once there are `count`: a failed attempt schedules its retry before
    it is journalled, so after this the retry is due at a known simulated instant."""
    operator = engine.operator_door()

    def enough() -> list[dict] | None:
        entries = operator.journal("webhook")
        return entries if len(entries) >= count else None

    return operator.wait_for(enough, timeout=10) or operator.journal("webhook")


def test_callback_receiver_failing_is_retried_after_backoff(client, engine) -> None:
    with receiver(statuses=[500, 503]) as sink:
        _send(client, "viber", "+971500000103", sink.url)  # slow delivery: only "sent" is due for 5 minutes
        _attempts(engine, 1)
        advance(engine, 1)  # backoff (1, 5, 25) seconds on the simulated clock
        _attempts(engine, 2)
        advance(engine, 5)
        attempts = _attempts(engine, 3)
        posts = sink.wait_for(3)
    assert [entry["status"] for entry in attempts] == [500, 503, 200]
    assert len(posts) == 3
    assert len({body for _, body in posts}) == 1  # the same report, re-sent
    times = {entry["attempt"]: entry["at"] for entry in attempts}
    assert times[2] - times[1] >= 1
    assert times[3] - times[2] >= 5


def test_callback_account_with_json_style_posts_json(json_account_app) -> None:
    client = json_account_app.test_client()
    with receiver() as sink:
        request_id = _send(client, "sms", "+971500000001", sink.url)
        ((headers, body),) = sink.wait_for(1)
    assert headers["Content-Type"] == "application/json"
    assert body.startswith(f'{{"request_id":"{request_id}","msg_id":"'.encode())
    assert body.endswith(b'","recipient":"+971500000001","originator":"SignOTP","status":"sent"}')


@pytest.fixture
def json_account_app(tmp_path):
    from simulator.app import create_app
    from tests.conftest import make_settings

    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(
        "d7:\n  - name: json\n    credentials: {api_token: sim-d7-demo-token}\n    settings: {callback_format: json}\n"
    )
    return create_app(make_settings(accounts=str(accounts)))
