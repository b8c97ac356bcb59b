"""The compact stored form of a message: equal when read back, shared where messages repeat, and
invisible to the garbage collector once it has looked at it."""

import gc

import pytest

from simulator.core.lifecycle import Media, Reply, Step
from simulator.core.messages import Message


def _message(**changes) -> Message:
    base = Message(
        key="d7:0a1b",
        provider="d7",
        id="0a1b",
        channel="sms",
        account="demo",
        recipient="971500000001",
        sender="SignOTP",
        text="code 1234",
        created_at=1_767_600_000.25,
        steps=(Step(0.0, "pending"), Step(1.0, "sent"), Step(3.0, "delivered")),
        scenario="default",
        matched_by="default",
        cost=0.0123,
        group="req-1",
        attrs={"index": 0, "country": "AE", "parts": 1, "schedule_time": None},
    )
    return base.evolve(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"attrs": {}},
        {"key": "other", "id": "0a1b"},  # a key that is not provider:id
        {"steps": (Step(0, "pending"), Step(2, "failed", "system_failure"))},  # whole-number offsets stay ints
        {"replies": (Reply(9.5, "yes"), Reply(10.0, None, Media("https://x/a.jpg", "a.jpg", 2048)))},
        {"fallback": (Step(3.0, "pending"),), "fallback_channel": "sms", "sender": None, "text": None},
        {"attrs": {"nested": {"list": [1, 2.5, None]}, "flag": True}},
    ],
    ids=["d7-like", "no-attrs", "free-key", "int-offsets", "replies", "fallback", "nested-attrs"],
)
def test_unpack_of_a_packed_message_gives_an_equal_message(changes):
    message = _message(**changes)
    back = Message.unpack(message.key, message.pack())
    assert back == message and back.to_dict() == message.to_dict()
    assert [type(step.after) for step in back.steps] == [type(step.after) for step in message.steps]


def test_packed_messages_share_their_timeline_and_labels():
    first, second = _message().pack(), _message(key="d7:ffff", id="ffff", sender="".join(["Sign", "OTP"])).pack()
    assert first[8] is second[8]  # the timeline
    assert first[5] is second[5]  # the sender, though it arrived as another string
    assert first[16] is second[16]  # the attribute names


def test_a_packed_message_is_untracked_by_the_garbage_collector_after_collections():
    packed = _message(text="".join(["a unique ", "text"])).pack()
    for _ in range(3):  # a pass untracks a tuple once it untracked its items: one pass per level
        gc.collect()
    assert not gc.is_tracked(packed)
