"""GET /_sim/wait: block until a matching message or transition exists, so tests stop polling.

The engine's journal notifies a condition on every new message, transition, webhook attempt and
request; the waiter re-checks only then. Advancing the clock fires due transitions, which wakes it.
"""

from __future__ import annotations

from flask import Response, jsonify
from marshmallow import fields

from simulator.control.blueprint import control, operator, query
from simulator.control.errors import ControlError
from simulator.control.fields import Duration
from simulator.control.filters import FilterSchema, MessageFilter
from simulator.control.views import message_json
from simulator.core.messages import MessageView

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 300.0


class WaitSchema(FilterSchema):
    id = fields.String()  # a message key or provider id
    timeout = Duration(MAX_TIMEOUT, load_default=DEFAULT_TIMEOUT)


@control.get("/wait")
def wait() -> Response:
    data = query(WaitSchema())
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
