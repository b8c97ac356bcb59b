"""json.php bytes: PHP json_encode defaults (slashes and non-ASCII escaped), compact."""

from __future__ import annotations

from flask import Response

from simulator.providers.wire import json_response

CONTENT_TYPE = "application/json"  # doc: seeds say "Content Type: JSON application/json"


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(
        payload, status, content_type=CONTENT_TYPE, headers=headers, ensure_ascii=True, escape_slashes=True
    )
