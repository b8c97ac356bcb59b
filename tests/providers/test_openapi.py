"""Each provider's OpenAPI document (generated from its schemas): valid, exactly its routes, and schemathesis
runs over it (seeded, bounded): no 5xx, no exception text, every error in the provider's own envelope."""

from __future__ import annotations

import base64
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error

from simulator.app import create_app
from simulator.providers import REGISTRY
from tests.conftest import make_settings
from tests.fuzz_checks import in_envelope, no_exception_text

NAMES = [spec.name for spec in REGISTRY]
# No throttling: on the frozen clock every example lands in the same second, and a 429 for all is shallow.
_app = create_app(make_settings(throttle=False))
_client = _app.test_client()
ROUTEE_BASIC = "Basic " + base64.b64encode(b"5756a411e4b06a33d50517c7:vb6QpjCIOG").decode()
ROUTEE_BEARER = (
    "Bearer "
    + _client.post(
        "/routee/oauth/token", headers={"Authorization": ROUTEE_BASIC}, data={"grant_type": "client_credentials"}
    ).get_json()["access_token"]
)
JSONPHP_KEY = "sim-jsonphp-demo-key"
HEADERS = {
    "d7": {"Authorization": "Bearer sim-d7-demo-token"},
    "smsclub": {"Authorization": "Bearer sim-smsclub-demo-token"},
    "jsonphp": {},
    "routee": {"Authorization": ROUTEE_BEARER},
}


@pytest.mark.parametrize("name", NAMES)
def test_provider_openapi_document_is_valid_and_covers_exactly_its_routes(client, app, name):
    response = client.get(f"/_sim/openapi/{name}.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    spec = app.extensions["simulator"].provider(name)
    served = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(spec.prefix)).rstrip("/") or "/", method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(f"{spec.blueprint.name}.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served


def _d7_error(body: object) -> bool:
    return isinstance(body, dict) and list(body) == ["detail"]


def _smsclub_error(body: object) -> bool:
    if not isinstance(body, dict):
        return False
    return (
        list(body) == ["errorRequest"]
        or list(body) == ["error_request"]
        or {"name", "message", "code", "status"} <= set(body)
    )


def _routee_error(body: object) -> bool:
    if not isinstance(body, dict):
        return False
    keys = set(body)
    oauth, spring = {"error", "error_description"}, {"status", "error", "path"}  # Spring Boot's page may add more
    return {"code", "developerMessage"} <= keys or keys == oauth or spring <= keys


def _jsonphp_answer(body: object) -> bool:
    return isinstance(body, dict) and isinstance(body.get("success"), bool)


ENVELOPES = {"d7": _d7_error, "smsclub": _smsclub_error, "routee": _routee_error, "jsonphp": _jsonphp_answer}


def _checks(name: str) -> list:
    return [not_a_server_error, no_exception_text, in_envelope(ENVELOPES[name], always=name == "jsonphp")]


SCHEMAS = {name: schemathesis.openapi.from_wsgi(f"/_sim/openapi/{name}.json", _app) for name in NAMES}
FUZZ = settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))


def _fuzz(name: str, case) -> None:
    headers = dict(HEADERS[name])
    if case.path == "/oauth/token":
        headers["Authorization"] = ROUTEE_BASIC
    if name == "jsonphp" and isinstance(case.body, dict):
        case.body["auth"] = JSONPHP_KEY  # past the key check, to the items
    case.call_and_validate(headers=headers, checks=_checks(name))


@SCHEMAS["smsclub"].parametrize()
@FUZZ
def test_smsclub_fuzzed_from_its_openapi_answers_in_its_envelope(case):
    _fuzz("smsclub", case)


@SCHEMAS["d7"].parametrize()
@FUZZ
def test_d7_fuzzed_from_its_openapi_answers_in_its_envelope(case):
    _fuzz("d7", case)


@SCHEMAS["jsonphp"].parametrize()
@FUZZ
def test_jsonphp_fuzzed_from_its_openapi_answers_in_its_envelope(case):
    _fuzz("jsonphp", case)


@SCHEMAS["routee"].parametrize()
@FUZZ
def test_routee_fuzzed_from_its_openapi_answers_in_its_envelope(case):
    _fuzz("routee", case)
