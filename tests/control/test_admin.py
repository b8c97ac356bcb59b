"""Off loopback the control API wants the admin token; on loopback it does not."""

from __future__ import annotations

import pytest

from simulator.app import create_app
from tests.control.conftest import PROVIDERS, error_code


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"], ids=["ipv4", "ipv6", "name"])
def test_control_on_loopback_needs_no_token(settings, host):
    settings.host = host
    assert create_app(settings, PROVIDERS).test_client().get("/_sim/health").status_code == 200


def test_control_off_loopback_without_token_answers_401(settings):
    settings.host, settings.admin_token = "0.0.0.0", "s3cret"
    client = create_app(settings, PROVIDERS).test_client()
    response = client.post("/_sim/reset", headers={"X-Sim-Admin-Token": "wrong"})
    assert response.status_code == 401
    assert error_code(response) == "admin_token_required"
    assert client.get("/_sim/health").status_code == 401
    assert client.get("/_sim/health", headers={"X-Sim-Admin-Token": "s3cret"}).status_code == 200


def test_control_off_loopback_with_no_token_configured_answers_403(settings):
    settings.host = "10.0.0.5"
    response = create_app(settings, PROVIDERS).test_client().get("/_sim/")
    assert response.status_code == 403
    assert error_code(response) == "admin_token_not_configured"


def test_provider_routes_off_loopback_need_no_admin_token(settings):
    settings.host, settings.admin_token = "0.0.0.0", "s3cret"
    response = create_app(settings, PROVIDERS).test_client().get("/fake/status/x")
    assert response.status_code == 404


def _every_sim_path(app) -> list[tuple[str, str]]:
    """(method, concrete path) for every /_sim/ rule of the app, placeholders filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/_sim"):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<path:{argument}>", "x").replace(f"<{argument}>", "x")
        found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_every_sim_path_off_loopback_refuses_a_request_without_the_token(settings):
    settings.host, settings.admin_token = "0.0.0.0", "s3cret"
    app = create_app(settings, PROVIDERS)
    client = app.test_client()
    paths = _every_sim_path(app)
    assert ("GET", "/_sim/inbox/") in paths and ("GET", "/_sim/inbox/api/messages") in paths  # pages and views too
    for method, path in paths:
        response = client.open(path, method=method, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert error_code(response) == "admin_token_required"


def test_inbox_link_with_admin_token_signs_a_browser_in_with_a_strict_cookie(settings):
    settings.host, settings.admin_token = "0.0.0.0", "s3cret"
    client = create_app(settings, PROVIDERS).test_client()
    signed_in = client.get("/_sim/inbox/?status=sent&admin_token=s3cret")
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/_sim/inbox/?status=sent"
    cookie = signed_in.headers["Set-Cookie"]
    assert "sim_admin_token=s3cret" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/_sim" in cookie
    assert client.get("/_sim/inbox/").status_code == 200  # the test client keeps the cookie
    assert client.post("/_sim/reset", json={}).status_code == 200


def test_inbox_link_with_a_wrong_admin_token_is_refused_and_sets_nothing(settings):
    settings.host, settings.admin_token = "0.0.0.0", "s3cret"
    client = create_app(settings, PROVIDERS).test_client()
    refused = client.get("/_sim/inbox/?admin_token=guess")
    assert refused.status_code == 401 and "Set-Cookie" not in refused.headers
    assert client.get("/_sim/inbox/").status_code == 401
