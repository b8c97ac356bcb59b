"""The app factory: the one place providers and the control plane are mounted."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import time
from dataclasses import dataclass

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

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
from simulator.limits import MAX_BODY, BodyLimit, without_body
from simulator.pipeline import Refused, before_request, presented
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
    app.before_request(before_request)  # first: the admin guard and the namespace, before any body is read
    security.install(app, settings.host, settings.allowed_hosts, {host for spec in providers for host in spec.hosts})

    for spec in providers:
        app.register_blueprint(spec.blueprint, url_prefix=spec.prefix)
    from simulator.control import control

    app.register_blueprint(control)
    app.register_blueprint(inbox)
    _register_error_handlers(app, state)
    _register_journal(app, state)
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
        spec = provider_for_path(state.providers, request.path)
        if spec is None:
            return control_error(500, "internal", str(exc))
        return spec.render_error(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        spec = provider_for_path(state.providers, request.path)
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
        spec = provider_for_path(state.providers, request.path)
        if spec is None:
            return control_error(500, "internal", "internal error; the simulator's log has the details")
        return spec.internal_error()


def _register_journal(app: Flask, state: SimulatorState) -> None:
    from simulator.core.journal import BODY_LIMIT, masked_body, masked_echoes, masked_headers, masked_query

    @app.before_request
    def _body_kept() -> None:
        # Read the body now: parsing a form later consumes it, and the journal keeps the raw bytes.
        if without_body(request.environ):
            return
        with contextlib.suppress(RequestEntityTooLarge):  # the route answers this itself
            request.get_data(cache=True)

    @app.after_request
    def _journal(response: Response) -> Response:
        kept = g._get_current_object()  # one proxy lookup each: this runs after every request
        spec = kept.get("sim_provider")
        if spec is None or "sim_door" not in kept:  # not a provider request, or refused before it got a namespace
            return response
        asked = request._get_current_object()
        environ = asked.environ
        try:
            body = b"" if without_body(environ) else asked.get_data(cache=True)[:BODY_LIMIT]
        except RequestEntityTooLarge:  # the provider already answered; journal the request without its body
            body = b""
        reply = response.get_data()[:BODY_LIMIT] if not response.is_streamed else b""
        # What the request presented as its credentials (identifiers aside), wherever the answer echoes it.
        secrets = [value for name, value in presented(spec).items() if value and not name.endswith("_id")]
        kept.sim_door.record(
            "request",
            provider=spec.name,
            method=asked.method,
            path=asked.path,
            query=masked_query(environ.get("QUERY_STRING", "")),
            headers=masked_headers(request_headers(environ)),
            body=masked_body(body.decode("utf-8", "replace")),
            status=response.status_code,
            response=masked_echoes(masked_body(reply.decode("utf-8", "replace")), secrets),
            response_type=response.headers.get("Content-Type"),
            started=kept.get("sim_started"),
        )
        return response


# WSGI environ key -> header name as werkzeug spells it ("HTTP_X_API_KEY" -> "X-Api-Key"), "" for a key that is
# no header; few distinct keys arrive, so each is worked out once (bounded: a client may send any names).
_HEADER_NAMES: dict[str, str] = {}
_HEADER_NAMES_KEPT = 512


def _header_name(key: str) -> str:
    if key.startswith("HTTP_") and key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
        return key[5:].replace("_", "-").title()
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return key.replace("_", "-").title()
    return ""


def request_headers(environ: dict) -> dict[str, str]:
    """A request's headers in one pass over its environ, named and ordered as werkzeug's `request.headers`."""
    headers = {}
    for key, value in environ.items():
        name = _HEADER_NAMES.get(key)
        if name is None:
            name = _header_name(key)
            if len(_HEADER_NAMES) < _HEADER_NAMES_KEPT:
                _HEADER_NAMES[key] = name
        if name and (value or not key.startswith("CONTENT_")):  # werkzeug drops an empty Content-Type/-Length
            headers[name] = value
    return headers
