"""What the inbox accepts from the page: query filters and steering actions, validated with marshmallow.

Every problem becomes an InboxError naming the field, which the blueprint answers with a clear 400.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow import validate as v

from simulator.core import statuses
from simulator.core.clock import parse_duration
from simulator.core.lifecycle import Media
from simulator.inbox.present import Filters

TEXT_LIMIT = 10_000
NAME_LIMIT = 200


class InboxError(Exception):
    """A request the inbox refuses; rendered as {"error": {"code", "message", "field"?}}."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None, **details) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.details = details

    def body(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": {**error, **self.details}}


class _Duration(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = value if isinstance(value, int | float) else super()._deserialize(value, attr, data)
        try:
            seconds = parse_duration(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if seconds > 366 * 86_400:
            raise ValidationError("advance at most a year at a time")
        return seconds


class FilterSchema(Schema):
    provider = fields.String(load_default=None, validate=v.Length(max=64))
    status = fields.String(load_default=None, validate=v.OneOf(statuses.ALL))
    recipient = fields.String(load_default=None, validate=v.Length(max=64))
    limit = fields.Integer(load_default=200, validate=v.Range(min=1, max=1000))
    namespace = fields.String(load_default=None)  # read by the blueprint; accepted here so it is not unknown


class MediaSchema(Schema):
    url = fields.Url(required=True, schemes={"http", "https"}, validate=v.Length(max=2048))
    filename = fields.String(required=True, validate=v.Length(min=1, max=255))
    filesize = fields.Integer(required=True, strict=True, validate=v.Range(min=0, max=2**31))


class ReplySchema(Schema):
    text = fields.String(load_default=None, allow_none=True, validate=v.Length(max=TEXT_LIMIT))
    media = fields.Nested(MediaSchema, load_default=None, allow_none=True)

    @validates_schema
    def _text_or_media(self, data, **kwargs):
        if not (data.get("text") or "").strip() and data.get("media") is None:
            raise ValidationError("a reply needs a text, a media file or both", "text")


class ForceSchema(Schema):
    status = fields.String(required=True, validate=v.OneOf(statuses.ALL))
    reason = fields.String(load_default=None, allow_none=True, validate=v.OneOf(statuses.REASONS))


class ClockSchema(Schema):
    advance = _Duration()
    freeze = fields.Boolean(validate=v.Equal(True))
    unfreeze = fields.Boolean(validate=v.Equal(True))

    @validates_schema
    def _exactly_one(self, data, **kwargs):
        if len(data) != 1:
            raise ValidationError("send exactly one of advance, freeze, unfreeze", "_schema")


def _load(schema: Schema, data: object) -> dict:
    if not isinstance(data, dict):
        raise InboxError(400, "invalid_json", "the body must be a JSON object")
    try:
        return schema.load(data)
    except ValidationError as exc:
        field, message = _first(exc.messages)
        raise InboxError(400, "invalid_request", f"{field}: {message}" if field else message, field) from exc


def _first(messages: object, path: str = "") -> tuple[str, str]:
    """The first error of a marshmallow error tree as (dotted field path, message)."""
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        name = "" if key == "_schema" else str(key)
        return _first(value, f"{path}.{name}".strip(".") if name else path)
    if isinstance(messages, list) and messages:
        return _first(messages[0], path)
    return path, str(messages)


def filters(args: dict) -> Filters:
    data = _load(FilterSchema(), {key: value for key, value in args.items() if value != ""})
    data.pop("namespace")
    return Filters(**data)


def reply(body: object) -> tuple[str | None, Media | None]:
    data = _load(ReplySchema(), body)
    media = data["media"]
    text = data["text"] if (data["text"] or "").strip() else None
    return text, Media(media["url"], media["filename"], media["filesize"]) if media else None


def force(body: object) -> tuple[str, str | None]:
    data = _load(ForceSchema(), body)
    return data["status"], data["reason"]


def clock(body: object) -> dict:
    return _load(ClockSchema(), body)


def namespace(value: str | None, known: list[str]) -> str:
    """The namespace a request names; browsing never creates one, so unknown names are refused."""
    name = value or "default"
    if len(name) > NAME_LIMIT or not name.isprintable():
        raise InboxError(400, "invalid_namespace", "a namespace name is at most 200 printable characters")
    if name != "default" and name not in known:
        raise InboxError(404, "unknown_namespace", f"no namespace {name!r}", known=known)
    return name
