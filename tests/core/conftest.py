"""Fixtures of the store contract suites: every backend, the embedded one and a real Redis."""

from __future__ import annotations

import pytest

from simulator.core.store import MemoryStore, Retention, Store
from simulator.core.store.redis import RedisStore


@pytest.fixture(params=["memory", "redis"])
def make_store(request):
    """Build a store of the parametrised backend, optionally with a retention policy."""

    def make(retention: Retention | None = None) -> Store:
        if request.param == "memory":
            return MemoryStore(retention)
        store = RedisStore(request.getfixturevalue("redis_url"), retention=retention)
        store.reset()
        request.addfinalizer(store.reset)
        return store

    return make


@pytest.fixture
def store(make_store) -> Store:
    return make_store()
