"""The app factory, provider mounting (prefix, Host header, dedicated port) and the minimal control API."""

import pytest
import requests

from simulator.app import create_app
from simulator.core.errors import ConfigError
from tests.conftest import make_settings

SMSCLUB_404 = b'{"name":"Not Found","message":"Page not found.","code":0,"status":404}'


def test_discovery_lists_every_provider_with_base_urls_and_demo_credentials(live_server):
    body = requests.get(f"{live_server.url}/_sim/", timeout=5).json()
    assert body["version"]
    by_name = {p["name"]: p for p in body["providers"]}
    assert set(by_name) == {"smsclub", "d7", "jsonphp", "routee"}
    assert by_name["smsclub"]["base_urls"] == [f"{live_server.url}/smsclub"]
    assert by_name["smsclub"]["demo_credentials"] == {"token": "sim-smsclub-demo-token"}
    assert set(by_name["routee"]["demo_credentials"]) == {"application_id", "application_secret"}


def test_discovery_shows_dedicated_port_urls():
    app = create_app(make_settings(provider_ports={"d7": 9001}))
    body = app.test_client().get("/_sim/", base_url="http://127.0.0.1:8080").get_json()
    d7 = next(p for p in body["providers"] if p["name"] == "d7")
    assert d7["base_urls"] == ["http://127.0.0.1:8080/d7", "http://127.0.0.1:9001"]


@pytest.mark.parametrize(
    ("path", "headers", "environ"),
    [
        ("/smsclub/unknown", {}, {}),
        ("/unknown", {"Host": "im.smsclub.mobi"}, {}),
        ("/unknown", {"Host": "IM.SMSCLUB.MOBI:443"}, {}),
        ("/unknown", {}, {"SERVER_PORT": "9002"}),
    ],
    ids=["prefix", "host-header", "host-header-port-case", "dedicated-port"],
)
def test_provider_is_reached_three_ways_with_identical_bytes(path, headers, environ):
    app = create_app(make_settings(provider_ports={"smsclub": 9002}))
    response = app.test_client().get(path, headers=headers, environ_overrides=environ)
    assert (response.status_code, response.get_data()) == (404, SMSCLUB_404)
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"


def test_control_plane_stays_reachable_on_a_provider_host(client):
    response = client.get("/_sim/clock", headers={"Host": "api.d7networks.com"})
    assert response.status_code == 200 and "now" in response.get_json()


def test_control_wrong_method_is_a_clear_405(client):
    response = client.put("/_sim/reset")
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"


def test_clock_freeze_and_advance_over_http(live_server):
    url = f"{live_server.url}/_sim/clock"
    frozen = requests.post(url, json={"freeze": "2026-01-01T10:00:00+02:00"}, timeout=5).json()
    assert frozen["now"] == "2026-01-01T08:00:00.000Z" and frozen["frozen"] is True
    advanced = requests.post(url, json={"advance": "90s"}, timeout=5).json()
    assert advanced["now"] == "2026-01-01T08:01:30.000Z"
    assert requests.get(url, timeout=5).json()["now"] == "2026-01-01T08:01:30.000Z"


@pytest.mark.parametrize(
    "body",
    [{"advance": "soon"}, {"freeze": "yesterday"}, {"jump": 1}, {}, {"advance": -5}],
    ids=["bad-duration", "bad-instant", "unknown-key", "empty", "negative"],
)
def test_clock_bad_request_is_a_clear_400(client, body):
    response = client.post("/_sim/clock", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_clock_request"


def test_clock_non_json_body_is_a_clear_400(client):
    response = client.post("/_sim/clock", data=b"\xff{", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_json"


def test_reset_restores_clock_and_forgets_messages(client, engine, services):
    services.clock.advance(100)
    engine.operator_door("default").record("note", text="x")
    assert client.post("/_sim/reset").get_json() == {"reset": "all"}
    assert services.journal("note") == []
    assert client.get("/_sim/clock").get_json()["now"] == "2026-01-05T07:00:00.000Z"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"clock": "sometimes"}, "--clock: unknown clock mode"),
        ({"store": "mongo://x"}, "--store: unsupported store URL"),
        ({"workers": 2}, "--workers: memory:// keeps state in one process"),
        ({"provider_ports": {"nope": 9000}}, "--provider-port: unknown provider 'nope'"),
        ({"scenarios": "/nonexistent"}, "/nonexistent: scenario directory does not exist"),
        ({"accounts": "/nonexistent.yaml"}, "/nonexistent.yaml: cannot read"),
    ],
    ids=["clock", "store", "workers", "provider-port", "scenarios", "accounts"],
)
def test_bad_configuration_is_refused_with_one_clear_message(overrides, message):
    with pytest.raises(ConfigError) as caught:
        create_app(make_settings(**overrides))
    assert str(caught.value).startswith(message)


def test_accounts_file_replaces_demo_accounts(tmp_path):
    path = tmp_path / "accounts.yaml"
    path.write_text("smsclub:\n  - name: mine\n    credentials: {token: my-token}\n    demo: true\n")
    body = create_app(make_settings(accounts=str(path))).test_client().get("/_sim/").get_json()
    by_name = {p["name"]: p for p in body["providers"]}
    assert by_name["smsclub"]["demo_credentials"] == {"token": "my-token"}
    assert by_name["d7"]["demo_credentials"] == {}


def test_broken_accounts_file_names_the_key_path(tmp_path):
    path = tmp_path / "accounts.yaml"
    path.write_text("smsclub:\n  - name: mine\n    credentials: {token: t}\n    balance: lots\n")
    with pytest.raises(ConfigError, match=r"accounts.yaml: smsclub\[0\].balance: Not a valid number"):
        create_app(make_settings(accounts=str(path)))
