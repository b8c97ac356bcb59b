"""Schemathesis fuzzes every control endpoint from /_sim/openapi.json against a live server: no 500s."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from simulator.app import create_app
from tests.conftest import make_settings
from tests.control.conftest import PROVIDERS

_app = create_app(make_settings(), PROVIDERS)
schema = schemathesis.openapi.from_wsgi("/_sim/openapi.json", _app)


@schema.exclude(path="/_sim/wait").parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_control_endpoint_fuzzed_never_answers_500(case):
    case.call_and_validate(checks=[not_a_server_error])
