"""Routee error envelopes ({"code","developerMessage"}). Only render() knows their shapes."""

from __future__ import annotations

from flask import Response, request

from simulator.core.errors import SimError
from simulator.providers.routee.responses import reply


def _spring(status: int, error: str) -> Response:
    # inferred: Spring Boot's default error body for routing errors
    return reply({"status": status, "error": error, "path": request.path.removeprefix("/routee")}, status)


def not_found() -> Response:
    return _spring(404, "Not Found")


def method_not_allowed(allowed: list[str]) -> Response:
    response = _spring(405, "Method Not Allowed")
    response.headers["Allow"] = ", ".join(allowed)
    return response


def internal_error() -> Response:
    return reply({"code": "500000000", "developerMessage": "Internal Server Error"}, 500)


def render(error: SimError) -> Response:
    return internal_error()
