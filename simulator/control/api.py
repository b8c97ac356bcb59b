"""Control endpoints: discovery, reset and the clock."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from simulator import __version__
from simulator.control.errors import ControlError
from simulator.core.clock import parse_duration, parse_instant
from simulator.core.services import DEFAULT_NAMESPACE, Namespace
from simulator.providers.base import NAMESPACE_HEADER

control = Blueprint("control", __name__, url_prefix="/_sim")


@control.errorhandler(ControlError)
def _control_error(exc: ControlError) -> Response:
    return exc.response()


def _state():
    return current_app.extensions["simulator"]


def namespace_name() -> str:
    return request.args.get("namespace") or request.headers.get(NAMESPACE_HEADER) or DEFAULT_NAMESPACE


def json_body() -> dict:
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ControlError(400, "invalid_json", "the body must be a JSON object")
    return data


@control.get("/")
def discovery() -> Response:
    state = _state()
    root = request.host_url.rstrip("/")
    hostname = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host
    providers = []
    for spec in state.providers:
        base_urls = [root + spec.prefix]
        port = state.settings.provider_ports.get(spec.name)
        if port:
            base_urls.append(f"{request.scheme}://{hostname}:{port}")
        demo = state.engine.accounts.demo(spec.name)
        providers.append(
            {
                "name": spec.name,
                "title": spec.title,
                "base_urls": base_urls,
                "hosts": list(spec.hosts),
                "demo_credentials": dict(demo.credentials) if demo else {},
            }
        )
    return jsonify({"version": __version__, "providers": providers})


@control.post("/reset")
def reset() -> Response:
    body = json_body()
    namespace = request.args.get("namespace") or body.get("namespace")
    everything = namespace is None and request.headers.get(NAMESPACE_HEADER) is None
    _state().engine.reset(None if everything else namespace_name() if namespace is None else namespace)
    return jsonify({"reset": "all" if everything else namespace or namespace_name()})


def _clock_body(space: Namespace) -> dict:
    return {"namespace": space.name, **space.clock.describe()}


@control.get("/clock")
def get_clock() -> Response:
    return jsonify(_clock_body(_state().engine.namespace(namespace_name())))


@control.post("/clock")
def set_clock() -> Response:
    body = json_body()
    space = _state().engine.namespace(namespace_name())
    known = {"advance", "freeze", "set", "unfreeze", "reset"}
    unknown = sorted(set(body) - known)
    if unknown or not body:
        raise ControlError(
            400,
            "invalid_clock_request",
            f"use one of {', '.join(sorted(known))}" + (f"; unknown: {unknown[0]}" if unknown else ""),
        )
    try:
        if body.get("reset"):
            space.clock.reset()
        if "freeze" in body:
            value = body["freeze"]
            space.clock.freeze(None if value in (True, None) else parse_instant(str(value)))
        if "set" in body:
            space.clock.set(parse_instant(str(body["set"])))
        if body.get("unfreeze"):
            space.clock.unfreeze()
        if "advance" in body:
            space.clock.advance(parse_duration(body["advance"]))
    except ValueError as exc:
        raise ControlError(400, "invalid_clock_request", str(exc)) from exc
    return jsonify(_clock_body(space))
