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
# A message already past the wanted status is looked for among this many newest candidates: the
# status index knows what a message is in now, not every status it went through.
REACHED_WINDOW = 1000
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
        if ident is not None:  # one message, or the few sharing a bare id: check each
            provider, sep, bare = ident.partition(":")
            candidates = []
            if sep and where.provider in (None, provider):  # a key: <provider>:<id>
                candidates = door.views(where.query(status=None, provider=provider, id=bare))
            candidates = candidates or door.views(where.query(status=None, id=ident))
            return next((view for view in candidates if where.reached(view)), None)
        found = door.messages(where.query(), limit=1, oldest_first=True).views  # in the status now
        if found or where.status is None:
            return found[0] if found else None
        # past the status already: the newest candidates that went through it
        passed = door.messages(where.query(status=None), limit=REACHED_WINDOW).views
        return next((view for view in passed if where.reached(view)), None)

    found = door.wait_for(first_match, timeout)
    if not found:
        raise ControlError(
            408,
            "timeout",
            f"no matching message in namespace {door.namespace!r} after {timeout:g}s",
            waited_for=wanted,
        )
    return jsonify(message_json(found))
