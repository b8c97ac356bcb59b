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
