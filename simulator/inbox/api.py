"""The page's read-only views: the inbox list and one message, shaped for its renderer.

    GET /api/messages?provider=&status=&recipient=&contains=&limit=
        the list, with status counts within the filters but status (ETag: an unchanged poll is a 304)
    GET /api/messages/<key>
        one message with history, replies, webhooks, requests

Every change the page makes (reply, force, clock, reset) goes to the control API itself, so the
inbox has no second set of write endpoints. Both views take ?namespace= and use the control API's
validation and error format; the admin guard covers them like every /_sim/ path.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from marshmallow import Schema, fields
from marshmallow import validate as v

from simulator.control.blueprint import load, operator
from simulator.control.errors import ControlError
from simulator.core import statuses
from simulator.core.doors import OperatorDoor
from simulator.inbox import present

api = Blueprint("api", __name__)


class ListSchema(Schema):
    provider = fields.String(load_default=None, validate=v.Length(max=64))
    status = fields.String(load_default=None, validate=v.OneOf(statuses.ALL))
    recipient = fields.String(load_default=None, validate=v.Length(max=64))  # a substring of the number
    contains = fields.String(load_default=None, validate=v.Length(max=1000))  # a substring of the text
    limit = fields.Integer(load_default=200, validate=v.Range(min=1, max=1000))


def filters() -> present.Filters:
    args = {key: value for key, value in request.args.items() if key != "namespace" and value != ""}
    return present.Filters(**load(ListSchema(), args))


def message_detail(door: OperatorDoor, key: str) -> dict:
    view = door.find(key)
    if view is None:
        raise ControlError(404, "not_found", f"no message {key!r} in namespace {door.namespace!r}")
    return {"clock": present.clock(door.clock), "message": present.detail(door, view)}


def _fresh(body: dict) -> Response:
    """JSON with an ETag, so a poll that finds nothing new is a bodiless 304."""
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@api.get("/messages")
def messages() -> Response:
    return _fresh(present.message_list(operator(), filters()))


@api.get("/messages/<path:key>")
def message(key: str) -> Response:
    return _fresh(message_detail(operator(), key))
