"""What a test exported with `GET /_sim/export?format=pytest` runs: the recorded steps, replayed and checked."""

from __future__ import annotations

import requests

from simulator.core.replay import Replayer
from simulator.testing.client import SimClock, SimulatorClient


class Replay:
    """Replays one recorded run in the test's namespace: seeded, on a frozen clock, answer by answer."""

    def __init__(self, simulator: SimulatorClient, clock: SimClock, seed: int | None, start: str, exact: bool) -> None:
        self._simulator = simulator
        self._clock = clock
        accounts = [
            (provider, account["name"], account["credentials"])
            for provider, items in simulator.accounts().items()
            for account in items
        ]
        self._replayer = Replayer(accounts, exact)
        namespace = f"/_ns/{simulator.namespace}" if simulator.namespace else ""
        self._root = simulator.url + namespace
        simulator.seed(seed)
        clock.freeze(start)

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: str,
        status: int,
        response: str,
        query: str = "",
    ) -> None:
        """Send a recorded request; its answer must be the recorded status and bytes."""
        sent = self._replayer.prepare(method, path, query, headers, body)
        url = self._root + sent.path + (f"?{sent.query}" if sent.query else "")
        answer = requests.request(
            sent.method, url, headers=sent.headers, data=sent.body.encode("utf-8"), timeout=30, allow_redirects=False
        )
        problem = self._replayer.check(status, response, answer.status_code, answer.content)
        assert problem is None, f"{method} {path}: {problem}"

    # Clock moves
    def advance(self, seconds: float) -> None:
        self._clock.advance(seconds)

    def set(self, at: str) -> None:
        self._clock.set(at)

    # Operator actions, as the control API took them
    def force(self, message: str, status: str, reason: str | None = None) -> None:
        self._simulator.force(self._replayer.carry(message), status, reason)

    def reply(self, message: str, text: str | None = None, media: dict | None = None) -> None:
        self._simulator.reply(self._replayer.carry(message), text, media)

    def seed(self, seed: int | None, previous: int | None = None) -> None:
        self._simulator.seed(seed)

    def bind_scenario(self, bindings: dict[str, str | None]) -> None:
        for account, scenario in bindings.items():
            self._simulator.bind_scenario(account, scenario)

    def faults(self, faults: list[dict]) -> None:
        self._simulator.set_faults(faults)
