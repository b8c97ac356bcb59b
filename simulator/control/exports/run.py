"""What an export replays: journal entries (requests, clock moves, operator actions) and how to replay them.

Every writer walks the same `Run.actions()`: the clock moves from one step to the next (an advance, or
a jump when time went backwards), the requests, and the operator actions (forced statuses, injected
replies, reseeds, scenario bindings, faults), in the order the journal recorded them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

REPLAYABLE = ("request", "clock", "control")


@dataclass(frozen=True)
class Action:
    """One thing a replay does: "advance" (`seconds`), "set" (`at`), "request" or "control" (`entry`)."""

    kind: str
    entry: dict | None = None
    seconds: float = 0.0
    at: float = 0.0
    note: str | None = None  # why the clock moves: the recorded POST /_sim/clock, or None for time passing


@dataclass(frozen=True)
class Run:
    """A selection of one namespace's journal, ready to be written in any export format.

    `entries` carry their journal `index`. `exact`: replayed with `seed` from the same start, the
    answers must be the recorded bytes (the whole run, a seed, a frozen clock); otherwise ids and times
    are compared normalised.
    """

    title: str  # what was exported, for people: 'namespace "default"', "message d7:abc", "journal entry 4"
    slug: str  # the same for file and function names
    namespace: str
    entries: tuple[dict, ...]
    seed: int | None
    exact: bool
    accounts: tuple[tuple[str, str, dict[str, str]], ...]  # (provider, account name, credentials)
    base_url: str  # the simulator the recording was served by
    version: str

    @property
    def start(self) -> float:
        """The simulated instant the replay starts at: when the first step began."""
        return moment(self.entries[0]) if self.entries else 0.0

    @property
    def requests(self) -> list[dict]:
        return [entry for entry in self.entries if entry["kind"] == "request"]

    def actions(self) -> list[Action]:
        actions: list[Action] = []
        cursor = self.start

        def move(target: float, note: str | None = None) -> None:
            nonlocal cursor
            seconds = round(target - cursor, 6)
            if seconds > 0:
                actions.append(Action("advance", seconds=seconds, note=note))
            elif seconds < 0:
                actions.append(Action("set", at=target, note=note))
            cursor = target

        for entry in self.entries:
            move(moment(entry))
            if entry["kind"] == "clock":
                move(entry["time"], f"POST /_sim/clock {json.dumps(entry.get('change', {}), ensure_ascii=False)}")
            else:
                actions.append(Action(entry["kind"], entry=entry))
        return actions


def moment(entry: dict) -> float:
    """When a step began on the simulated clock (requests and clock moves record `started`)."""
    started = entry.get("started")
    return started if started is not None else entry["time"]


def iso_micro(timestamp: float) -> str:
    """A UTC instant with microseconds, precise enough to freeze a replay's clock where the recording's was."""
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat().replace("+00:00", "Z")


def seconds_text(seconds: float) -> str:
    """A duration as the control API reads it: "5s", "0.25s"."""
    return f"{seconds:.6f}".rstrip("0").rstrip(".") + "s"
