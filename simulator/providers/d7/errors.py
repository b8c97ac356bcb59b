"""D7 error envelopes ({"detail": ...}). Only render() knows their shapes."""

from __future__ import annotations

from flask import Response

from simulator.core.errors import SimError
from simulator.providers.d7.responses import reply


def not_found() -> Response:
    return reply({"detail": "Not Found"}, 404)  # inferred: FastAPI default


def method_not_allowed(allowed: list[str]) -> Response:
    return reply({"detail": "Method Not Allowed"}, 405, {"Allow": ", ".join(allowed)})  # inferred: FastAPI


def internal_error() -> Response:
    return reply({"detail": "Internal Server Error"}, 500)  # inferred


def render(error: SimError) -> Response:
    return internal_error()
