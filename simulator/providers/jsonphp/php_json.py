"""Reading a body the way PHP's `json_decode($body, true)` does: what PHP rejects, we reject.

Python's json module is more lenient: it accepts NaN/Infinity, lone UTF-16 surrogates and any
nesting its recursion limit allows; PHP returns null for each (JSON_ERROR_SYNTAX, _UTF16, _DEPTH).
"""

from __future__ import annotations

import json

PHP_MAX_DEPTH = 512  # PHP json_decode's default $depth


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def decode(raw: bytes) -> object:
    """The decoded value, or ValueError where PHP would return null."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)) from exc
    _check(value)
    return value


def _check(value: object) -> None:
    """Refuse lone surrogates and nesting deeper than PHP allows, without recursion."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            node.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate
        elif isinstance(node, dict | list):
            if depth > PHP_MAX_DEPTH:
                raise ValueError("maximum nesting depth exceeded")
            children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
