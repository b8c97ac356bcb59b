"""Which messages a query means: shared by GET /_sim/messages, /messages/latest and /wait."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, ValidationError, fields
from marshmallow import validate as v

from simulator.core import statuses
from simulator.core.clock import parse_instant
from simulator.core.doors import MessageQuery
from simulator.core.messages import MessageView


class _Instant(fields.Field):
    """An ISO-8601 instant or epoch seconds, loaded as epoch seconds."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
        try:
            return parse_instant(str(value)).timestamp()
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class FilterSchema(Schema):
    provider = fields.String()
    channel = fields.String()
    account = fields.String()
    to = fields.String()  # the recipient, compared as digits
    recipient = fields.String()  # the same, under its long name
    status = fields.String(validate=v.OneOf(statuses.ALL))
    contains = fields.String()  # a substring of the text
    since = _Instant()  # created at or after


@dataclass(frozen=True)
class MessageFilter:
    provider: str | None = None
    channel: str | None = None
    account: str | None = None
    recipient: str | None = None
    status: str | None = None
    contains: str | None = None
    since: float | None = None

    @classmethod
    def from_query(cls, data: dict) -> MessageFilter:
        recipient = data.pop("to", None) or data.pop("recipient", None)
        data.pop("recipient", None)
        return cls(recipient=recipient, **data)

    def query(self, **changes) -> MessageQuery:
        """The store's query for these filters (status: the status now)."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return MessageQuery(**{**fields, **changes})

    def reached(self, view: MessageView) -> bool:
        """The status test for waiting: the message is, or has been, in `status` (on either leg)."""
        if self.status is None:
            return True
        history = (*view.state.history, *view.fallback_state.history)
        return any(step.status == self.status for step in history)
