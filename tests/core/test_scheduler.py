"""The scheduler drains due jobs in batches, on every backend: in order, and never losing one it claimed."""

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


def test_a_drain_runs_every_due_job_in_order_across_batches_despite_failing_jobs(store, ticker):
    clock = Clock()
    clock.freeze(T0)
    ran: list[int] = []

    def run(job: dict, now: float) -> None:
        ran.append(job["n"])
        if job["n"] % 10 == 3:
            raise RuntimeError("a broken job")

    scheduler = Scheduler(clock, store, "ns", run, ticker)
    start = clock.timestamp()
    for n in reversed(range(JOBS)):  # scheduled latest first: the due time orders them
        scheduler.at(start + 1 + n, {"n": n})
    clock.advance(JOBS)
    assert ran == list(range(JOBS))
    assert scheduler.pending() == 0


def test_a_job_that_schedules_a_job_due_now_gets_it_run_in_the_same_drain(store, ticker):
    clock = Clock()
    clock.freeze(T0)
    ran: list[str] = []
    scheduler: Scheduler

    def run(job: dict, now: float) -> None:
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
