"""The guard in front of every request: what the simulator refuses before any route runs.

- Control-plane JSON (/_sim/, the inbox too) nests at most MAX_CONTROL_DEPTH deep and holds no lone
  UTF-16 surrogate: either would break a later read (a recursive walk, or encoding the text as UTF-8).
"""

from __future__ import annotations

from flask import Flask, Response, request

from simulator.control.errors import control_error
from simulator.core import json_shape
from simulator.routing import CONTROL_PREFIX

MAX_CONTROL_DEPTH = 32


def install(app: Flask) -> None:
    app.before_request(_guard)


def _guard() -> Response | None:
    if request.path == CONTROL_PREFIX or request.path.startswith(CONTROL_PREFIX + "/"):
        return _control_json_problem()
    return None


def _control_json_problem() -> Response | None:
    """A 400 for a JSON body the control plane must not take; None for anything else (the route judges it)."""
    if not request.is_json or not request.get_data(cache=True):
        return None
    try:
        value = request.get_json(silent=True)  # cached: the route reads the same decoded value
    except RecursionError:
        value, problem = None, json_shape.TOO_DEEP
    else:
        problem = json_shape.problem(value, MAX_CONTROL_DEPTH)
    if problem == json_shape.TOO_DEEP:
        return control_error(400, "invalid_json", f"the body nests deeper than {MAX_CONTROL_DEPTH} levels")
    if problem == json_shape.LONE_SURROGATE:
        return control_error(400, "invalid_json", "the body holds a lone UTF-16 surrogate (e.g. \\ud800), not text")
    return None
