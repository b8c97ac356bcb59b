"""Exact response bytes: the one way provider bodies leave the simulator.

Never `jsonify`: it sorts keys, escapes Unicode and adds a newline. Each provider's responses.py
calls `json_response` with its own encoding rules (key order is the order the dict was built in).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from json import encoder as _json

from flask import Response


@functools.cache
def _encoder(ensure_ascii: bool, separators: tuple[str, str]) -> Callable[[object], str]:
    """`JSONEncoder(ensure_ascii=..., separators=..., allow_nan=False).encode`, built once per option set.

    JSONEncoder.encode builds a C encoder (with a fresh dict to detect cycles) on every call; this one is built
    once, without the cycle check: a response body never refers to itself (if one did, the recursion limit
    would stop it instead). The C encoder writes the same text; without it, the JSONEncoder does the work."""
    fallback = json.JSONEncoder(ensure_ascii=ensure_ascii, separators=separators, allow_nan=False)
    if _json.c_make_encoder is None:
        return fallback.encode
    strings = _json.encode_basestring_ascii if ensure_ascii else _json.encode_basestring
    item_separator, key_separator = separators
    encode = _json.c_make_encoder(
        None, fallback.default, strings, None, key_separator, item_separator, False, False, False
    )

    def text(payload: object) -> str:
        if isinstance(payload, str):
            return strings(payload)
        return "".join(encode(payload, 0))

    return text


def json_bytes(
    payload: object,
    *,
    ensure_ascii: bool = False,
    escape_slashes: bool = False,
    separators: tuple[str, str] = (",", ":"),
) -> bytes:
    text = _encoder(ensure_ascii, separators)(payload)
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
