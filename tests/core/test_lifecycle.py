import pytest

from simulator.core import lifecycle
from simulator.core.errors import IllegalTransition
from simulator.core.lifecycle import Reply, Step

TIMELINE = (Step(0, "pending"), Step(1, "sent"), Step(3, "delivered"), Step(30, "read"))


@pytest.mark.parametrize(
    ("elapsed", "status"),
    [
        (-1, None),
        (0, "pending"),
        (0.999, "pending"),
        (1, "sent"),
        (2.9, "sent"),
        (3, "delivered"),
        (29.9, "delivered"),
        (30, "read"),
        (10_000, "read"),
    ],
    ids=lambda value: str(value),
)
def test_state_at_each_instant_is_last_due_step(elapsed, status):
    assert lifecycle.state_at(TIMELINE, elapsed).status == status


def test_state_history_lists_reached_steps_in_order():
    state = lifecycle.state_at(TIMELINE, 5)
    assert [step.status for step in state.history] == ["pending", "sent", "delivered"]
    assert state.since == 3


@pytest.mark.parametrize(
    ("steps", "error"),
    [
        ((Step(0, "pending"), Step(1, "read")), "pending -> read"),
        ((Step(0, "delivered"),), "start -> delivered"),
        ((Step(0, "pending"), Step(2, "sent"), Step(1, "delivered")), "go back in time"),
        ((Step(0, "nope"),), "unknown status"),
        ((Step(0, "pending", "because"),), "unknown reason"),
        ((Step(0, "pending"), Step(1, "expired"), Step(2, "delivered")), "it is final"),
    ],
    ids=["skip-to-read", "start-delivered", "time-back", "unknown-status", "unknown-reason", "after-final"],
)
def test_check_timeline_bad_step_raises_with_index(steps, error):
    with pytest.raises(ValueError, match=error):
        lifecycle.check_timeline(steps)


def test_force_keeps_past_and_drops_future():
    forced = lifecycle.force(TIMELINE, 2, "undelivered", "not_registered")
    assert forced == (Step(0, "pending"), Step(1, "sent"), Step(2, "undelivered", "not_registered"))


def test_force_illegal_transition_lists_allowed_targets():
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.force(TIMELINE, 5, "pending", None)
    assert caught.value.allowed == ["expired", "read", "replied"]


def test_reply_after_delivery_marks_message_replied_from_then_on():
    steps = lifecycle.replied_timeline(TIMELINE, (Reply(10, "ok"),))
    assert lifecycle.state_at(steps, 9.9).status == "delivered"
    assert lifecycle.state_at(steps, 10).status == "replied"


def test_reply_to_a_final_message_does_not_change_status():
    steps = (Step(0, "pending"), Step(1, "undelivered"))
    assert lifecycle.with_reply(steps, 5) == steps


def test_events_are_in_time_order_across_legs():
    events = lifecycle.events(TIMELINE[:2], (Step(1, "pending"),), (Reply(0.5, "hi"),))
    assert [(e.after, e.leg) for e in events] == [(0, "primary"), (0.5, "reply"), (1, "primary"), (1, "fallback")]
