"""Inbox fixtures: messages accepted through a provider's door (no browser here: the JSON tests need none)."""

from __future__ import annotations

from simulator.core.doors import Draft
from simulator.core.engine import Engine
from simulator.core.messages import Message
from tests.conftest import demo_door


def send(
    engine: Engine,
    message_id: str = "m-1",
    recipient: str = "380501234567",
    text: str | None = "Your code is 4711",
    namespace: str = "default",
    provider: str = "d7",
    channel: str = "viber",
    **extra,
) -> Message:
    """One message accepted as a provider would accept it (the demo account of `provider`)."""
    draft = Draft(message_id, channel, recipient, text=text, **extra)
    return demo_door(engine, provider, namespace).submit([draft])[0]
