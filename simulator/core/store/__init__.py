"""Storage backends chosen by URL: memory:// (default, embedded) and redis://host:port/db (shared)."""

from __future__ import annotations

from simulator.core.store.base import Retention, Store
from simulator.core.store.memory import MemoryStore

SUPPORTED = "memory://, redis://host:port/db"


def open_store(url: str, retention: Retention | None = None) -> Store:
    if url in ("memory://", "memory", ""):
        return MemoryStore(retention)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from simulator.core.store.redis import RedisStore  # imported on demand: memory:// needs no Redis client

        return RedisStore(url, retention=retention)
    raise ValueError(f"unsupported store URL {url!r} (supported: {SUPPORTED})")


__all__ = ["MemoryStore", "Retention", "Store", "open_store"]
