from datetime import UTC, datetime

import pytest

from simulator.core.clock import Clock, configure, iso, parse_duration, parse_instant


class FakeWall:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90.0), ("1.5m", 90.0), ("250ms", 0.25), ("2h", 7200.0), ("1d", 86400.0), (5, 5.0), ("7", 7.0)],
    ids=["seconds", "minutes", "millis", "hours", "days", "int", "bare"],
)
def test_parse_duration_valid_text_gives_seconds(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "abc", "-1s", "1y", True, -3], ids=["empty", "word", "neg", "unit", "bool", "negint"]
)
def test_parse_duration_invalid_text_raises(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_real_clock_follows_wall_with_offset():
    wall = FakeWall(1000.0)
    clock = Clock(wall)
    assert clock.timestamp() == 1000.0
    clock.advance(30)
    wall.now = 1010.0
    assert clock.timestamp() == 1040.0


def test_frozen_clock_stands_still_until_advanced():
    wall = FakeWall(1000.0)
    clock = Clock(wall)
    clock.freeze(parse_instant("2026-01-01T10:00:00+02:00"))
    wall.now = 5000.0
    assert clock.now() == datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    clock.advance(90)
    assert iso(clock.now()) == "2026-01-01T08:01:30.000Z"


def test_unfreeze_resumes_from_frozen_instant():
    wall = FakeWall(1000.0)
    clock = Clock(wall)
    clock.freeze()
    clock.advance(10)
    clock.unfreeze()
    wall.now = 1002.0
    assert clock.timestamp() == 1012.0


def test_advance_backwards_is_refused():
    with pytest.raises(ValueError):
        Clock().advance(-1)


def test_clock_change_notifies_listeners():
    clock = Clock(FakeWall(0.0))
    seen = []
    clock.subscribe(lambda: seen.append(clock.timestamp()))
    clock.freeze()
    clock.advance(5)
    clock.set(parse_instant("1970-01-01T00:01:00Z"))
    assert seen == [0.0, 5.0, 60.0]


@pytest.mark.parametrize(
    ("mode", "frozen", "timestamp"),
    [("real", False, 100.0), ("frozen", True, 100.0), ("frozen:1970-01-01T00:00:10Z", True, 10.0)],
    ids=["real", "frozen-now", "frozen-at"],
)
def test_configure_mode_sets_clock(mode, frozen, timestamp):
    clock = Clock(FakeWall(100.0))
    configure(clock, mode)
    assert (clock.frozen, clock.timestamp()) == (frozen, timestamp)


def test_configure_unknown_mode_raises():
    with pytest.raises(ValueError, match="unknown clock mode"):
        configure(Clock(), "sometimes")


def test_wall_seconds_until_is_none_when_frozen():
    clock = Clock(FakeWall(100.0))
    assert clock.wall_seconds_until(105.0) == 5.0
    clock.freeze()
    assert clock.wall_seconds_until(105.0) is None


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 10**30, 10**400, "99999999999d", "9" * 400],
    ids=["nan", "infinity", "ten-to-the-30", "too-big-for-a-float", "eleven-digit-days", "400-digits"],
)
def test_parse_duration_unusable_value_raises(value):
    with pytest.raises(ValueError):
        parse_duration(value)


@pytest.mark.parametrize(
    "move",
    [
        lambda clock: clock.set(parse_instant("9999-12-31T00:00:00Z")),
        lambda clock: clock.freeze(parse_instant("1969-12-31T23:59:59Z")),
        lambda clock: clock.advance(8000 * 365 * 86400),
    ],
    ids=["set-year-9999", "freeze-before-1970", "advance-8000-years"],
)
def test_clock_move_outside_its_range_raises_and_leaves_it_unchanged(move):
    clock = Clock(FakeWall(1000.0))
    clock.freeze(parse_instant("8999-12-31T00:00:00Z"))
    before = clock.state()
    with pytest.raises(ValueError, match="between 1970-01-01 and 9000-01-01"):
        move(clock)
    assert clock.state() == before
