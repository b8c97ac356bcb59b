"""Over real HTTP: auth, the Content-Type rule, real-host routing, a mixed batch and hook callbacks."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.conftest import of_provider
from tests.providers.jsonphp.conftest import KEY, sms, status, viber

PATH = "/jsonphp/api/json.php"
DENIED = b'{"success":false,"error":"Access denied"}'


def post(server, body: object, headers: dict | None = None, path: str = PATH) -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(
        server.url + path, data=data, headers={"Content-Type": "application/json", **(headers or {})}, timeout=10
    )


@pytest.mark.parametrize(
    "envelope",
    [
        {"auth": "wrong", "data": [{"type": "balance"}]},
        {"data": [{"type": "balance"}]},
        {"auth": "", "data": [{"type": "balance"}]},
        {"auth": 12345, "data": [{"type": "balance"}]},
        {"auth": KEY.upper(), "data": [{"type": "balance"}]},
        {"auth": None},
    ],
    ids=["wrong-key", "missing", "empty", "number", "wrong-case", "null-without-data"],
)
def test_auth_bad_key_over_http_answers_access_denied_200(live_server, envelope: dict) -> None:
    response = post(live_server, envelope)
    assert (response.status_code, response.content) == (200, DENIED)
    assert response.headers["Content-Type"] == "application/json"


def test_auth_key_in_header_only_is_not_accepted(live_server) -> None:
    response = post(live_server, {"data": [{"type": "balance"}]}, {"Authorization": f"Bearer {KEY}"})
    assert response.content == DENIED


def test_auth_valid_key_over_http_answers_balance(live_server) -> None:
    response = post(live_server, {"auth": KEY, "data": [{"type": "balance"}]})
    assert response.content == b'{"success":true,"data":[{"success":true,"data":{"amount":31.1683,"currency":"UAH"}}]}'


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "", "application/jsonp"], ids=str
)
def test_envelope_without_json_content_type_answers_invalid_request(live_server, content_type: str) -> None:
    body = json.dumps({"auth": KEY, "data": [{"type": "balance"}]}).encode()
    response = requests.post(live_server.url + PATH, data=body, headers={"Content-Type": content_type}, timeout=10)
    assert (response.status_code, response.content) == (200, b'{"success":false,"error":"Invalid request"}')


def test_real_host_header_reaches_real_path(live_server) -> None:
    response = post(live_server, {"auth": KEY, "data": [{"type": "balance"}]}, {"Host": "alphasms.ua"}, "/api/json.php")
    assert response.json()["data"][0]["data"]["currency"] == "UAH"


def test_batch_mixed_valid_and_invalid_items_over_http_answers_each(live_server) -> None:
    items = [
        sms(1),
        sms(2, sms_signature="Nope"),
        sms(3, phone="0"),
        viber(4),
        {"type": "fax", "id": 5},
        status(1),
        status(6),
        42,
    ]
    response = post(live_server, {"auth": KEY, "data": items})
    assert response.status_code == 200
    assert response.content == (
        b'{"success":true,"data":['
        b'{"success":true,"data":{"id":1,"msg_id":123456789,"data":1,"parts":1}},'
        b'{"success":false,"error":"Error in Alpha-name","data":{"id":2}},'
        b'{"success":false,"error":"Invalid phone number","data":{"id":3}},'
        b'{"success":true,"data":{"id":4,"msg_id":123456790,"data":1,"parts":1}},'
        b'{"success":false,"error":"Unknown request type","data":{"id":5}},'
        b'{"success":true,"data":{"id":1,"type":"sms","status":"ACCEPTED"}},'
        b'{"success":false,"error":"Message not found","data":{"id":6}},'
        b'{"success":false,"error":"Invalid request"}]}'
    )


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[bytes]
    enough: threading.Event
    wanted: int

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()
        if len(self.bodies) >= self.wanted:
            self.enough.set()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver():
    handler = type("Receiver", (_Receiver,), {"bodies": [], "enough": threading.Event(), "wanted": 4})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_port}/hook.php"
    server.shutdown()
    server.server_close()


def test_hook_status_changes_are_posted_to_hook_url(live_server, engine, receiver) -> None:
    handler, url = receiver
    answer = post(live_server, {"auth": KEY, "data": [viber("c-1", phone="380990000101", hook=url)]}).json()
    assert answer["data"][0]["success"] is True
    engine.namespace().clock.advance(6)
    assert handler.enough.wait(timeout=10)
    words = (b"ACCEPTED", b"ENROUTE", b"DELIVERED", b"READ")
    # sent in parallel by the webhook pool, so they may arrive in any order
    assert sorted(handler.bodies) == sorted(b'{"id":"c-1","type":"viber","status":"%s"}' % word for word in words)


@pytest.mark.parametrize(
    ("hook", "leg", "fallback", "sent"),
    [
        (None, "primary", False, False),
        ("ftp://example.org/x", "primary", False, False),
        ("https://example.org/x", "primary", False, True),
        ("https://example.org/x", "fallback", False, False),
        ("https://example.org/x", "fallback", True, True),
    ],
    ids=["no-hook", "not-http", "http", "fallback-not-asked", "fallback-asked"],
)
def test_hook_builder_sends_only_for_http_hooks_and_asked_legs(call, services, hook, leg, fallback, sent) -> None:
    from simulator.core.lifecycle import Event
    from simulator.providers.jsonphp import callbacks

    item = (
        {**viber(hook=hook), "type": "viber+sms", "sms_signature": "SMSTest", "sms_message": "x"}
        if fallback
        else viber(hook=hook)
    )
    call(item)
    view = of_provider(services, "jsonphp")[-1]
    deliveries = callbacks.build(view, Event(0.0, leg, "pending"))
    assert len(deliveries) == (1 if sent else 0)
    if sent:
        assert deliveries[0].url == hook
        assert deliveries[0].body == b'{"id":100500,"type":"viber","status":"ACCEPTED"}'
        assert deliveries[0].headers == {"Content-Type": "application/json"}
