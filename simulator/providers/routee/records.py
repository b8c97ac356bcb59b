"""What Routee keeps about each message, typed: the record stored in `Message.attrs`.

A record is flat (no nested dicts), so `to_dict()` is its fields and `from_dict()` their reverse; the
store keeps the dict, the code reads the record. Which record a message carries follows its channel.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from simulator.core.messages import Message

ON_CHANGE, ON_COMPLETION = "OnChange", "OnCompletion"  # doc: reference/send-single-sms callback.strategy


@dataclass(frozen=True)
class Viber:
    """A Viber message (doc: reference/send-a-viber-single-message request fields)."""

    country: str | None
    ttl: int  # seconds
    application: str
    callback_url: str | None = None
    strategy: str = ON_CHANGE
    inbound_url: str | None = None
    label: str | None = None
    session_message: bool = False
    expire_on_delivery: bool = False
    image_url: str | None = None
    action_caption: str | None = None  # caption and target come together (schemas.py)
    action_target: str | None = None
    file_name: str | None = None  # name, type and URL come together
    file_type: str | None = None
    file_url: str | None = None
    video_url: str | None = None  # URL, thumbnail, size and duration come together
    video_thumbnail: str | None = None
    video_size: int | float | None = None  # as the client wrote it (1 or 1.0)
    video_duration: int | float | None = None
    campaign_name: str | None = None
    index: int = 0  # place in its campaign's `to`

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Viber:
        return cls(**data)


def viber(message: Message) -> Viber:
    return Viber.from_dict(message.attrs)
