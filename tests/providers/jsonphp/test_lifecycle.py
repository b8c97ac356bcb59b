"""Statuses move over time from the shipped jsonphp-* scenarios; replies appear in replies[]."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from simulator.core.lifecycle import Media
from simulator.providers.jsonphp import messages
from tests.conftest import FROZEN_AT, of_provider
from tests.providers.jsonphp.conftest import sms, status, viber

SENT_AT = datetime.fromisoformat(FROZEN_AT)


def kyiv(seconds: float) -> str:
    """The reply datetime a client sees `seconds` after the send (FROZEN_AT is in Kyiv winter time)."""
    return (SENT_AT + timedelta(seconds=seconds)).isoformat()


def viber_sms(phone: str) -> dict:
    item = viber(phone=phone, viber_lifetime=60)
    return {**item, "type": "viber+sms", "sms_signature": "SMSTest", "sms_message": "x"}


@pytest.fixture
def status_at(call, engine):
    """Send `one`, then the reported status data at each of `instants` (seconds after the send)."""

    def run(one: dict, instants: list[float]) -> list[dict]:
        assert call(one)["data"][0]["success"] is True
        clock, elapsed, seen = engine.namespace().clock, 0.0, []
        for instant in instants:
            clock.advance(instant - elapsed)
            elapsed = instant
            seen.append(call(status(one["id"]))["data"][0]["data"])
        return seen

    return run


@pytest.mark.parametrize(
    ("one", "timeline"),
    [
        (sms(), {0: "ACCEPTED", 0.9: "ACCEPTED", 1: "ENROUTE", 3: "DELIVERED", 3600: "DELIVERED"}),
        (viber(phone="380990000101"), {0: "ACCEPTED", 1: "ENROUTE", 3: "DELIVERED", 5.9: "DELIVERED", 6: "READ"}),
        (viber(phone="380990000105"), {1: "ENROUTE", 2: "UNDELIVERABLE", 100: "UNDELIVERABLE"}),
        (sms(phone="380990000106"), {0: "ACCEPTED", 1: "REJECTED"}),
        (viber(phone="380990000104", viber_lifetime=60), {1: "ENROUTE", 59: "ENROUTE", 60: "EXPIRED", 70: "EXPIRED"}),
        (viber_sms("380990000104"), {59: "ENROUTE", 60: "ACCEPTED", 61: "ENROUTE", 63: "DELIVERED"}),
    ],
    ids=["default-sms", "viber-read", "undeliverable", "rejected", "viber-expired-no-fallback", "viber-sms-fallback"],
)
def test_status_over_time_follows_scenario(status_at, one: dict, timeline: dict[float, str]) -> None:
    seen = status_at(one, list(timeline))
    assert [data["status"] for data in seen] == list(timeline.values())
    assert all(data["type"] == ("sms" if one["type"] == "sms" else "viber") for data in seen)
    assert all("replies" not in data for data in seen)


def test_status_replied_text_scenario_lists_faker_reply(status_at) -> None:
    before, after = status_at(viber(phone="380990000102"), [29, 30])
    assert before["status"] == "READ"
    assert after["status"] == "REPLIED"
    [reply] = after["replies"]
    assert list(reply) == ["datetime", "message"]
    assert reply["datetime"] == kyiv(30) == "2026-01-05T09:00:30+02:00"
    assert reply["message"].endswith(".")


def test_status_replied_media_scenario_lists_replies_as_they_come(status_at) -> None:
    first, second, third = status_at(viber(phone="380990000103"), [30, 60, 90])
    assert [len(data["replies"]) for data in (first, second, third)] == [1, 2, 3]
    text, media_only, both = third["replies"]
    assert list(text) == ["datetime", "message"]
    assert list(media_only) == ["datetime", "media"]
    assert list(both) == ["datetime", "message", "media"]
    assert list(both["media"]) == ["url", "filename", "filesize"]
    assert media_only["media"]["url"].startswith("https://alphasms.ua/home/vibermedia/")
    assert (media_only["media"]["filesize"], both["media"]["filename"]) == (67983, "invoice.pdf")
    assert [reply["datetime"] for reply in third["replies"]] == [kyiv(30), kyiv(60), kyiv(90)]


def test_status_replied_scenario_same_seed_gives_same_bytes(client) -> None:
    from simulator.app import create_app
    from tests.conftest import make_settings
    from tests.providers.jsonphp.conftest import JSON, KEY, URL

    def run() -> bytes:
        app = create_app(make_settings(seed=7))
        test_client = app.test_client()
        send = {"auth": KEY, "data": [viber(phone="380990000103")]}
        test_client.post(URL, json=send, headers=JSON)
        app.extensions["simulator"].engine.namespace().clock.advance(90)
        return test_client.post(URL, json={"auth": KEY, "data": [status()]}, headers=JSON).get_data()

    assert run() == run()


def test_status_injected_reply_reported_as_replied(call, engine, services) -> None:
    call(viber())
    engine.namespace().clock.advance(10)
    key = of_provider(services, "jsonphp")[-1].message.key
    services.reply(key, "Дякую / thanks", Media("https://cdn.example/a b.jpg", "a b.jpg", 10))
    data = call(status())["data"][0]["data"]
    assert data["status"] == "REPLIED"
    assert data["replies"] == [
        {
            "datetime": kyiv(10),
            "message": "Дякую / thanks",
            "media": {"url": "https://cdn.example/a b.jpg", "filename": "a b.jpg", "filesize": 10},
        }
    ]


def test_status_injected_reply_bytes_are_php_escaped(client, call, engine, services) -> None:
    from tests.providers.jsonphp.conftest import JSON, KEY, URL

    call(viber())
    engine.namespace().clock.advance(10)
    services.reply(of_provider(services, "jsonphp")[-1].message.key, "Так/ні")
    raw = client.post(URL, json={"auth": KEY, "data": [status()]}, headers=JSON).get_data()
    assert b'"message":"\\u0422\\u0430\\u043a\\/\\u043d\\u0456"' in raw


@pytest.mark.parametrize(
    ("phone", "text"),
    [("380990000107", messages.INSUFFICIENT_FUNDS), ("380990000108", messages.ALPHA_NAME)],
    ids=["no-money", "bad-alpha-name"],
)
def test_send_scenario_error_answers_item_error_and_stores_nothing(call, services, phone: str, text: str) -> None:
    first, second = call(viber(1, phone=phone), sms(2))["data"]
    assert first == {"success": False, "error": text, "data": {"id": 1}}
    assert second["success"] is True and second["data"]["msg_id"] == 123456790  # the refused one used an id
    assert [view.message.id for view in of_provider(services, "jsonphp")] == ["123456790"]


@pytest.mark.parametrize(
    ("kind", "status_code", "body"),
    [
        ("account_blocked", 200, b'{"success":false,"error":"Access denied"}'),
        ("throttled", 200, b'{"success":false,"error":"Too many requests"}'),
        ("provider_error", 500, b""),
        ("unavailable", 503, messages.UNAVAILABLE_PAGE),
    ],
    ids=["account-blocked", "throttled", "provider-error", "unavailable"],
)
def test_send_scenario_request_error_answers_whole_request(app, client, kind, status_code, body) -> None:
    from simulator.core.scenarios import ScenarioSet, load_text
    from tests.providers.jsonphp.conftest import JSON, KEY, URL

    engine = app.extensions["simulator"].engine
    extra = load_text(f"name: x-{kind}\nmatch: {{recipient: '380990000999'}}\nerror: {{kind: {kind}}}\n", "test")
    engine.scenarios = ScenarioSet([*engine.scenarios.scenarios, *extra])
    response = client.post(URL, json={"auth": KEY, "data": [sms(phone="380990000999")]}, headers=JSON)
    assert (response.status_code, response.get_data()) == (status_code, body)
