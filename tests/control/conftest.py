"""Control-plane fixtures: an app serving the real providers plus the test-only fake provider."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from simulator.app import create_app
from simulator.core.doors import OperatorDoor
from simulator.core.engine import Engine
from simulator.providers import REGISTRY
from simulator.settings import Settings
from tests.conftest import make_settings
from tests.plugin import fake_provider

SCENARIOS = """
scenarios:
  - name: undelivered
    description: Refused by the network after 2 s.
    # recipient_pattern and text both given: core MatchSchema validators choke on a missing one (marshmallow 4)
    match: {recipient_pattern: "^380990000002$", text: ""}
    timeline:
      - {after: 0s, status: pending}
      - {after: 2s, status: undelivered, reason: not_reachable}
  - name: broke
    description: The send is answered with "no money".
    match: {recipient_pattern: "^380990000009$", text: ""}
    error: {kind: no_money}
  - name: slow
    description: Delivered after an hour.
    timeline:
      - {after: 0s, status: pending}
      - {after: 1h, status: delivered}
"""

PROVIDERS = (*REGISTRY, fake_provider.SPEC)
DEMO_TOKEN = "fake-demo-token"
OTHER_TOKEN = "fake-other-token"


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scenarios")
    shipped = Path(__file__).resolve().parents[2] / "scenarios" / "default.yaml"
    (root / "default.yaml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "extra.yaml").write_text(SCENARIOS, encoding="utf-8")
    return root


@pytest.fixture
def settings(scenario_dir: Path) -> Settings:
    return make_settings(scenarios=str(scenario_dir))


@pytest.fixture
def app(settings: Settings) -> Flask:
    return create_app(settings, PROVIDERS)


@pytest.fixture
def engine(app: Flask) -> Engine:
    return app.extensions["simulator"].engine


@pytest.fixture
def services(engine: Engine) -> OperatorDoor:
    """The default namespace as the control plane sees it."""
    return engine.operator_door()


def send(
    client: FlaskClient,
    to: str = "380501234567",
    text: str = "hello",
    token: str = DEMO_TOKEN,
    namespace: str | None = None,
    **extra,
) -> str:
    """Send through the fake provider; the new message's provider id."""
    headers = {"Authorization": f"Bearer {token}"}
    if namespace:
        headers["X-Sim-Namespace"] = namespace
    response = client.post("/fake/send", json={"to": to, "text": text, **extra}, headers=headers)
    assert response.status_code == 201, response.data
    return response.json["id"]


def error_code(response) -> str:
    assert response.is_json, response.data
    return response.json["error"]["code"]
