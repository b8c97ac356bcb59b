"""Shared fixtures: app -> client -> live server (a real HTTP server on a free loopback port)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from simulator.app import create_app
from simulator.core.clock import parse_instant
from simulator.core.doors import AccountDoor, MessageQuery, OperatorDoor
from simulator.core.engine import Engine
from simulator.server import ThreadedServer, serve_in_thread
from simulator.settings import Settings
from tests.redis_server import redis_store, redis_url  # noqa: F401  (fixtures for the shared-store tests)

# pytester runs user-style suites in tests/plugin; pytest refuses pytest_plugins in sub-directory conftests.
pytest_plugins = ["pytester"]

# A Monday morning in Kyiv; tests that need another instant freeze the clock themselves.
FROZEN_AT = "2026-01-05T09:00:00+02:00"


def make_settings(**overrides) -> Settings:
    return Settings(**{"seed": 1, "clock": f"frozen:{FROZEN_AT}", "watch_scenarios": False, **overrides})


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
def app(settings: Settings) -> Flask:
    return create_app(settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def engine(app: Flask) -> Engine:
    return app.extensions["simulator"].engine


@pytest.fixture
def services(engine: Engine) -> OperatorDoor:
    """The default namespace as the control plane sees it."""
    return engine.operator_door()


@pytest.fixture
def live_server(app: Flask) -> Iterator[ThreadedServer]:
    server = serve_in_thread(app)
    yield server
    server.close()
    if server.errors:
        raise server.errors[0]


def demo_door(engine: Engine, provider: str, namespace: str = "default") -> AccountDoor:
    """The door a provider route gets for the provider's demo account."""
    return engine.provider_door(namespace, provider).account_door(engine.accounts.demo(provider).name)


def of_provider(door: OperatorDoor, provider: str) -> list:
    """The provider's messages in the door's namespace, oldest first."""
    return door.views(MessageQuery(provider=provider))


def advance(engine: Engine, seconds: float, namespace: str = "default") -> None:
    engine.namespace(namespace).clock.advance(seconds)


def freeze(engine: Engine, at: str, namespace: str = "default") -> None:
    engine.namespace(namespace).clock.freeze(parse_instant(at))
