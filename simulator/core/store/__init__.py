"""Storage backends chosen by URL: memory:// (default) and, later, sqlite:/// and redis://."""

from __future__ import annotations

from simulator.core.store.base import Store
from simulator.core.store.memory import MemoryStore


def open_store(url: str) -> Store:
    if url in ("memory://", "memory", ""):
        return MemoryStore()
    raise ValueError(f"unsupported store URL {url!r} (supported: memory://)")


__all__ = ["MemoryStore", "Store", "open_store"]
