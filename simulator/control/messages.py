"""Messages: list with filters and paging, one with its history, latest, forced status, injected replies."""

from __future__ import annotations

from flask import Response, jsonify
from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow import validate as v

from simulator.control.blueprint import control, json_body, load, operator, query
from simulator.control.errors import ControlError
from simulator.control.filters import FilterSchema, MessageFilter
from simulator.control.journal import note
from simulator.control.views import message_json
from simulator.core import statuses
from simulator.core.doors import OperatorDoor
from simulator.core.lifecycle import Media

MAX_PAGE = 1000


class ListSchema(FilterSchema):
    limit = fields.Integer(load_default=100, validate=v.Range(min=1, max=MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=v.Range(min=0))


class StatusSchema(Schema):
    status = fields.String(required=True, validate=v.OneOf(statuses.ALL))
    reason = fields.String(load_default=None, allow_none=True, validate=v.OneOf(statuses.REASONS))


TEXT_LIMIT = 10_000


class MediaSchema(Schema):
    # The inbox shows the URL as a link: only web URLs, never javascript: or data:.
    url = fields.Url(required=True, schemes={"http", "https"}, validate=v.Length(max=2048))
    filename = fields.String(required=True, validate=v.Length(min=1, max=255))
    filesize = fields.Integer(required=True, strict=True, validate=v.Range(min=0, max=2**31))


class ReplySchema(Schema):
    text = fields.String(load_default=None, allow_none=True, validate=v.Length(max=TEXT_LIMIT))
    media = fields.Nested(MediaSchema, load_default=None, allow_none=True)

    @validates_schema
    def _something(self, data, **kwargs):
        if not (data.get("text") or "").strip() and data.get("media") is None:
            raise ValidationError("give text, media or both", "text")


def find_key(door: OperatorDoor, ident: str) -> str:
    """A message key from "<provider>:<id>" or a bare provider id that is unique in the namespace."""
    if ":" in ident and door.find(ident) is not None:
        return ident
    named = door.with_id(ident)
    keys = [view.message.key for view in named.views]
    if named.total > 1:
        raise ControlError(409, "ambiguous_id", f"{ident!r} names {named.total} messages; use one key", keys=keys)
    if not keys:
        raise ControlError(404, "not_found", f"no message {ident!r} in namespace {door.namespace!r}")
    return keys[0]


@control.get("/messages")
def list_messages() -> Response:
    data = query(ListSchema())
    limit, offset = data.pop("limit"), data.pop("offset")
    page = operator().messages(MessageFilter.from_query(data).query(), limit=limit, offset=offset)
    return jsonify(
        {
            "namespace": operator().namespace,
            "total": page.total,
            "offset": offset,
            "limit": limit,
            "messages": [message_json(view) for view in page.views],
        }
    )


@control.get("/messages/latest")
def latest_message() -> Response:
    found = operator().messages(MessageFilter.from_query(query(FilterSchema())).query(), limit=1).views
    if not found:
        raise ControlError(404, "not_found", f"no matching message in namespace {operator().namespace!r}")
    return jsonify(message_json(found[0]))


@control.get("/messages/<ident>")
def get_message(ident: str) -> Response:
    door = operator()
    return jsonify(message_json(door.find(find_key(door, ident))))


@control.post("/messages/<ident>/status")
def force_status(ident: str) -> Response:
    door = operator()
    key = find_key(door, ident)
    data = load(StatusSchema(), json_body())
    forced = door.force(key, data["status"], data["reason"])
    note("control", action="force", message=key, status=data["status"], reason=data["reason"])
    return jsonify(message_json(forced))


@control.post("/messages/<ident>/reply")
def inject_reply(ident: str) -> Response:
    door = operator()
    key = find_key(door, ident)
    data = load(ReplySchema(), json_body())
    media = Media(**data["media"]) if data["media"] else None
    replied = door.reply(key, data["text"], media)
    note("control", action="reply", message=key, text=data["text"], media=data["media"])
    return jsonify(message_json(replied))
