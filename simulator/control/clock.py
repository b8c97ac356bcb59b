"""GET/POST /_sim/clock: read, freeze, set and advance a namespace's simulated time."""

from __future__ import annotations

from flask import Response, jsonify

from simulator.control.blueprint import control, json_body, operator
from simulator.control.errors import ControlError
from simulator.control.journal import note
from simulator.core.clock import Clock, LocalState, parse_duration, parse_instant
from simulator.core.doors import OperatorDoor

ACTIONS = ("advance", "freeze", "reset", "set", "unfreeze")


def _clock_body(door: OperatorDoor) -> dict:
    return {"namespace": door.namespace, **door.clock.describe()}


@control.get("/clock")
def get_clock() -> Response:
    return jsonify(_clock_body(operator()))


@control.post("/clock")
def set_clock() -> Response:
    """Actions apply in a fixed order: reset, freeze, set, unfreeze, advance."""
    body = json_body()
    unknown = sorted(set(body) - set(ACTIONS))
    if unknown or not body:
        raise ControlError(
            400,
            "invalid_clock_request",
            f"use one of {', '.join(ACTIONS)}" + (f"; unknown: {unknown[0]}" if unknown else ""),
        )
    door = operator()
    clock = door.clock
    started = clock.timestamp()
    try:
        # A dry run on a copy first: an action the clock refuses (out of its range) leaves it unchanged.
        _apply(Clock(state=LocalState(clock.state())), body)
        _apply(clock, body)
    except ValueError as exc:
        raise ControlError(400, "invalid_clock_request", str(exc)) from exc
    note("clock", change=body, started=started, frozen=clock.frozen)
    return jsonify(_clock_body(door))


def _apply(clock: Clock, body: dict) -> None:
    if body.get("reset"):
        clock.reset()
    if "freeze" in body:
        value = body["freeze"]
        clock.freeze(None if value in (True, None) else parse_instant(str(value)))
    if "set" in body:
        clock.set(parse_instant(str(body["set"])))
    if body.get("unfreeze"):
        clock.unfreeze()
    if "advance" in body:
        clock.advance(parse_duration(body["advance"]))
