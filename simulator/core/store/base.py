"""The storage interface. Every method is atomic; every key lives inside a namespace."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from simulator.core.messages import Message


class Store(ABC):
    """What core needs from a backend. Backends must be safe across threads (and, for shared
    backends, across processes): check-and-change operations happen atomically inside the store."""

    # Messages
    @abstractmethod
    def add_message(self, namespace: str, message: Message) -> None: ...

    @abstractmethod
    def get_message(self, namespace: str, key: str) -> Message | None: ...

    @abstractmethod
    def update_message(self, namespace: str, key: str, change: Callable[[Message], Message]) -> Message | None: ...

    @abstractmethod
    def messages(self, namespace: str) -> list[Message]:
        """All messages of a namespace, oldest first."""

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
    def append_journal(self, namespace: str, entry: dict, max_entries: int, max_age: float, now: float) -> None: ...

    @abstractmethod
    def journal(self, namespace: str) -> list[dict]: ...

    @abstractmethod
    def reset(self, namespace: str | None = None) -> None:
        """Forget one namespace, or everything."""

    @abstractmethod
    def namespaces(self) -> list[str]: ...
