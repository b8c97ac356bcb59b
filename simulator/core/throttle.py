"""Sliding-window rate limits keyed by provider and credential, counted in the store."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.errors import Throttled
from simulator.core.store.base import Store


@dataclass(frozen=True)
class Limit:
    requests: int
    window: float = 1.0  # seconds


class Throttle:
    def __init__(self, store: Store, enabled: bool = True) -> None:
        self._store = store
        self.enabled = enabled

    def check(self, namespace: str, key: str, limit: Limit, now: float) -> float:
        """Count one request; raise Throttled past the limit. Returns seconds until the window frees up."""
        if not self.enabled:
            return 0.0
        allowed, reset = self._store.hit_window(namespace, key, now, limit.window, limit.requests)
        if not allowed:
            raise Throttled(limit.requests, limit.window, reset)
        return reset
