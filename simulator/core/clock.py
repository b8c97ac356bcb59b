"""The simulator's clock: the only place that reads the wall clock.

A clock runs in real time, with an offset, or frozen; tests advance it. Every change
notifies listeners (the webhook scheduler) so that anything due fires at once.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(value: str | int | float) -> float:
    """Seconds in "90s", "1.5m", "250ms", "2h", "1d" or a bare number of seconds."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"negative duration: {value!r}")
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 1.5m, 250ms, 2h)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def parse_instant(value: str) -> datetime:
    """An ISO-8601 instant; naive values are taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not an ISO-8601 instant: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Clock:
    """Simulated time: wall time plus an offset, or a frozen instant."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at: float | None = None
        self._listeners: list[Callable[[], None]] = []

    def timestamp(self) -> float:
        """Seconds since the epoch on the simulated clock."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return self._wall() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=UTC)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: datetime | None = None) -> None:
        """Stop time at `at` (default: the current simulated instant)."""
        with self._lock:
            current = self._frozen_at if self._frozen_at is not None else self._wall() + self._offset
            self._frozen_at = at.timestamp() if at is not None else current
        self._notify()

    def unfreeze(self) -> None:
        """Let time run again from the frozen instant."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._wall()
                self._frozen_at = None
        self._notify()

    def set(self, at: datetime) -> None:
        """Jump to `at` and keep running (or stay frozen there)."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = at.timestamp()
            else:
                self._offset = at.timestamp() - self._wall()
        self._notify()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        self._notify()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
        self._notify()

    def wall_seconds_until(self, timestamp: float) -> float | None:
        """Real seconds until the simulated clock reaches `timestamp`; None when frozen."""
        if self.frozen:
            return None
        return max(0.0, timestamp - self.timestamp())

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def describe(self) -> dict:
        return {"now": iso(self.now()), "frozen": self.frozen, "timestamp": self.timestamp()}


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with milliseconds and Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def at_offset(origin: datetime, seconds: float) -> datetime:
    return origin + timedelta(seconds=seconds)


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
