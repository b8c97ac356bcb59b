import pytest

from simulator.core.errors import Throttled
from simulator.core.store import MemoryStore
from simulator.core.throttle import Limit, Throttle


def test_tenth_request_in_a_second_is_throttled_and_next_second_passes():
    throttle = Throttle(MemoryStore())
    limit = Limit(9, 1.0)
    for index in range(9):
        throttle.check("ns", "smsclub:t", limit, 100.0 + index * 0.1)
    with pytest.raises(Throttled) as caught:
        throttle.check("ns", "smsclub:t", limit, 100.95)
    assert caught.value.retry_after == pytest.approx(0.05)
    throttle.check("ns", "smsclub:t", limit, 101.0)


def test_limits_are_per_key_and_per_namespace():
    throttle = Throttle(MemoryStore())
    limit = Limit(1, 1.0)
    throttle.check("ns", "a", limit, 0.0)
    throttle.check("ns", "b", limit, 0.0)
    throttle.check("other", "a", limit, 0.0)
    with pytest.raises(Throttled):
        throttle.check("ns", "a", limit, 0.5)


def test_disabled_throttle_never_refuses():
    throttle = Throttle(MemoryStore(), enabled=False)
    for _ in range(100):
        throttle.check("ns", "a", Limit(1, 1.0), 0.0)
