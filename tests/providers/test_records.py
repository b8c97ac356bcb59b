"""A provider's typed per-message record, kept in Message.attrs as a dict."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.messages import Message
from simulator.providers.records import MessageFields


@dataclass(frozen=True)
class _Fields(MessageFields):
    hook: str | None = None
    parts: int = 1


def _message(attrs: dict) -> Message:
    return Message("p:1", "p", "1", "sms", "demo", "380", None, None, 0.0, (), "default", "default", attrs=attrs)


def test_to_dict_then_from_dict_gives_the_same_record():
    record = _Fields(hook="http://127.0.0.1/hook", parts=3)
    assert record.to_dict() == {"hook": "http://127.0.0.1/hook", "parts": 3}
    assert _Fields.from_dict(record.to_dict()) == record


def test_of_message_without_attrs_gives_defaults():
    assert _Fields.of(_message({})) == _Fields()


def test_of_message_with_unknown_keys_ignores_them():
    assert _Fields.of(_message({"parts": 2, "other": "x"})) == _Fields(parts=2)
