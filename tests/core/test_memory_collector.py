"""What sends leave in the memory store stays out of the garbage collector's sight: under load it otherwise walks
it every few seconds, in full, and each pause lands in a send's latency."""

from __future__ import annotations

import gc

from simulator.core.store import MemoryStore
from tests.core.test_store_index import T0, message

SENDS = 300


def _send(store: MemoryStore, number: int) -> None:
    """What a send hands the store: its message, the jobs of its later events, its journal entries."""
    key = f"p:{number}"
    jobs = [
        (T0 + after, {"kind": "event", "message": key, "event": {"after": after, "leg": "primary", "status": status}})
        for after, status in ((1.0, "sent"), (3.0, "delivered"))
    ]
    entries = [
        {"kind": "message", "time": T0, "message": key, "scenario": "default", "matched_by": "default"},
        {"kind": "transition", "time": T0, "message": key, "leg": "primary", "status": "pending", "reason": None},
    ]
    store.submit("ns", [message(str(number), recipient=f"3809900{number:05d}")], jobs, entries, (10_000, 3600.0), T0)


def test_what_sends_leave_is_not_tracked_by_the_collector():
    store = MemoryStore()
    for number in range(SENDS):
        _send(store, number)
    gc.collect()  # a plain tuple is tracked until the collector first finds nothing tracked in it, then never
    space = store._spaces["ns"]
    kept = [*space.messages.values(), *space.due, *space.journal, *space.journal_marks]
    assert len(kept) == SENDS * 7  # a message, two jobs, two journal entries and their marks
    # Asked object by object: gc.get_objects() would hand out tuples other threads are still building.
    assert [item for item in kept if gc.is_tracked(item)] == []
    assert store.pending_jobs("ns") == 2 * SENDS and len(store.journal("ns")) == 2 * SENDS


def test_jobs_come_back_as_they_were_scheduled():
    store = MemoryStore()
    delivery = {"url": "http://h/x", "headers": [["a", "b"]]}
    job = {"kind": "webhook", "message": "p:1", "attempt": 2, "delivery": delivery}
    store.schedule("ns", T0 + 1, job)
    store.schedule("ns", T0 + 1, {"kind": "event", "message": None, "flag": True, "ratio": 0.1})
    assert store.claim_due("ns", T0 + 1, 10) == [job, {"kind": "event", "message": None, "flag": True, "ratio": 0.1}]
