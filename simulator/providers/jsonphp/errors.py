"""json.php error envelopes. Only render() knows their shapes."""

from __future__ import annotations

from flask import Response

from simulator.core.errors import SimError
from simulator.providers.jsonphp.responses import reply
from simulator.providers.wire import bytes_response


def not_found() -> Response:
    # inferred: a plain web server 404 for paths other than /api/json.php
    return bytes_response(b"Not Found", 404, content_type="text/html; charset=UTF-8")


def method_not_allowed(allowed: list[str]) -> Response:
    return reply({"success": False, "error": "Invalid request"})  # inferred: the script answers any method


def internal_error() -> Response:
    return bytes_response(b"", 500, content_type="text/html; charset=UTF-8")


def render(error: SimError) -> Response:
    return internal_error()
