"""The simulator's clock: the only place that reads the wall clock.

A clock runs in real time, with an offset, or frozen; tests advance it. Every change
notifies this process's listeners (the webhook scheduler) so that anything due fires at once.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}

# The simulated clock stays within these instants. Python's dates end with the year 9999, and what a
# message schedules after "now" (lifetimes, retries, replies) must still be a date when the clock gets
# there; events later than LATEST can never happen and are not kept (see engine.py, where a message is created).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(9000, 1, 1, tzinfo=UTC).timestamp()
# No duration can be longer than the clock's whole range: a longer one could never be used.
MAX_DURATION = LATEST - EARLIEST


def parse_duration(value: str | int | float) -> float:
    """Seconds in "90s", "1.5m", "250ms", "2h", "1d" or a bare number of seconds (finite, at most MAX_DURATION)."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"not a duration: {value!r}")
        if value < 0:
            raise ValueError(f"negative duration: {_short(value)}")
        seconds = float(value) if value <= MAX_DURATION else math.inf  # float(10**400) would overflow
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"not a duration: {_short(value)} (use e.g. 90s, 1.5m, 250ms, 2h)")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds > MAX_DURATION:
        raise ValueError(f"duration {_short(value)} is longer than the simulated clock's range (1970 to 9000)")
    return seconds


def _short(value: object) -> str:
    """A value for an error message, cut short (a 10**30 or a 5000-digit string is not worth echoing)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_instant(value: str) -> datetime:
    """An ISO-8601 instant; naive values are taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not an ISO-8601 instant: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class State(Protocol):
    """Where a clock keeps its state: {"offset": seconds, "frozen_at": epoch seconds or None}."""

    def get(self) -> dict: ...

    def update(self, change: Callable[[dict], dict]) -> dict: ...


RUNNING = {"offset": 0.0, "frozen_at": None}


class LocalState:
    """A clock's state in this process's memory (the default; a shared store supplies its own)."""

    def __init__(self, value: dict | None = None) -> None:
        self._lock = threading.Lock()
        self._value = dict(value or RUNNING)

    def get(self) -> dict:
        with self._lock:
            return self._value

    def update(self, change: Callable[[dict], dict]) -> dict:
        with self._lock:
            self._value = change(self._value)
            return self._value


class _Snapshot:
    """The state of a pinned clock: read many times, never changed (a copy needs no lock of its own)."""

    __slots__ = ("_value",)

    def __init__(self, value: dict) -> None:
        self._value = value

    def get(self) -> dict:
        return self._value

    def update(self, change: Callable[[dict], dict]) -> dict:
        raise TypeError("a pinned clock keeps the state it was pinned with")


class Clock:
    """Simulated time: wall time plus an offset, or a frozen instant.

    The state lives in a pluggable `State`, so workers sharing a store share one clock: every read
    asks the state, every change is one atomic update of it.
    """

    def __init__(self, wall: Callable[[], float] = time.time, state: State | None = None) -> None:
        self._wall = wall
        self._state = state or LocalState()
        self._listeners: list[Callable[[], None]] = []
        self.changes = 0  # how many times this process moved the clock: a pinned copy older than that is stale

    def _at(self, state: dict) -> float:
        frozen_at = state["frozen_at"]
        return frozen_at if frozen_at is not None else self._wall() + state["offset"]

    def timestamp(self) -> float:
        """Seconds since the epoch on the simulated clock."""
        return self._at(self._state.get())

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=UTC)

    @property
    def frozen(self) -> bool:
        return self._state.get()["frozen_at"] is not None

    def state(self) -> dict:
        """The clock's state: {"offset": seconds, "frozen_at": epoch seconds or None}."""
        return dict(self._state.get())

    def pinned(self, state: dict | None = None) -> Clock:
        """A copy that keeps this clock's state as it is now (still running if it runs): one read of
        a shared state for a request that asks the time several times. Its `changes` are this clock's
        at the time of the copy. `state`: the state as the caller just read it from the store."""
        copy = Clock(self._wall, _Snapshot(state if state is not None else self.state()))
        copy.changes = self.changes
        return copy

    def freeze(self, at: datetime | None = None) -> None:
        """Stop time at `at` (default: the current simulated instant)."""
        self._change(lambda s: {**s, "frozen_at": at.timestamp() if at is not None else self._at(s)})

    def unfreeze(self) -> None:
        """Let time run again from the frozen instant."""

        def change(s: dict) -> dict:
            return s if s["frozen_at"] is None else {"offset": s["frozen_at"] - self._wall(), "frozen_at": None}

        self._change(change)

    def set(self, at: datetime) -> None:
        """Jump to `at` and keep running (or stay frozen there)."""

        def change(s: dict) -> dict:
            if s["frozen_at"] is not None:
                return {**s, "frozen_at": at.timestamp()}
            return {**s, "offset": at.timestamp() - self._wall()}

        self._change(change)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")

        def change(s: dict) -> dict:
            if s["frozen_at"] is not None:
                return {**s, "frozen_at": s["frozen_at"] + seconds}
            return {**s, "offset": s["offset"] + seconds}

        self._change(change)

    def reset(self) -> None:
        self._change(lambda s: dict(RUNNING))

    def wall_seconds_until(self, timestamp: float) -> float | None:
        """Real seconds until the simulated clock reaches `timestamp`; None when frozen."""
        state = self._state.get()
        if state["frozen_at"] is not None:
            return None
        return max(0.0, timestamp - self._at(state))

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _change(self, change: Callable[[dict], dict]) -> None:
        """Apply `change` atomically; refused (ValueError, nothing changed) when it leaves the clock's range."""

        def checked(state: dict) -> dict:
            new = change(state)
            at = self._at(new)
            if not EARLIEST <= at <= LATEST:
                raise ValueError(
                    f"the simulated clock stays between 1970-01-01 and 9000-01-01 (later events must still be dates"
                    f" before the year 9999); {_instant_text(at)} is outside"
                )
            return new

        self._state.update(checked)
        self.changes += 1
        for listener in list(self._listeners):
            listener()

    def describe(self) -> dict:
        state = self._state.get()
        timestamp = self._at(state)
        return {
            "now": iso(datetime.fromtimestamp(timestamp, tz=UTC)),
            "frozen": state["frozen_at"] is not None,
            "timestamp": timestamp,
        }


def _instant_text(timestamp: float) -> str:
    try:
        return iso(datetime.fromtimestamp(timestamp, tz=UTC))
    except (ValueError, OverflowError, OSError):
        return f"{timestamp:.6g} seconds after 1970-01-01"


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with milliseconds and Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def configure(clock: Clock, mode: str) -> None:
    """Apply a --clock setting: "real", "frozen" or "frozen:<ISO instant>"."""
    if mode == "real":
        clock.reset()
        return
    if mode == "frozen":
        clock.freeze()
        return
    if mode.startswith("frozen:"):
        clock.freeze(parse_instant(mode.removeprefix("frozen:")))
        return
    raise ValueError(f"unknown clock mode {mode!r} (use real, frozen or frozen:<ISO instant>)")
