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
def app(request: pytest.FixtureRequest, settings: Settings) -> Flask:
    """A fresh app; a test on the live server with the default settings gets the server's app instead (so
    `engine` and `client` act on what the server answers from), reset for the test by `live_server`."""
    if "live_server" in request.fixturenames and settings == make_settings():
        return request.getfixturevalue("session_app")
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


@pytest.fixture(scope="session")
def session_app() -> Flask:
    """The app the session's live server answers from (one per xdist worker)."""
    return create_app(make_settings())


@pytest.fixture(scope="session")
def session_server(session_app: Flask) -> Iterator[ThreadedServer]:
    """One real HTTP server per session, as pytest-httpserver runs it; `live_server` resets it per test."""
    server = serve_in_thread(session_app)
    yield server
    server.close()


@pytest.fixture
def live_server(app: Flask, session_app: Flask, session_server: ThreadedServer) -> Iterator[ThreadedServer]:
    """A real HTTP server on a free loopback port. With the default settings, the session's server after a
    full reset (`POST /_sim/reset`: messages, clocks, throttles, bindings, faults and accounts as started) and
    the start-up seed; a test with its own settings gets a server of its own. An error in the server's thread
    fails the test."""
    if app is session_app:
        assert app.test_client().post("/_sim/reset").status_code == 200
        state = app.extensions["simulator"]
        if state.engine.seed != state.settings.seed:  # an earlier test reseeded everything (POST /_sim/seed)
            state.engine.reseed(state.settings.seed)
        server, seen = session_server, len(session_server.errors)
    else:
        server, seen = serve_in_thread(app), 0
    yield server
    if server is not session_server:
        server.close()
    if len(server.errors) > seen:
        raise server.errors[seen]


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
