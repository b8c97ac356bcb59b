"""Webhooks: a due-time scheduler and a non-blocking sender with retries.

The scheduler keeps one heap of jobs per clock. A single thread waits for the next job on the
real clock; advancing the clock runs everything that became due at once, in order, in the caller's
thread. Sending happens on a small thread pool, so a slow or dead receiver never holds up an API
response or the scheduler.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from simulator.core.clock import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    url: str
    body: bytes
    headers: dict = field(default_factory=dict)
    method: str = "POST"


@dataclass(frozen=True)
class RetryPolicy:
    """Delays (seconds on the simulated clock) before each retry; no delays means one attempt."""

    backoff: tuple[float, ...] = ()
    timeout: float = 10.0

    def accepts(self, status: int) -> bool:
        return 200 <= status < 300


class Scheduler:
    """Runs callables when the simulated clock reaches their due time."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._lock = threading.Condition()
        self._running_due = threading.RLock()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="sim-scheduler", daemon=True)
        self._thread.start()
        clock.subscribe(self.run_due)

    def at(self, due: float, job: Callable[[], None]) -> None:
        with self._lock:
            heapq.heappush(self._heap, (due, next(self._order), job))
            self._lock.notify()
        if due <= self._clock.timestamp():
            self.run_due()

    def pending(self) -> int:
        with self._lock:
            return len(self._heap)

    def clear(self) -> None:
        with self._lock:
            self._heap.clear()

    def run_due(self) -> None:
        """Run every job due by now, oldest first; safe to call from any thread."""
        with self._running_due:
            while True:
                with self._lock:
                    if not self._heap or self._heap[0][0] > self._clock.timestamp():
                        self._lock.notify()
                        return
                    _, _, job = heapq.heappop(self._heap)
                job()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify()

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._stopped:
                    return
                wait = self._clock.wall_seconds_until(self._heap[0][0]) if self._heap else None
                if wait is None or wait > 0:
                    self._lock.wait(timeout=wait)
                    continue
            self.run_due()


@dataclass
class Attempt:
    url: str
    body: str
    headers: dict
    attempt: int
    status: int | None
    error: str | None
    latency_ms: float
    at: float


class Sender:
    """Posts deliveries on a thread pool and retries on the scheduler's clock.

    Deliveries that share a lane (one message) go out one after another, in order, so a receiver
    sees `sent` before `delivered`; different lanes go out in parallel, so a receiver that hangs
    holds up only its own lane.
    """

    def __init__(self, workers: int = 8, post: Callable[..., requests.Response] | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sim-webhook")
        self._session = requests.Session()
        self._post = post or self._session.request
        self._lanes: dict[str, deque[Callable[[], None]]] = {}
        self._idle = threading.Condition()
        self._in_flight = 0

    def send(
        self,
        delivery: Delivery,
        policy: RetryPolicy,
        scheduler: Scheduler,
        clock: Clock,
        record: Callable[[Attempt], None],
        lane: str,
        attempt: int = 1,
    ) -> None:
        def job() -> None:
            self._attempt(delivery, policy, scheduler, clock, record, lane, attempt)

        with self._idle:
            self._in_flight += 1
            queue = self._lanes.get(lane)
            if queue is not None:
                queue.append(job)
                return
            self._lanes[lane] = deque()
        self._pool.submit(self._run, lane, job)

    def _run(self, lane: str, job: Callable[[], None] | None) -> None:
        while job is not None:
            try:
                job()
            except Exception:  # a broken delivery must not stall its lane
                log.exception("webhook delivery failed")
            with self._idle:
                self._in_flight -= 1
                queue = self._lanes[lane]
                job = queue.popleft() if queue else None
                if job is None:
                    del self._lanes[lane]
                    self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery has been attempted (retries not yet due excepted)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)

    def _attempt(self, delivery, policy, scheduler, clock, record, lane, attempt) -> None:
        started = time.perf_counter()
        status, error = None, None
        try:
            response = self._post(
                delivery.method, delivery.url, data=delivery.body, headers=delivery.headers, timeout=policy.timeout
            )
            status = response.status_code
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        ok = status is not None and policy.accepts(status)
        if not ok and attempt <= len(policy.backoff):
            due = clock.timestamp() + policy.backoff[attempt - 1]
            scheduler.at(due, lambda: self.send(delivery, policy, scheduler, clock, record, lane, attempt + 1))
        record(
            Attempt(
                url=delivery.url,
                body=delivery.body.decode("utf-8", "replace"),
                headers=dict(delivery.headers),
                attempt=attempt,
                status=status,
                error=error,
                latency_ms=latency_ms,
                at=clock.timestamp(),
            )
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
