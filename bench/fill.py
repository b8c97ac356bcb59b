"""Fill a store with many messages quickly: straight into the store, not over HTTP.

The messages are what a D7 SMS send stores (one request id each, D7's attributes, fresh strings
as parsing a request makes), on the default timeline and old enough to be delivered, so lookups at
scale measure what a load test of a notification pipeline leaves behind.
"""

from __future__ import annotations

import random
import uuid

from simulator.core.lifecycle import Step
from simulator.core.messages import Message
from simulator.core.store.base import Store

PROVIDER = "d7"
ACCOUNT = "demo"
TIMELINE = (Step(0.0, "pending"), Step(1.0, "sent"), Step(3.0, "delivered"))
TEXT = "Your code is {code:04d}. It expires in 10 minutes."
SPACING = 0.001  # seconds between two filled messages' creation


def request_id(number: int) -> str:
    return str(uuid.UUID(int=random.Random(number).getrandbits(128), version=4))


def message_id(number: int) -> str:
    return str(uuid.UUID(int=random.Random(-number - 1).getrandbits(128), version=1))


def filled(number: int, created_at: float) -> Message:
    """The `number`th filled message (the same one for the same number, whatever the run)."""
    return Message(
        key=f"{PROVIDER}:{message_id(number)}",
        provider=PROVIDER,
        id=message_id(number),
        channel="sms",
        account=ACCOUNT,
        recipient=f"97152{number % 10_000_000:07d}",  # no magic-number scenario matches these
        sender="".join(("Sign", "OTP")),
        text=TEXT.format(code=number % 10_000),
        created_at=created_at,
        steps=TIMELINE,
        scenario="".join(("def", "ault")),
        matched_by="default",
        cost=0.0,
        group=request_id(number),
        attrs={
            "index": 0,
            "country": "AE",
            "parts": 1,
            "schedule_time": None,
            "tag": None,
            "callback_url": None,
            "callback_format": "form",
        },
    )


def fill(store: Store, namespace: str, start: int, count: int, now: float) -> None:
    """Add messages number `start` to `start + count - 1`, each created in the past so that every
    transition has happened by `now`, and index their status at `now` as fired transitions do."""
    end = start + count
    record = getattr(store, "record_status", None)  # stores before the status index have none
    for number in range(start, end):
        message = filled(number, now - 10.0 - (end - number) * SPACING)
        store.add_message(namespace, message)
        if record is not None:
            record(namespace, message.key, now)
