"""GET /_sim/openapi/<provider>.json: each provider's OpenAPI document, generated from its schemas."""

from __future__ import annotations

from flask import Response, jsonify

from simulator import __version__
from simulator.control.blueprint import control, state
from simulator.control.errors import ControlError


@control.get("/openapi/<name>.json")
def provider_openapi(name: str) -> Response:
    spec = state().provider(name)
    found = spec.openapi(__version__) if spec is not None else None  # milliseconds: not worth a cache
    if found is None:
        names = ", ".join(item.name for item in state().providers if item.api is not None)
        raise ControlError(404, "not_found", f"no OpenAPI document for {name!r}; there is one for {names}")
    return jsonify(found)
