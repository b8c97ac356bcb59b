"""Where webhooks may go (core/webhooks.py Targets), and what the sender does with the rest, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from simulator.app import create_app
from simulator.core.webhooks import Targets
from simulator.server import serve_in_thread
from tests.conftest import make_settings
from tests.receiver import Receiver

D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_x",
        "ftp://example.test/x",
        "http:///no-host",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1:8080/_sim/reset",
        "http://localhost:8080/_sim/inbox/api/reset",
        "http://127.0.0.1:8080/%5Fsim/reset",
        "http://127.0.0.1:8080//_sim/reset",
        "http://127.0.0.1:8080/_ns/ci-7/_sim/reset",
        "http://0.0.0.0:8080/_sim/reset",
        "http://[::1]:8080/_sim",
    ],
    ids=[
        "file",
        "gopher",
        "ftp",
        "no-host",
        "bad-port",
        "control",
        "inbox-api",
        "escaped",
        "double-slash",
        "namespaced",
        "unspecified-address",
        "ipv6-loopback",
    ],
)
def test_refusal_of_unusable_or_own_control_target_names_the_reason(url):
    assert Targets().refusal(url)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9000/dlr", "https://hooks.example.test/_sim/x", "http://localhost:8080/d7/anything"],
    ids=["loopback-receiver", "remote-sim-path", "own-provider-path"],
)
def test_refusal_of_an_ordinary_target_is_none(url):
    assert Targets().refusal(url) is None


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:9000/hooks/a", True),
        ("http://127.0.0.1:9000/other", False),
        ("http://127.0.0.1:9001/hooks/a", False),
        ("https://127.0.0.1:9000/hooks/a", False),
        ("http://127.0.0.1:9000@evil.test/hooks/a", False),
    ],
    ids=["under-prefix", "other-path", "other-port", "other-scheme", "userinfo-trick"],
)
def test_refusal_with_an_allow_list_admits_only_its_prefixes(url, allowed):
    assert (Targets(("http://127.0.0.1:9000/hooks/",)).refusal(url) is None) is allowed


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.url = receiver.start()
    yield receiver
    receiver.stop()


def _serve(**settings):
    app = create_app(make_settings(**settings))
    return app, serve_in_thread(app)


def _send_with_report_url(base: str, report_url: str) -> None:
    body = {
        "messages": [{"channel": "sms", "recipients": ["+971501234567"], "content": "hi"}],
        "message_globals": {"originator": "SignOTP", "report_url": report_url},
    }
    assert requests.post(f"{base}/d7/messages/v1/send", json=body, headers=D7_AUTH, timeout=5).status_code == 200


def _advance_and_settle(app, base: str, duration: str) -> list[dict]:
    """Advance the clock, let every due webhook go out; the webhook attempts journalled."""
    assert requests.post(f"{base}/_sim/clock", json={"advance": duration}, timeout=5).status_code == 200
    assert app.extensions["simulator"].engine.sender.wait_idle()
    return requests.get(f"{base}/_sim/webhooks", timeout=5).json()["webhooks"]


def test_report_url_at_own_inbox_reset_is_refused_journalled_and_nothing_reset():
    app, server = _serve()
    try:
        _send_with_report_url(server.url, f"{server.url}/_sim/inbox/api/reset")
        attempts = _advance_and_settle(app, server.url, "1m")
        assert requests.get(f"{server.url}/_sim/messages", timeout=5).json()["total"] == 1
        assert attempts
        assert all(item["status"] is None and item["error"].startswith("refused: ") for item in attempts)
        assert {item["attempt"] for item in attempts} == {1}  # a refused target is not retried
    finally:
        server.close()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:1/_x"], ids=["file", "gopher"])
def test_report_url_with_another_scheme_is_refused_and_journalled(url):
    app, server = _serve()
    try:
        _send_with_report_url(server.url, url)
        attempts = _advance_and_settle(app, server.url, "1m")
        assert attempts
        reason = "refused: only http:// and https:// URLs with a host get webhooks"
        assert all(item["error"] == reason for item in attempts)
    finally:
        server.close()


def test_report_url_answering_a_redirect_is_not_followed(receiver):
    target = Receiver()
    target_url = target.start()
    receiver.statuses = [302] * 20
    receiver.location = f"{target_url}/followed"
    app, server = _serve()
    try:
        _send_with_report_url(server.url, f"{receiver.url}/dlr")
        attempts = _advance_and_settle(app, server.url, "5s")
        assert attempts and all(item["status"] == 302 for item in attempts)
        assert target.received == []
    finally:
        server.close()
        target.stop()


def test_report_url_outside_webhook_allow_is_refused_and_inside_is_sent(receiver):
    app, server = _serve(webhook_allow=[f"{receiver.url}/allowed/"])
    try:
        _send_with_report_url(server.url, f"{receiver.url}/allowed/dlr")
        _send_with_report_url(server.url, f"{receiver.url}/other")
        attempts = _advance_and_settle(app, server.url, "1m")
        assert {item.path for item in receiver.received} == {"/allowed/dlr"}
        refused = [item for item in attempts if item["url"].endswith("/other")]
        assert refused and all(item["error"] == "refused: not under any --webhook-allow prefix" for item in refused)
    finally:
        server.close()
