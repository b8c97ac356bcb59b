"""The storage interface. Every method is atomic; every key lives inside a namespace."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.core.messages import Message
from simulator.core.retention import Retention

if TYPE_CHECKING:
    from simulator.core.journal import RequestEntry

# A query made at an instant more than this before one the store already saw means the clock went
# back: the store then recomputes every message's status instead of trusting its index.
CLOCK_SLACK = 2.0


@dataclass(frozen=True)
class MessageQuery:
    """Which messages a read wants: every field given must match; None matches anything."""

    provider: str | None = None
    channel: str | None = None
    account: str | None = None
    recipient: str | None = None  # compared as digits
    status: str | None = None  # the status at the query's instant
    contains: str | None = None  # a substring of the text
    since: float | None = None  # created at or after (epoch seconds)
    group: str | None = None  # a batch: request id, campaign
    id: str | None = None  # the bare id a provider shows, whichever provider
    recipient_contains: str | None = None  # a part of the recipient as written (the inbox's search box)


@dataclass(frozen=True)
class Charge:
    """Money a submission takes from an account's balance (`initial` until the account was charged)."""

    account: str
    amount: float
    initial: float


@dataclass(frozen=True)
class Page:
    total: int  # every match, not only this page
    messages: list[Message] = field(default_factory=list)


class Store(ABC):
    """What core needs from a backend. Backends must be safe across threads (and, for shared
    backends, across processes): check-and-change operations happen atomically inside the store.

    Messages are indexed on write (key, bare provider id, group, recipient digits, account,
    channel, provider, status, creation order) so `query` never scans a namespace. A message's
    status changes with time: the index keeps the status it had when last looked at (on write, on
    `record_status`, on a read that finds its next event due) and each query first brings due
    entries up to date, so answers are exact at the query's instant.
    """

    # True when several processes (workers, hosts) can share this store's state.
    shared_across_processes: bool = False
    retention: Retention = Retention()

    # Messages
    @abstractmethod
    def add_message(self, namespace: str, message: Message) -> None:
        """Store (or rewrite in place) a message; may evict old ones under the retention policy."""

    @abstractmethod
    def submit(
        self,
        namespace: str,
        messages: list[Message],
        jobs: list[tuple[float, dict]],
        entries: list[dict],
        journal_limits: tuple[int, float],
        now: float,
        charge: Charge | None = None,
    ) -> tuple[bool, float | None]:
        """A send, all or nothing: take `charge` if the balance covers it, store the messages, schedule
        the jobs (due instant, job) and journal the entries. (False, balance) when the balance does not
        cover the charge, and nothing changed; else (True, the balance after, None with no charge)."""

    @abstractmethod
    def get_message(self, namespace: str, key: str) -> Message | None: ...

    @abstractmethod
    def update_message(self, namespace: str, key: str, change: Callable[[Message], Message]) -> Message | None: ...

    @abstractmethod
    def messages(self, namespace: str) -> list[Message]:
        """All messages of a namespace, oldest first (a full read: for export and tests, not lookups)."""

    @abstractmethod
    def query(
        self,
        namespace: str,
        where: MessageQuery,
        now: float,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> Page:
        """Matching messages in creation order (newest first unless `oldest_first`), `limit` of them
        after skipping `offset`, with the number of all matches. Answered from the indexes; only
        `contains`, `recipient_contains` and `since` are checked message by message, on the
        candidates the other fields leave (alone, they read every message)."""

    @abstractmethod
    def count_messages(self, namespace: str) -> int:
        """How many messages the namespace holds."""

    @abstractmethod
    def record_status(self, namespace: str, key: str, now: float) -> Message | None:
        """Index the status `key` has at `now` (a transition fired, a status was forced, a reply came);
        the message, or None when it is gone."""

    @abstractmethod
    def record_statuses(self, namespace: str, keys: list[str], now: float) -> list[Message | None]:
        """`record_status` of each key (transitions the scheduler fires together), in one go."""

    @abstractmethod
    def message_counts(self, namespace: str, now: float) -> dict[tuple[str, str | None], int]:
        """(provider, status now) -> how many messages: counters kept on write, not a scan."""

    @abstractmethod
    def status_counts(self, namespace: str, where: MessageQuery, now: float) -> dict[str | None, int]:
        """Status now -> how many messages match `where` (statuses with none left out). From the
        counters when `where` names only provider, channel, account and status; otherwise one walk of
        the candidates `query` would read for its total (the same cost as that total)."""

    @abstractmethod
    def evictions(self, namespace: str) -> int:
        """How many messages retention has evicted from the namespace."""

    # Provider records (chats, tokens, batches), JSON-like dicts
    @abstractmethod
    def put_record(self, namespace: str, kind: str, key: str, value: dict) -> None: ...

    @abstractmethod
    def get_record(self, namespace: str, kind: str, key: str) -> dict | None: ...

    @abstractmethod
    def records(self, namespace: str, kind: str) -> list[dict]:
        """All records of a kind, in insertion order."""

    # Counters and money
    @abstractmethod
    def next_sequence(self, namespace: str, name: str, start: int) -> int:
        """`start` on first use, then one more each call."""

    @abstractmethod
    def charge(self, namespace: str, account: str, amount: float, initial: float) -> tuple[bool, float]:
        """Take `amount` if the balance covers it; (charged, balance after)."""

    @abstractmethod
    def balance(self, namespace: str, account: str, initial: float) -> float: ...

    @abstractmethod
    def set_balance(self, namespace: str, account: str, value: float) -> None: ...

    # Throttling
    @abstractmethod
    def hit_window(self, namespace: str, key: str, now: float, window: float, limit: int) -> tuple[bool, float]:
        """Count a request in a sliding window; (allowed, seconds until the oldest counted one leaves)."""

    # Journal
    @abstractmethod
    def append_journal(
        self, namespace: str, entries: list[dict | RequestEntry], max_entries: int, max_age: float, now: float
    ) -> None:
        """Append the entries (dicts with at least "kind" and "time", or requests to be masked when read:
        `journal.as_entry`) in order, then keep the newest `max_entries` no older than `max_age` seconds at
        `now`."""

    @abstractmethod
    def journal(self, namespace: str) -> list[dict]: ...

    @abstractmethod
    def journal_counts(self, namespace: str) -> dict[str, int]:
        """`journal.tally(entry)` -> how many entries the journal holds (tallies with none left out):
        counters kept in step with every append and every trim, not a scan."""

    # Small named values of a namespace: clock state, scenario bindings (JSON-like)
    @abstractmethod
    def get_value(self, namespace: str, name: str) -> Any | None: ...

    def get_values(self, reads: list[tuple[str, str]]) -> list[Any | None]:
        """Several values, each a (namespace, name): one round trip on a shared store."""
        return [self.get_value(namespace, name) for namespace, name in reads]

    @abstractmethod
    def update_value(self, namespace: str, name: str, change: Callable[[Any | None], Any]) -> Any:
        """Replace the value with `change(current)` (None when absent) atomically; return the new value."""

    # The scheduler's due-set: JSON-like job descriptors ordered by due time
    @abstractmethod
    def schedule(self, namespace: str, due: float, job: dict) -> None:
        """A job naming a message (`job["message"]`) keeps retention from evicting it until claimed."""

    @abstractmethod
    def claim_due(self, namespace: str, now: float, limit: int) -> list[dict]:
        """Remove and return up to `limit` of the jobs due by `now`, earliest first (first scheduled
        first on ties); empty when none is due. Each job is handed to exactly one caller, whichever
        process it runs in, and stops pinning its message when claimed."""

    @abstractmethod
    def next_due(self, namespace: str) -> float | None: ...

    @abstractmethod
    def pending_jobs(self, namespace: str) -> int: ...

    @abstractmethod
    def exclusive(self, namespace: str, name: str, wait: float) -> AbstractContextManager[bool]:
        """Hold the lock `name` of a namespace against every thread and process sharing the store.
        Yields False (and holds nothing) when the lock could not be had within `wait` seconds. A
        shared store's lock lapses a few seconds after its holder stops renewing it (see `renew`)."""

    def renew(self, namespace: str, name: str) -> None:  # noqa: B027  (most stores' locks never lapse)
        """Keep the exclusive lock this process holds from lapsing during long work (cheap to call often)."""

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` whenever another process sharing the store journals something; returns how
        to stop. A store no other process shares has nothing to report."""
        return lambda: None

    @abstractmethod
    def reset(self, namespace: str | None = None) -> None:
        """Forget one namespace, or everything."""

    @abstractmethod
    def namespaces(self) -> list[str]: ...


class StoredValue:
    """One named value of a namespace kept in the store, so every worker sees the same one.

    The first read of an absent value stores `default()` (first writer wins), so a value computed
    from the wall clock, such as a freshly frozen instant, is the same for every worker.
    """

    def __init__(self, store: Store, namespace: str, name: str, default: Callable[[], Any]) -> None:
        self._store = store
        self._namespace = namespace
        self._name = name
        self._default = default

    def get(self) -> Any:
        value = self._store.get_value(self._namespace, self._name)
        return value if value is not None else self.update(lambda current: current)

    def update(self, change: Callable[[Any], Any]) -> Any:
        def apply(current: Any | None) -> Any:
            return change(current if current is not None else self._default())

        return self._store.update_value(self._namespace, self._name, apply)


class StoredMapping(MutableMapping):
    """A small str -> str mapping of a namespace kept in the store (e.g. scenario bindings)."""

    def __init__(self, store: Store, namespace: str, name: str) -> None:
        self._value = StoredValue(store, namespace, name, dict)

    def __getitem__(self, key: str) -> str:
        return self._value.get()[key]

    def __setitem__(self, key: str, value: str) -> None:
        self._value.update(lambda current: {**current, key: value})

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._value.update(lambda current: {name: item for name, item in current.items() if name != key})

    def __iter__(self) -> Iterator[str]:
        return iter(self._value.get())

    def __len__(self) -> int:
        return len(self._value.get())

    def clear(self) -> None:
        self._value.update(lambda current: {})
