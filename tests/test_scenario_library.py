"""Every shipped scenario, driven step by step on the frozen clock, as each provider reports it.

For each scenario and each provider it can apply to, one message is sent through the provider's
own send endpoint with the scenario named in X-Simulator-Scenario; then the clock is moved to every
instant on the message's timeline (primary leg, SMS fallback, replies) and the provider's own status
endpoint must show the provider's word for the canonical state at that instant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from simulator.app import create_app
from simulator.core import lifecycle
from simulator.core.messages import MessageView
from simulator.core.scenarios import load_directory
from simulator.providers.d7 import statuses as d7_statuses
from simulator.providers.jsonphp import statuses as jsonphp_statuses
from simulator.providers.routee import statuses as routee_statuses
from simulator.providers.smsclub import statuses as smsclub_statuses
from simulator.settings import SHIPPED_SCENARIOS
from tests.conftest import make_settings, of_provider

SMSCLUB_AUTH = {"Authorization": "Bearer sim-smsclub-demo-token"}
D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}


@dataclass(frozen=True)
class Adapter:
    """How a client of one provider sends a message on one channel and reads its status."""

    provider: str
    send: Callable  # (client, scenario, with_fallback) -> response
    read: Callable  # (client, response of send) -> what the provider shows
    expect: Callable[[MessageView, bool], object]  # the provider's words for the canonical view
    channel: str = "viber"

    @property
    def label(self) -> str:
        return self.provider if self.channel == "viber" else f"{self.provider}-{self.channel}"


def _smsclub_send(client, headers, with_fallback):
    body = {"sender": "Tesst", "phones": ["380501234567"], "message": "x"}
    if with_fallback:
        body |= {"senderSms": "Shop Zakaz", "messageSms": "x"}
    return client.post("/smsclub/vibers/send", json=body, headers=SMSCLUB_AUTH | headers)


def _smsclub_read(client, sent):
    message_id = sent.get_json()["successfulRequest"]["requestData"]["messages"][0]["id"]
    body = client.post("/smsclub/vibers/status", json={"messageIds": [message_id]}, headers=SMSCLUB_AUTH).get_json()
    item = body["successfulRequest"]["requestData"][message_id]
    return item["status"], item["additionStatus"], item["smsStatus"]


def _d7_send(client, headers, with_fallback):
    body = {
        "messages": [{"channel": "viber", "recipients": ["+971501234567"], "content": "x", "label": "PROMOTION"}],
        "message_globals": {"originator": "INFO2WAY"},
    }
    return client.post("/d7/viber/v1/send", json=body, headers=D7_AUTH | headers)


def _d7_read(client, sent):
    request_id = sent.get_json()["request_id"]
    return client.get(f"/d7/report/v1/viber-log/{request_id}", headers=D7_AUTH).get_json()["messages"][0]["status"]


def _jsonphp_send(client, headers, with_fallback):
    item = {
        "type": "viber+sms" if with_fallback else "viber",
        "id": 1,
        "phone": 380971234567,
        "viber_type": "text",
        "viber_signature": "ViberTest",
        "viber_message": "x",
    }
    if with_fallback:
        item |= {
            "viber_type": "text+image+link",
            "viber_link": "https://example.com",
            "viber_button": "Go",
            "viber_image": "https://example.com/a.png",
            "sms_signature": "SMSTest",
            "sms_message": "x",
        }
    return client.post("/jsonphp/api/json.php", json={"auth": "sim-jsonphp-demo-key", "data": [item]}, headers=headers)


def _jsonphp_read(client, sent):
    body = {"auth": "sim-jsonphp-demo-key", "data": [{"type": "status", "id": 1}]}
    return client.post("/jsonphp/api/json.php", json=body).get_json()["data"][0]["data"]["status"]


def _routee_token(client) -> dict:
    basic = {"Authorization": "Basic NTc1NmE0MTFlNGIwNmEzM2Q1MDUxN2M3OnZiNlFwakNJT0c="}  # doc credentials
    token = client.post("/routee/oauth/token", headers=basic, data={"grant_type": "client_credentials"})
    return {"Authorization": f"Bearer {token.get_json()['access_token']}"}


def _routee_send(client, headers, with_fallback):
    body = {"senderInfoTrackingId": "5a7b1f0e2e4b0a1b2c3d4e5f", "to": "+306912345678", "body": {"text": "x"}}
    return client.post("/routee/viber", json=body, headers=_routee_token(client) | headers)


def _routee_read(client, sent):
    url = f"/routee/viber/tracking/{sent.get_json()['trackingId']}"
    return client.get(url, headers=_routee_token(client)).get_json()["status"]["status"]


def _routee_sms_send(client, headers, with_fallback):
    body = {"from": "Routee", "to": "+306912345678", "body": "x"}  # doc: reference/send-single-sms
    return client.post("/routee/sms", json=body, headers=_routee_token(client) | headers)


def _routee_sms_read(client, sent):
    url = f"/routee/sms/tracking/single/{sent.get_json()['trackingId']}"
    return client.get(url, headers=_routee_token(client)).get_json()[0]["status"]["status"]


ADAPTERS = (
    Adapter("smsclub", _smsclub_send, _smsclub_read, smsclub_statuses.viber),
    Adapter("d7", _d7_send, _d7_read, lambda view, _: d7_statuses.word("viber", view.status, view.reason)),
    Adapter("jsonphp", _jsonphp_send, _jsonphp_read, jsonphp_statuses.of),
    Adapter("routee", _routee_send, _routee_read, lambda view, _: routee_statuses.VIBER.word(view.status, view.reason)),
    Adapter(
        "routee",
        _routee_sms_send,
        _routee_sms_read,
        lambda view, _: routee_statuses.SMS.word(view.status, view.reason),
        channel="sms",
    ),
)


def _applies(scenario, adapter: Adapter) -> bool:
    match = scenario.match
    return match is None or (
        (match.provider is None or adapter.provider in match.provider)
        and (match.channel is None or adapter.channel in match.channel)
    )


LIBRARY = load_directory(SHIPPED_SCENARIOS)
CASES = [(s, a) for s in LIBRARY.scenarios for a in ADAPTERS if _applies(s, a)]


def _instants(view: MessageView) -> list[float]:
    message = view.message
    events = lifecycle.events(message.steps, message.fallback, message.replies)
    return sorted({event.after for event in events})


@pytest.mark.parametrize(
    ("scenario", "adapter"),
    [c for c in CASES if not c[0].error],
    ids=lambda v: getattr(v, "name", None) or getattr(v, "label", None),
)
def test_scenario_drives_provider_view_through_every_step(scenario, adapter):
    app = create_app(make_settings())
    client = app.test_client()
    services = app.extensions["simulator"].engine.operator_door()
    with_fallback = bool(scenario.outcomes[0].fallback)
    sent = adapter.send(client, {"X-Simulator-Scenario": scenario.name}, with_fallback)
    assert sent.status_code == 200, sent.get_data(as_text=True)
    [view] = of_provider(services, adapter.provider)
    assert view.message.scenario == scenario.name
    seen = []
    for instant in _instants(view):
        services.clock.advance(max(0.0, view.message.created_at + instant - services.now()))
        current = of_provider(services, adapter.provider)[0]
        shown = adapter.read(client, sent)
        assert shown == adapter.expect(current, with_fallback), f"at +{instant}s ({current.status})"
        seen.append(current.status)
    final_steps = [step.status for step in of_provider(services, adapter.provider)[0].state.history]
    assert seen[-1] == final_steps[-1]


@pytest.mark.parametrize(
    ("scenario", "adapter"),
    [c for c in CASES if c[0].error],
    ids=lambda v: getattr(v, "name", None) or getattr(v, "label", None),
)
def test_error_scenario_refuses_the_send_in_the_provider_format(scenario, adapter):
    app = create_app(make_settings())
    client = app.test_client()
    services = app.extensions["simulator"].engine.operator_door()
    sent = adapter.send(client, {"X-Simulator-Scenario": scenario.name}, False)
    body = sent.get_data(as_text=True)
    assert "Traceback" not in body and "<title>500" not in body
    refused_in_body = adapter.provider == "jsonphp" and '"success":false' in body
    assert sent.status_code != 200 or refused_in_body, body
    assert of_provider(services, adapter.provider) == []


def test_every_scenario_is_exercised_by_some_provider():
    exercised = {scenario.name for scenario, _ in CASES}
    assert exercised == {scenario.name for scenario in LIBRARY.scenarios}
