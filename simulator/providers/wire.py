"""Exact response bytes: the one way provider bodies leave the simulator.

Never `jsonify`: it sorts keys, escapes Unicode and adds a newline. Each provider's responses.py
calls `json_response` with its own encoding rules (key order is the order the dict was built in).
"""

from __future__ import annotations

import functools
import json

from flask import Response


@functools.cache
def _encoder(ensure_ascii: bool, separators: tuple[str, str]) -> json.JSONEncoder:
    # json.dumps builds a new encoder on every call that passes options; these few are kept instead.
    return json.JSONEncoder(ensure_ascii=ensure_ascii, separators=separators, allow_nan=False)


def json_bytes(
    payload: object,
    *,
    ensure_ascii: bool = False,
    escape_slashes: bool = False,
    separators: tuple[str, str] = (",", ":"),
) -> bytes:
    text = _encoder(ensure_ascii, separators).encode(payload)
    if escape_slashes:
        text = text.replace("/", "\\/")
    return text.encode("utf-8")


def json_response(
    payload: object,
    status: int = 200,
    *,
    content_type: str,
    headers: dict[str, str] | None = None,
    ensure_ascii: bool = False,
    escape_slashes: bool = False,
    separators: tuple[str, str] = (",", ":"),
) -> Response:
    body = json_bytes(payload, ensure_ascii=ensure_ascii, escape_slashes=escape_slashes, separators=separators)
    return bytes_response(body, status, content_type=content_type, headers=headers)


def bytes_response(
    body: bytes, status: int = 200, *, content_type: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(body, status=status, headers=headers, content_type=content_type)
