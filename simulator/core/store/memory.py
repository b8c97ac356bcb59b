"""The embedded default: everything in this process's memory, guarded by one lock."""

from __future__ import annotations

import heapq
import itertools
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from simulator.core.messages import Message
from simulator.core.store.base import Store


class _Space:
    def __init__(self) -> None:
        self.messages: dict[str, Message] = {}
        self.records: dict[str, dict[str, dict]] = defaultdict(dict)
        self.sequences: dict[str, int] = {}
        self.balances: dict[str, float] = {}
        self.windows: dict[str, deque[float]] = defaultdict(deque)
        self.journal: deque[dict] = deque()
        self.values: dict[str, Any] = {}
        self.due: list[tuple[float, int, dict]] = []  # a heap; the int keeps ties in scheduling order


class MemoryStore(Store):
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._spaces: dict[str, _Space] = {}
        self._order = itertools.count()
        self._exclusive: dict[tuple[str, str], threading.Lock] = {}

    def _space(self, namespace: str) -> _Space:
        space = self._spaces.get(namespace)
        if space is None:
            space = self._spaces[namespace] = _Space()
        return space

    def add_message(self, namespace: str, message: Message) -> None:
        with self._lock:
            self._space(namespace).messages[message.key] = message

    def get_message(self, namespace: str, key: str) -> Message | None:
        with self._lock:
            return self._space(namespace).messages.get(key)

    def update_message(self, namespace: str, key: str, change: Callable[[Message], Message]) -> Message | None:
        with self._lock:
            messages = self._space(namespace).messages
            if key not in messages:
                return None
            messages[key] = change(messages[key])
            return messages[key]

    def messages(self, namespace: str) -> list[Message]:
        with self._lock:
            return list(self._space(namespace).messages.values())

    def put_record(self, namespace: str, kind: str, key: str, value: dict) -> None:
        with self._lock:
            self._space(namespace).records[kind][key] = value

    def get_record(self, namespace: str, kind: str, key: str) -> dict | None:
        with self._lock:
            return self._space(namespace).records[kind].get(key)

    def records(self, namespace: str, kind: str) -> list[dict]:
        with self._lock:
            return list(self._space(namespace).records[kind].values())

    def next_sequence(self, namespace: str, name: str, start: int) -> int:
        with self._lock:
            sequences = self._space(namespace).sequences
            value = sequences.get(name, start - 1) + 1
            sequences[name] = value
            return value

    def charge(self, namespace: str, account: str, amount: float, initial: float) -> tuple[bool, float]:
        with self._lock:
            balances = self._space(namespace).balances
            balance = balances.get(account, initial)
            if amount > balance + 1e-9:
                return False, balance
            balances[account] = round(balance - amount, 6)
            return True, balances[account]

    def balance(self, namespace: str, account: str, initial: float) -> float:
        with self._lock:
            return self._space(namespace).balances.get(account, initial)

    def set_balance(self, namespace: str, account: str, value: float) -> None:
        with self._lock:
            self._space(namespace).balances[account] = value

    def hit_window(self, namespace: str, key: str, now: float, window: float, limit: int) -> tuple[bool, float]:
        with self._lock:
            hits = self._space(namespace).windows[key]
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                return False, hits[0] + window - now
            hits.append(now)
            return True, hits[0] + window - now

    def append_journal(self, namespace: str, entry: dict, max_entries: int, max_age: float, now: float) -> None:
        with self._lock:
            journal = self._space(namespace).journal
            journal.append(entry)
            while len(journal) > max_entries or (journal and journal[0]["time"] < now - max_age):
                journal.popleft()

    def journal(self, namespace: str) -> list[dict]:
        with self._lock:
            return list(self._space(namespace).journal)

    def get_value(self, namespace: str, name: str) -> Any | None:
        with self._lock:
            return self._space(namespace).values.get(name)

    def update_value(self, namespace: str, name: str, change: Callable[[Any | None], Any]) -> Any:
        with self._lock:
            values = self._space(namespace).values
            values[name] = change(values.get(name))
            return values[name]

    def schedule(self, namespace: str, due: float, job: dict) -> None:
        with self._lock:
            heapq.heappush(self._space(namespace).due, (due, next(self._order), job))

    def claim_due(self, namespace: str, now: float) -> dict | None:
        with self._lock:
            due = self._space(namespace).due
            if not due or due[0][0] > now:
                return None
            return heapq.heappop(due)[2]

    def next_due(self, namespace: str) -> float | None:
        with self._lock:
            due = self._space(namespace).due
            return due[0][0] if due else None

    def pending_jobs(self, namespace: str) -> int:
        with self._lock:
            return len(self._space(namespace).due)

    @contextmanager
    def exclusive(self, namespace: str, name: str, wait: float) -> Iterator[bool]:
        with self._lock:
            lock = self._exclusive.setdefault((namespace, name), threading.Lock())
        held = lock.acquire(timeout=wait) if wait > 0 else lock.acquire(blocking=False)
        try:
            yield held
        finally:
            if held:
                lock.release()

    def reset(self, namespace: str | None = None) -> None:
        with self._lock:
            if namespace is None:
                self._spaces.clear()
            else:
                self._spaces.pop(namespace, None)

    def namespaces(self) -> list[str]:
        with self._lock:
            return sorted(self._spaces)
