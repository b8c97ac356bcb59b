"""GET /_sim/wait: block until a matching message or transition exists, so tests stop polling.

The engine's journal notifies a condition on every new message, transition, webhook attempt and
request; the waiter re-checks only then. Advancing the clock fires due transitions, which wakes it.

A waiting call holds a server thread, so at most `max_waits` (--max-waits) wait at once in a process;
one more is answered 429 with Retry-After at once, and the other threads stay free for provider traffic.
"""

from __future__ import annotations

import threading

from flask import Response, current_app, jsonify
from flask.blueprints import BlueprintSetupState
from marshmallow import fields

from simulator.control.blueprint import control, operator, query
from simulator.control.errors import ControlError
from simulator.control.fields import Duration
from simulator.control.filters import FilterSchema, MessageFilter
from simulator.control.views import message_json
from simulator.core.messages import MessageView

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 300.0
SLOTS = "simulator.wait_slots"  # app.extensions key of the semaphore counting open waits
RETRY_AFTER = "1"  # seconds; a slot frees as soon as any open wait is answered


class WaitSchema(FilterSchema):
    id = fields.String()  # a message key or provider id
    timeout = Duration(MAX_TIMEOUT, load_default=DEFAULT_TIMEOUT)


@control.record_once
def _create_slots(setup: BlueprintSetupState) -> None:
    settings = setup.app.extensions["simulator"].settings
    setup.app.extensions[SLOTS] = threading.BoundedSemaphore(settings.max_waits)


@control.get("/wait")
def wait() -> Response:
    data = query(WaitSchema())
    slots = current_app.extensions[SLOTS]
    if not slots.acquire(blocking=False):
        limit = current_app.extensions["simulator"].settings.max_waits
        response = ControlError(
            429, "too_many_waits", f"{limit} waits are open in this process (--max-waits); retry in a moment"
        ).response()
        response.headers["Retry-After"] = RETRY_AFTER
        return response
    try:
        return _wait(data)
    finally:
        slots.release()


def _wait(data: dict) -> Response:
    timeout = data.pop("timeout")
    ident = data.pop("id", None)
    wanted = {**data, **({"id": ident} if ident else {})}
    where = MessageFilter.from_query(data)
    door = operator()

    def first_match() -> MessageView | None:
        for view in door.views(where.stored):
            if (ident is None or ident in (view.message.key, view.message.id)) and where.reached(view):
                return view
        return None

    found = door.wait_for(first_match, timeout)
    if not found:
        raise ControlError(
            408,
            "timeout",
            f"no matching message in namespace {door.namespace!r} after {timeout:g}s",
            waited_for=wanted,
        )
    return jsonify(message_json(found))
