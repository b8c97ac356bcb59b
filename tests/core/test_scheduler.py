"""The scheduler drains due jobs in batches, on every backend: in order, and going on past a batch that failed."""

from datetime import UTC, datetime

import pytest

from simulator.core.clock import Clock
from simulator.core.store import MemoryStore, Store
from simulator.core.webhooks import CLAIM_BATCH, Scheduler, Ticker

T0 = datetime(2030, 1, 1, tzinfo=UTC)
JOBS = 2 * CLAIM_BATCH + 5  # three batches


@pytest.fixture(params=["memory", "redis"])
def store(request) -> Store:
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_store")


@pytest.fixture
def ticker():
    ticker = Ticker()
    yield ticker
    ticker.stop()


def test_a_drain_runs_every_due_job_in_order_in_batches_even_when_one_fails(store, ticker):
    clock = Clock()
    clock.freeze(T0)
    batches: list[list[int]] = []

    def run(jobs: list[dict], now: float) -> None:
        assert all(job["due"] <= now for job in jobs)
        batches.append([job["n"] for job in jobs])
        if len(batches) == 2:
            raise RuntimeError("the store failed a batch")

    scheduler = Scheduler(clock, store, "ns", run, ticker)
    start = clock.timestamp()
    for n in reversed(range(JOBS)):  # scheduled latest first: the due time orders them
        scheduler.at(start + 1 + n, {"n": n, "due": start + 1 + n})
    clock.advance(JOBS)
    assert [len(batch) for batch in batches] == [CLAIM_BATCH, CLAIM_BATCH, 5]
    assert [n for batch in batches for n in batch] == list(range(JOBS))
    assert scheduler.pending() == 0


def test_a_job_that_schedules_a_job_due_now_gets_it_run_in_the_same_drain(store, ticker):
    clock = Clock()
    clock.freeze(T0)
    ran: list[str] = []
    scheduler: Scheduler

    def run(jobs: list[dict], now: float) -> None:
        for job in jobs:
            ran.append(job["name"])
            if job["name"] == "first":
                scheduler.at(clock.timestamp(), {"name": "follow-up"})

    scheduler = Scheduler(clock, store, "ns", run, ticker)
    scheduler.at(clock.timestamp() + 1, {"name": "first"})
    scheduler.at(clock.timestamp() + 2, {"name": "second"})
    scheduler.at(clock.timestamp() + 10, {"name": "later"})
    clock.advance(5)
    assert ran == ["first", "second", "follow-up"]  # claimed by a later batch of the same drain
    assert scheduler.pending() == 1
