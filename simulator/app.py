"""The app factory: the one place providers and the control plane are mounted."""

from __future__ import annotations

import functools
import gc
import logging
import time
from dataclasses import dataclass

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from simulator import security
from simulator.core import clock as clock_module
from simulator.core.accounts import Accounts, load_file
from simulator.core.engine import Engine
from simulator.core.errors import ConfigError, NamespaceRefused, SimError
from simulator.core.scenarios import ScenarioLibrary
from simulator.core.store import Retention, open_store
from simulator.core.webhooks import Sender, Targets
from simulator.dispatch import ProviderDispatch
from simulator.inbox import inbox
from simulator.limits import MAX_BODY, BodyLimit
from simulator.pipeline import Refused, control_request
from simulator.providers import REGISTRY
from simulator.providers.base import ProviderSpec
from simulator.routing import ProviderRouting, provider_for_path
from simulator.settings import Settings

log = logging.getLogger("simulator")


@dataclass
class SimulatorState:
    """What the app keeps under app.extensions["simulator"]."""

    settings: Settings
    engine: Engine
    providers: tuple[ProviderSpec, ...]

    def provider(self, name: str) -> ProviderSpec | None:
        return next((spec for spec in self.providers if spec.name == name), None)


class SimulatorFlask(Flask):
    def ensure_sync(self, func):
        # Flask inspects every view and hook on every request for a coroutine; the simulator has none.
        return func


def load_accounts(settings: Settings, providers: tuple[ProviderSpec, ...]) -> Accounts:
    if settings.accounts:
        return Accounts(load_file(settings.accounts))
    by_provider = {}
    for spec in providers:
        by_provider.update(load_file(spec.accounts_file))
    return Accounts(by_provider)


def build_engine(settings: Settings, providers: tuple[ProviderSpec, ...]) -> Engine:
    """Everything that can fail on bad configuration, before any server starts."""
    try:
        clock_module.configure(clock_module.Clock(), settings.clock)
    except ValueError as exc:
        raise ConfigError("--clock", "", str(exc)) from exc
    try:
        retention = Retention.parse(settings.retention)
    except ValueError as exc:
        raise ConfigError("--retention", "", str(exc)) from exc
    try:
        store = open_store(settings.store, retention)
    except ValueError as exc:
        raise ConfigError("--store", "", str(exc)) from exc
    if settings.workers > 1 and not getattr(store, "shared_across_processes", False):
        raise ConfigError(
            "--workers",
            "",
            f"{settings.store} keeps state in one process; use one worker or a shared store such as redis://",
        )
    unknown = sorted(set(settings.provider_ports) - {spec.name for spec in providers})
    if unknown:
        raise ConfigError("--provider-port", "", f"unknown provider {unknown[0]!r}")
    scenarios = ScenarioLibrary(settings.scenarios)
    if settings.watch_scenarios:
        scenarios.watch()
    return Engine(
        store=store,
        scenarios=scenarios,
        accounts=load_accounts(settings, providers),
        hooks={spec.name: spec.hooks for spec in providers},
        seed=settings.seed,
        clock_mode=functools.partial(clock_module.configure, mode=settings.clock),
        throttle_enabled=settings.throttle,
        journal_limits=(settings.journal_max_entries, settings.journal_max_age),
        sender=Sender(targets=Targets(tuple(settings.webhook_allow))),
        pause=time.sleep,
        max_namespaces=settings.max_namespaces,
    )


def create_app(settings: Settings | None = None, providers: tuple[ProviderSpec, ...] = REGISTRY) -> Flask:
    settings = settings or Settings()
    engine = build_engine(settings, providers)
    app = SimulatorFlask("simulator")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    state = SimulatorState(settings, engine, providers)
    app.extensions["simulator"] = state
    app.before_request(control_request)  # first: the admin guard, before any body is read
    security.install(app, settings.host, settings.allowed_hosts, {host for spec in providers for host in spec.hosts})

    for spec in providers:
        app.register_blueprint(spec.blueprint, url_prefix=spec.prefix)
    from simulator.control import control

    app.register_blueprint(control)
    app.register_blueprint(inbox)
    _register_error_handlers(app, state)
    app.wsgi_app = BodyLimit(ProviderRouting(ProviderDispatch(app, providers), providers, settings.provider_ports))
    return app


def app_from_env() -> Flask:
    """Factory for servers that import the app by name (granian workers)."""
    app = create_app(Settings.from_env())
    # What start-up built (modules, schemas, scenarios, routes) lives as long as the worker: moved out of
    # the collector's reach, so that a full collection while serving walks only what requests made.
    gc.freeze()
    return app


def _register_error_handlers(app: Flask, state: SimulatorState) -> None:
    from simulator.control.errors import control_error

    def provider() -> ProviderSpec | None:
        """The provider whose envelope answers the request: the one the pipeline took it for, else by its path."""
        return g.get("sim_provider") or provider_for_path(state.providers, request.path)

    @app.errorhandler(Refused)
    def _refused(exc: Refused) -> Response:
        return control_error(exc.status, exc.code, exc.message)

    @app.errorhandler(NamespaceRefused)
    def _namespace_refused(exc: NamespaceRefused) -> Response:
        # Namespaces are the simulator's own idea, so even on a provider path the refusal is ours.
        if exc.limit_reached:
            return control_error(429, "too_many_namespaces", str(exc))
        return control_error(400, "invalid_namespace", str(exc))

    @app.errorhandler(SimError)
    def _domain_error(exc: SimError) -> Response:
        spec = provider()
        if spec is None:
            return control_error(500, "internal", str(exc))
        return spec.render_error(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        spec = provider()
        if spec is None:
            return control_error(exc.code or 500, exc.name.lower().replace(" ", "_"), exc.description or "")
        if isinstance(exc, MethodNotAllowed):
            return spec.method_not_allowed(sorted(exc.valid_methods or []))
        if isinstance(exc, NotFound):
            return spec.not_found()
        log.warning("%s %s -> %s", request.method, request.path, exc)
        return spec.internal_error()

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        spec = provider()
        if spec is None:
            return control_error(500, "internal", "internal error; the simulator's log has the details")
        return spec.internal_error()
