"""SMS Club error envelopes. Only render() knows their shapes."""

from __future__ import annotations

from flask import Response

from simulator.core.errors import SimError
from simulator.providers.smsclub.responses import reply


def yii_error(name: str, message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    # inferred: Yii2 production-mode HttpException body
    return reply({"name": name, "message": message, "code": 0, "status": status}, status, headers)


def not_found() -> Response:
    return yii_error("Not Found", "Page not found.", 404)


def method_not_allowed(allowed: list[str]) -> Response:
    methods = ", ".join(method for method in allowed if method not in ("HEAD", "OPTIONS"))
    return yii_error(
        "Method Not Allowed",
        f"Method Not Allowed. This URL can only handle the following request methods: {methods}.",
        405,
        {"Allow": methods},
    )


def internal_error() -> Response:
    return yii_error("Internal Server Error", "An internal server error occurred.", 500)


def render(error: SimError) -> Response:
    return internal_error()
