"""Fault injection: seeded latency and errors per provider and endpoint, one rule list per namespace.

The dice are a separate seeded generator, so switching faults on does not change message ids.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from simulator.core.ids import Ids
from simulator.core.scenarios import ERROR_KINDS

# "internal_error" is the provider's own 500 page; the rest are rendered like scenario errors.
FAULT_ERRORS = ("internal_error", *ERROR_KINDS)


@dataclass(frozen=True)
class Fault:
    provider: str | None = None  # None: every provider
    method: str | None = None  # None: every method
    path: str | None = None  # regular expression searched in the provider-relative path
    probability: float = 1.0
    latency: float = 0.0  # real seconds added before answering
    jitter: float = 0.0  # up to this many more seconds, drawn from the seeded generator
    error: str | None = None  # one of FAULT_ERRORS; None: latency only
    times: int | None = None  # requests it may still hit; None: no limit

    def applies(self, provider: str, method: str, path: str) -> bool:
        return (
            (self.provider is None or self.provider == provider)
            and (self.method is None or self.method.upper() == method.upper())
            and (self.path is None or re.search(self.path, path) is not None)
        )


@dataclass(frozen=True)
class Hit:
    fault: Fault
    delay: float  # latency plus the drawn jitter


class Faults:
    def __init__(self, seed: int | None = None) -> None:
        self._ids = Ids(seed)
        self._lock = threading.Lock()
        self._rules: list[Fault] = []

    def replace(self, rules: list[Fault]) -> None:
        with self._lock:
            self._rules = list(rules)

    def rules(self) -> list[Fault]:
        with self._lock:
            return list(self._rules)

    def reset(self, seed: int | None) -> None:
        self.replace([])
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        self._ids.reseed(seed)

    def pick(self, provider: str, method: str, path: str) -> Hit | None:
        """The first rule that applies and whose dice roll hits; a limited rule counts the hit."""
        with self._lock:
            for index, rule in enumerate(self._rules):
                if rule.times == 0 or not rule.applies(provider, method, path):
                    continue
                if rule.probability < 1.0 and self._ids.uniform() >= rule.probability:
                    continue
                if rule.times is not None:
                    self._rules[index] = Fault(**{**rule.__dict__, "times": rule.times - 1})
                delay = rule.latency + (self._ids.uniform() * rule.jitter if rule.jitter else 0.0)
                return Hit(rule, delay)
        return None
