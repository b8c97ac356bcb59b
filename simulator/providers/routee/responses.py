"""Routee bytes: compact JSON in documented order (Jackson/Spring)."""

from __future__ import annotations

from flask import Response

from simulator.providers.wire import json_response

CONTENT_TYPE = "application/json;charset=UTF-8"  # inferred: Spring MVC default


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(payload, status, content_type=CONTENT_TYPE, headers=headers)
