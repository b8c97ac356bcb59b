"""Webhooks: a due-time scheduler and a non-blocking sender with retries.

The scheduler keeps its jobs in the store, as small JSON-like descriptors in a due-set per
namespace, so that with a shared store every job runs exactly once, in whichever worker finds it
due first. Advancing the clock runs everything that became due at once, in order, in the caller's
thread; a thread runs jobs that fall due on a running clock. Sending happens on a small thread
pool, so a slow or dead receiver never holds up an API response or the scheduler.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import requests

from simulator.core.clock import Clock
from simulator.core.store.base import Store

log = logging.getLogger(__name__)

# How long a worker waits for another one to finish running a namespace's due jobs.
DRAIN_WAIT = 10.0
# How long the scheduler thread waits before trying a store that failed again.
STORE_RETRY = 1.0
# How long the scheduler thread waits when another scheduler on the same store holds the lock.
BUSY_RETRY = 0.05
# Due jobs claimed per call to the store: one round trip and one clock read for many jobs, yet a batch
# short enough that a job scheduled due now meanwhile waits little for the next one.
CLAIM_BATCH = 64


@dataclass(frozen=True)
class Delivery:
    url: str
    body: bytes
    headers: dict = field(default_factory=dict)
    method: str = "POST"

    def to_dict(self) -> dict:
        body = base64.b64encode(self.body).decode("ascii")
        return {"url": self.url, "body": body, "headers": dict(self.headers), "method": self.method}

    @classmethod
    def from_dict(cls, data: dict) -> Delivery:
        return cls(data["url"], base64.b64decode(data["body"]), dict(data["headers"]), data["method"])


@dataclass(frozen=True)
class RetryPolicy:
    """Delays (seconds on the simulated clock) before each retry; no delays means one attempt."""

    backoff: tuple[float, ...] = ()
    timeout: float = 10.0

    def accepts(self, status: int) -> bool:
        return 200 <= status < 300

    def to_dict(self) -> dict:
        return {"backoff": list(self.backoff), "timeout": self.timeout}

    @classmethod
    def from_dict(cls, data: dict) -> RetryPolicy:
        return cls(tuple(data["backoff"]), data["timeout"])


class Ticker:
    """The one thread that runs due jobs on a running clock, for every namespace of an engine.

    Namespaces cost no thread of their own: the ticker sleeps until the soonest job of any of them
    may be due (or `poll` seconds with a shared store, where other workers add jobs and move clocks
    without telling this one), runs what is due, and looks again.
    """

    def __init__(self, poll: float | None = None) -> None:
        self.poll = poll
        self._schedulers: dict[str, Scheduler] = {}
        self._wake = threading.Condition()
        self._dirty = False  # something changed since the waits were computed: compute them again
        self._wake_at = 0.0  # when the thread means to look again (time.monotonic()); 0 while it looks
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="sim-scheduler", daemon=True)
        self._thread.start()

    def add(self, scheduler: Scheduler) -> None:
        # No nudge: a new namespace has nothing due, and a look at every namespace per new one would make a
        # flood of names quadratic. Its first job nudges (Scheduler.at / added); a shared store is polled.
        with self._wake:
            self._schedulers[scheduler.namespace] = scheduler

    def remove(self, namespace: str) -> None:
        with self._wake:
            self._schedulers.pop(namespace, None)

    def nudge(self) -> None:
        with self._wake:
            self._dirty = True
            self._wake.notify()

    def nudge_before(self, moment: float) -> None:
        """Look again if the thread means to sleep past `moment` (time.monotonic()): a job stored
        straight into the due-set may fall due sooner than anything it knew of."""
        with self._wake:
            if moment < self._wake_at:
                self._dirty = True
                self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _loop(self) -> None:
        while True:
            with self._wake:
                if self._stopped:
                    return
                self._dirty = False
                schedulers = list(self._schedulers.values())
            wait = self._run_due(schedulers)
            del schedulers  # a namespace removed while the thread sleeps must not stay referenced here
            with self._wake:
                if not self._dirty and not self._stopped and wait != 0:
                    self._wake_at = float("inf") if wait is None else time.monotonic() + wait
                    self._wake.wait(timeout=wait)
                self._wake_at = 0.0

    def _run_due(self, schedulers: list[Scheduler]) -> float | None:
        """Run what is due now; the real seconds until something may be due next (None: until nudged)."""
        soonest = None
        for scheduler in schedulers:
            try:
                seconds = scheduler.wait_seconds()
                # Never wait for the lock here: the worker holding it runs what is due.
                if seconds is not None and seconds <= 0:
                    seconds = 0.0 if scheduler.run_due(wait=0) else (self.poll or BUSY_RETRY)
            except Exception:  # a store that is briefly unreachable must not end the thread
                log.exception("scheduler of namespace %s: retrying in %.0f s", scheduler.namespace, STORE_RETRY)
                seconds = STORE_RETRY
            if seconds is not None:
                soonest = seconds if soonest is None else min(soonest, seconds)
        return soonest


class Scheduler:
    """Runs one namespace's jobs (JSON-like dicts) when its simulated clock reaches their due time: at
    once when the clock is moved, or from the engine's ticker on a running clock. `run` gets them in
    batches, oldest first, with the instant they were claimed as due by, and must run every job of a
    batch, in order, even when one fails: no other worker can have them once claimed.

    Within a namespace, one worker at a time runs due jobs (the store's `exclusive` lock), oldest
    first, so events keep their order across workers too.
    """

    def __init__(
        self, clock: Clock, store: Store, namespace: str, run: Callable[[list[dict], float], None], ticker: Ticker
    ) -> None:
        self.namespace = namespace
        self._clock = clock
        self._store = store
        self._run = run
        self._ticker = ticker
        self._running_due = threading.RLock()
        self._draining = False
        clock.subscribe(self.run_due)
        ticker.add(self)

    def at(self, due: float, job: dict) -> None:
        self._store.schedule(self.namespace, due, job)
        self._ticker.nudge()
        if due <= self._clock.timestamp():
            self.run_due()

    def added(self, due: float, clock: Clock | None = None) -> None:
        """Jobs were stored with a send (not through `at`); the soonest falls due at `due` on `clock`
        (the namespace's clock as the send read it; default: this scheduler's)."""
        until = (clock or self._clock).wall_seconds_until(due)  # None when frozen: only moving it runs jobs
        if until is not None:
            self._ticker.nudge_before(time.monotonic() + until)

    def pending(self) -> int:
        return self._store.pending_jobs(self.namespace)

    def run_due(self, wait: float = DRAIN_WAIT) -> bool:
        """Run every job due by now, oldest first; safe to call from any thread.

        Waits up to `wait` seconds while another worker runs this namespace's jobs, so that when a
        clock change returns, everything it made due has run. False when that worker kept the lock.
        """
        with self._running_due:
            if self._draining:  # a job scheduled a job: the loop below picks it up
                return True
            with self._store.exclusive(self.namespace, "scheduler", wait) as held:
                if not held:
                    return False
                self._draining = True
                try:
                    while True:
                        self._store.renew(self.namespace, "scheduler")  # a lost lock ends the drain here
                        now = self._clock.timestamp()
                        jobs = self._store.claim_due(self.namespace, now, CLAIM_BATCH)
                        if not jobs:
                            break
                        try:
                            self._run(jobs, now)
                        except Exception:  # the store failed the batch; the next claim finds out whether it is back
                            log.exception("scheduled jobs failed in namespace %s", self.namespace)
                finally:
                    self._draining = False
        self._ticker.nudge()  # a clock change may have moved the next due time
        return True

    def stop(self) -> None:
        self._ticker.remove(self.namespace)

    def wait_seconds(self) -> float | None:
        """0 when a job is due now; else real seconds until one may be (None: until nudged)."""
        poll = self._ticker.poll
        due = self._store.next_due(self.namespace)
        if due is None:
            return poll
        until = self._clock.wall_seconds_until(due)  # None on a frozen clock
        if until is None:
            return 0.0 if due <= self._clock.timestamp() else poll
        return until if poll is None else min(until, poll)


@dataclass(frozen=True)
class Targets:
    """Where webhooks may go: http(s) only, never a control API (/_sim/) on this machine, and, when `allow`
    lists URL prefixes (--webhook-allow), only under one of them."""

    allow: tuple[str, ...] = ()

    def refusal(self, url: str) -> str | None:
        """Why `url` is refused, or None."""
        try:
            target = urlsplit(url)
            port = target.port
        except ValueError as exc:
            return f"not a URL: {exc}"
        if target.scheme not in ("http", "https") or not target.hostname:
            return "only http:// and https:// URLs with a host get webhooks"
        if self.allow and not any(_under(target, port, prefix) for prefix in self.allow):
            return "not under any --webhook-allow prefix"
        if _control_path(target.path) and _is_this_machine(target.hostname):
            return "the simulator's own control API (/_sim/) never gets webhooks"
        return None


def _under(target, port: int | None, prefix: str) -> bool:
    allowed = urlsplit(prefix)
    return (target.scheme, target.hostname, port or _DEFAULT_PORTS[target.scheme]) == (
        allowed.scheme,
        allowed.hostname,
        allowed.port or _DEFAULT_PORTS.get(allowed.scheme),
    ) and target.path.startswith(allowed.path)


_DEFAULT_PORTS = {"http": 80, "https": 443}
# The path a server sees: percent-escapes decoded, slashes collapsed, a /_ns/<name> prefix (routing.py) dropped.
_NAMESPACED = re.compile(r"^/_ns/[^/]*")


def _control_path(path: str) -> bool:
    seen = _NAMESPACED.sub("", re.sub(r"/+", "/", unquote(path)))
    return seen == "/_sim" or seen.startswith("/_sim/")


def _is_this_machine(host: str) -> bool:
    """Whether `host` resolves to an address of this machine (loopback, 0.0.0.0, or one a socket can bind)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False  # unresolvable: the post itself fails and says so
    for family, _, _, _, address in infos:
        ip = ipaddress.ip_address(address[0].split("%")[0])
        if ip.is_loopback or ip.is_unspecified or _bindable(family, address[0]):
            return True
    return False


def _bindable(family: int, ip: str) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((ip, 0))
        except OSError:
            return False
    return True


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

    def __init__(
        self, workers: int = 8, post: Callable[..., requests.Response] | None = None, targets: Targets | None = None
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sim-webhook")
        self._session = requests.Session()
        self._post = post or self._session.request
        self._targets = targets or Targets()
        self._lanes: dict[str, deque[Callable[[], None]]] = {}
        self._idle = threading.Condition()
        self._in_flight = 0

    def send(
        self,
        delivery: Delivery,
        policy: RetryPolicy,
        clock: Clock,
        record: Callable[[Attempt], None],
        lane: str,
        retry: Callable[[float, int], None],
        attempt: int = 1,
    ) -> None:
        """Post `delivery` on the pool; on failure with retries left, call `retry(due, next attempt)`."""

        def job() -> None:
            self._attempt(delivery, policy, clock, record, retry, attempt)

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

    def _attempt(self, delivery, policy, clock, record, retry, attempt) -> None:
        started = time.perf_counter()
        status, error = None, None
        refusal = self._targets.refusal(delivery.url)
        if refusal:
            error = f"refused: {refusal}"
        else:
            try:
                response = self._post(
                    delivery.method,
                    delivery.url,
                    data=delivery.body,
                    headers=delivery.headers,
                    timeout=policy.timeout,
                    allow_redirects=False,  # a redirect could lead anywhere, the refused targets too
                )
                status = response.status_code
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        ok = status is not None and policy.accepts(status)
        if not ok and not refusal and attempt <= len(policy.backoff):  # a refused target stays refused
            retry(clock.timestamp() + policy.backoff[attempt - 1], attempt + 1)
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
