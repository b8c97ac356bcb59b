"""The /_sim/ blueprint and what every control endpoint shares: namespace choice, bodies, errors, the admin guard."""

from __future__ import annotations

import hmac
import ipaddress
import re

from flask import Blueprint, Response, current_app, request
from marshmallow import Schema, ValidationError

from simulator.control.errors import ControlError
from simulator.core import statuses
from simulator.core.errors import IllegalTransition, NotFound
from simulator.core.services import DEFAULT_NAMESPACE, Engine, Services
from simulator.providers.base import NAMESPACE_HEADER

control = Blueprint("control", __name__, url_prefix="/_sim")

ADMIN_HEADER = "X-Sim-Admin-Token"
NAMESPACE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_NAMESPACE_NAME = re.compile(NAMESPACE_PATTERN)


def state():
    """The app's SimulatorState (settings, engine, providers)."""
    return current_app.extensions["simulator"]


def engine() -> Engine:
    return state().engine


def chosen_namespace() -> str | None:
    """The namespace the request names (`?namespace=` first, then the header), or None."""
    name = request.args.get("namespace") or request.headers.get(NAMESPACE_HEADER)
    if name is not None and not _NAMESPACE_NAME.match(name):
        raise ControlError(
            400, "invalid_namespace", f"namespace {name!r} must be 1-64 letters, digits, '_', '.' or '-'"
        )
    return name


def namespace_name() -> str:
    return chosen_namespace() or DEFAULT_NAMESPACE


def services() -> Services:
    return engine().services(namespace_name())


def json_body() -> dict:
    """The request's JSON object; an empty body is {}."""
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ControlError(400, "invalid_json", "the body must be a JSON object")
    return data


def load(schema: Schema, data: dict) -> dict:
    """Validate with marshmallow; the first problem becomes a 400 naming the field."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        field, message = _first(exc.messages)
        raise ControlError(400, "invalid_request", f"{field}: {message}", fields=exc.messages) from exc


def query(schema: Schema) -> dict:
    """The query string validated by `schema` (`namespace` is handled separately)."""
    args = {key: value for key, value in request.args.items() if key != "namespace"}
    return load(schema, args)


def _first(messages: dict | list | str, prefix: str = "") -> tuple[str, str]:
    if isinstance(messages, dict):
        key = sorted(messages, key=str)[0]
        name = f"{prefix}.{key}" if prefix else str(key)
        return _first(messages[key], "" if key == "_schema" else name)
    if isinstance(messages, list) and messages:
        return _first(messages[0], prefix)
    return prefix or "body", str(messages)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@control.before_request
def _require_admin_token() -> None:
    """Off loopback, anyone on the network could reset or rewrite state: demand the admin token."""
    settings = state().settings
    if is_loopback(settings.host):
        return
    if not settings.admin_token:
        raise ControlError(
            403, "admin_token_not_configured", "the control API is served off loopback; start with --admin-token"
        )
    given = request.headers.get(ADMIN_HEADER, "")
    if not hmac.compare_digest(given.encode(), settings.admin_token.encode()):
        raise ControlError(401, "admin_token_required", f"send the admin token in the {ADMIN_HEADER} header")


@control.errorhandler(ControlError)
def _control_error(exc: ControlError) -> Response:
    return exc.response()


@control.errorhandler(NotFound)
def _not_found(exc: NotFound) -> Response:
    return ControlError(404, "not_found", str(exc), kind=exc.kind, key=exc.key).response()


@control.errorhandler(IllegalTransition)
def _illegal(exc: IllegalTransition) -> Response:
    return ControlError(
        409,
        "illegal_transition",
        f"{exc}; allowed from {exc.current or 'start'}: {', '.join(exc.allowed) or 'none, it is final'}",
        current=exc.current,
        target=exc.target,
        allowed=exc.allowed,
        transitions={status: sorted(targets) for status, targets in statuses.TRANSITIONS.items()},
    ).response()
