"""Schemathesis fuzzes every control endpoint from /_sim/openapi.json (seeded): no 500s, no exception text,
every error in our {"error": {"code", "message"}} envelope."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from simulator.app import create_app
from tests.conftest import make_settings
from tests.control.conftest import PROVIDERS
from tests.fuzz_checks import in_envelope, no_exception_text

_app = create_app(make_settings(), PROVIDERS)
schema = schemathesis.openapi.from_wsgi("/_sim/openapi.json", _app)


def _control_error(body: object) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str)


@schema.exclude(path="/_sim/wait").parametrize()
@settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_control_endpoint_fuzzed_never_answers_500(case):
    case.call_and_validate(checks=[not_a_server_error, no_exception_text, in_envelope(_control_error)])
