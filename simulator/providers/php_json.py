"""Reading a body the way PHP's `json_decode($body, true)` does, for the providers that run on PHP
(SMS Club on Yii2, json.php): what PHP rejects, we reject, with the error PHP would name.

Python's json module is more lenient: it accepts NaN/Infinity, lone UTF-16 surrogates and any
nesting its recursion limit allows; PHP returns null for each (JSON_ERROR_SYNTAX, _UTF16, _DEPTH).
"""

from __future__ import annotations

import json

from simulator.core import json_shape

MAX_DEPTH = 512  # PHP json_decode's default $depth

# json_last_error() after a failed json_decode
SYNTAX = "JSON_ERROR_SYNTAX"
CTRL_CHAR = "JSON_ERROR_CTRL_CHAR"
DEPTH = "JSON_ERROR_DEPTH"
UTF8 = "JSON_ERROR_UTF8"
UTF16 = "JSON_ERROR_UTF16"


class DecodeError(ValueError):
    """PHP's json_decode would return null; `error` is the json_last_error() it would set."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)  # json.loads would build one per call


def decode(raw: bytes) -> object:
    """The decoded value, or DecodeError where PHP would return null."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(UTF8) from exc
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise DecodeError(CTRL_CHAR if exc.msg.startswith("Invalid control character") else SYNTAX) from exc
    except ValueError as exc:
        raise DecodeError(SYNTAX) from exc
    except RecursionError as exc:
        raise DecodeError(DEPTH) from exc
    problem = json_shape.problem(value, MAX_DEPTH)
    if problem is not None:
        raise DecodeError(DEPTH if problem == json_shape.TOO_DEEP else UTF16)
    return value
