"""Byte-exact golden cases: see tests/golden/README.md."""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path

import pytest
import yaml

from simulator.app import create_app
from simulator.core.clock import parse_duration
from tests.conftest import FROZEN_AT, make_settings

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*/*.yaml"))
PROVENANCES = {"doc", "sdk", "inferred", "recorded"}


def _send(client, spec: dict, scenario: str | None):
    headers = dict(spec.get("headers") or {})
    if scenario:
        headers.setdefault("X-Simulator-Scenario", scenario)
    if "json" in spec:
        data = json.dumps(spec["json"], ensure_ascii=False, separators=(",", ":")).encode()
    else:
        body = spec.get("body", "")
        data = body.encode("utf-8") if isinstance(body, str) else body
    return client.open(
        spec["path"], method=spec.get("method", "GET"), headers=headers, data=data, query_string=spec.get("query")
    )


def _fixture(provider: str, name: str):
    path = GOLDEN / provider / "fixtures.py"
    spec = importlib.util.spec_from_file_location(f"golden_fixtures_{provider}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(GOLDEN).with_suffix("")) for c in CASES])
def test_golden_case_matches_bytes(case: Path) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    assert spec.get("provenance") in PROVENANCES, f"{case.name}: provenance must be one of {PROVENANCES}"
    assert spec.get("source"), f"{case.name}: say where the expected bytes come from"
    provider = case.relative_to(GOLDEN).parts[0]
    app = create_app(make_settings(seed=spec.get("seed", 1), clock=f"frozen:{spec.get('clock', FROZEN_AT)}"))
    client = app.test_client()
    engine = app.extensions["simulator"].engine
    scenario = spec.get("scenario")
    for step in spec.get("setup") or []:
        if "request" in step:
            _send(client, step["request"], scenario)
        elif "advance" in step:
            engine.operator_door().clock.advance(parse_duration(step["advance"]))
        elif "fixture" in step:
            _fixture(provider, step["fixture"])(engine)
        else:
            raise AssertionError(f"unknown setup step {step}")
    response = _send(client, spec["request"], scenario)
    expected = case.with_suffix(".body").read_bytes()
    actual = response.get_data()
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(
                expected.decode("utf-8", "replace").splitlines(),
                actual.decode("utf-8", "replace").splitlines(),
                "expected",
                "actual",
                lineterm="",
            )
        )
        pytest.fail(f"body differs for {case.name}:\nexpected {expected!r}\nactual   {actual!r}\n{diff}")
    assert response.status_code == spec["status"]
    for name, value in (spec.get("headers") or {}).items():
        assert response.headers.get(name) == value, f"header {name}"
