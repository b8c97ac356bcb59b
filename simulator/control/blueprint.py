"""The /_sim/ blueprint and what every control endpoint shares: the operator door, bodies, errors.

The admin guard and the namespace choice happen in the request pipeline (simulator/pipeline.py),
for every /_sim/ path alike."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from marshmallow import Schema, ValidationError

from simulator.control.errors import ControlError
from simulator.core import statuses
from simulator.core.errors import IllegalTransition, NotFound
from simulator.pipeline import chosen_namespace
from simulator.pipeline import operator_door as operator

control = Blueprint("control", __name__, url_prefix="/_sim")

__all__ = ["chosen_namespace", "control", "operator"]


def state():
    """The app's SimulatorState (settings, providers); state changes go through `operator()`."""
    return current_app.extensions["simulator"]


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
        raise ControlError(400, "invalid_request", f"{field}: {message}", field=field, fields=exc.messages) from exc


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
