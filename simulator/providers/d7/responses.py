"""D7 bytes: compact JSON, raw UTF-8 (Starlette JSONResponse)."""

from __future__ import annotations

from flask import Response

from simulator.providers.wire import json_response

CONTENT_TYPE = "application/json"  # inferred: Starlette JSONResponse default


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(payload, status, content_type=CONTENT_TYPE, headers=headers)
