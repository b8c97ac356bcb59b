"""A provider's typed per-message record: what it keeps on a message beyond core's fields.

Core stores `Message.attrs` as a plain dict (it goes to the store, the control API and the inbox);
a provider subclasses `MessageFields` as a frozen dataclass and reads and writes attrs only through it.
"""

from __future__ import annotations

import functools
from dataclasses import fields
from typing import Self

from simulator.core.messages import Message


class MessageFields:
    """Mixin for a frozen dataclass kept in `Message.attrs` as `to_dict()`."""

    def to_dict(self) -> dict:
        # shallow (dataclasses.asdict copies deeply, and costs a send more than storing the message)
        return {name: getattr(self, name) for name in _field_names(type(self))}

    @classmethod
    def from_dict(cls, data: dict) -> Self:
        known = _field_names(cls)
        return cls(**{key: value for key, value in data.items() if key in known})

    @classmethod
    def of(cls, message: Message) -> Self:
        return cls.from_dict(message.attrs)


@functools.cache
def _field_names(cls: type) -> dict[str, None]:
    """A record class's field names in declaration order (a dict: ordered, and quick to test membership)."""
    return dict.fromkeys(field.name for field in fields(cls))
