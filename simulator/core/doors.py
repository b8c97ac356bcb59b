"""Role-bound doors: the only ways into the engine from outside `simulator/core/`.

- `ProviderDoor`: what a provider's routes may do, bound to one namespace and one provider, so no
  call names a provider and nothing can reach another provider's or another namespace's state.
- `AccountDoor`: a ProviderDoor bound to the authenticated account as well. Ownership is checked
  here, once: a credential sees only its own messages.
- `OperatorDoor`: what the control API and the inbox may do to one namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from datetime import datetime
from typing import Any

from simulator.core.accounts import Account
from simulator.core.clock import Clock
from simulator.core.engine import (
    DEFAULT_NAMESPACE,
    ISSUED,
    NAMESPACE_NAME,
    NAMESPACE_PATTERN,
    Draft,
    Engine,
    Namespace,
    ProviderHooks,
    ViewPage,
    check_namespace_name,
)
from simulator.core.faults import Fault, Hit
from simulator.core.ids import Ids
from simulator.core.journal import RequestEntry
from simulator.core.lifecycle import Media
from simulator.core.messages import Message, MessageView
from simulator.core.store.base import MessageQuery, StoredMapping
from simulator.core.throttle import Limit

__all__ = [
    "DEFAULT_NAMESPACE",
    "NAMESPACE_PATTERN",
    "AccountDoor",
    "Draft",
    "MessageQuery",
    "OperatorDoor",
    "ProviderDoor",
    "ProviderHooks",
    "RequestEntry",
    "ViewPage",
    "check_namespace_name",
]


class ProviderDoor:
    def __init__(
        self,
        engine: Engine,
        space: Namespace,
        provider: str,
        scenario_override: str | None,
        values: dict[str, Any] | None = None,
    ) -> None:
        self._engine = engine
        self._space = space
        self._scenario_override = scenario_override
        self.provider = provider
        self._pinned: dict[str, Clock] = {}  # the request's clock, read once (shared with its account door)
        # The namespace's values Engine.sync read with its version check (clock, bindings): each is used once,
        # in place of a read of its own (shared with the account door).
        self._read: dict[str, Any] = dict(values or {})

    @property
    def namespace(self) -> str:
        return self._space.name

    # Time and ids
    @property
    def ids(self) -> Ids:
        return self._space.ids

    def _clock(self) -> Clock:
        """The namespace's clock as this request first found it, read again only if this process has
        moved it since (a provider request moves no clock; a test holding a door may)."""
        pinned = self._pinned.get("clock")
        if pinned is None or pinned.changes != self._space.clock.changes:
            pinned = self._pinned["clock"] = self._space.clock.pinned(self._read.pop("clock", None))
        return pinned

    def now(self) -> float:
        return self._clock().timestamp()

    def moment(self) -> datetime:
        return self._clock().now()

    def next_id(self, name: str, start: int) -> int:
        """`start` on first use, then one more each call: the provider's own counter `name`."""
        return self._engine.store.next_sequence(self._space.name, f"{self.provider}:{name}", start)

    # Who is asking
    def authenticate(self, **credentials: str | None) -> AccountDoor:
        """The door of the account these credentials name; Unauthorized otherwise."""
        return AccountDoor(self, self._engine.accounts.find(self.provider, **credentials))

    def account_door(self, name: str) -> AccountDoor | None:
        """The door of the account called `name` (a token's record names its account), or None."""
        account = self._engine.accounts.by_name(self.provider, name)
        return AccountDoor(self, account) if account else None

    def issued(self, credential: str, account: Account) -> None:
        """Remember that `credential` (a token) was issued to `account`, so a namespace bound to the
        account also catches requests that present the token."""
        self._engine.store.put_record(ISSUED, self.provider, credential, {"account": account.name})

    def throttle(self, key: str, limit: Limit) -> None:
        """Count this request against `limit`; Throttled when over it."""
        self._engine.throttle.check(self._space.name, f"{self.provider}:{key}", limit, self.now())

    def fault(self, method: str, path: str) -> Hit | None:
        """The injected fault this request draws, if any (the pipeline applies it)."""
        return self._space.faults.pick(self.provider, method, path)

    # Provider records: chats, tokens, batches
    def put_record(self, kind: str, key: str, value: dict) -> None:
        self._engine.store.put_record(self._space.name, f"{self.provider}:{kind}", key, value)

    def get_record(self, kind: str, key: str) -> dict | None:
        return self._engine.store.get_record(self._space.name, f"{self.provider}:{kind}", key)

    def records(self, kind: str) -> list[dict]:
        return self._engine.store.records(self._space.name, f"{self.provider}:{kind}")

    # The journal
    def record_request(self, entry: RequestEntry) -> None:
        """Journal the request this door serves, now."""
        self._engine.journal.record_request(self._space.name, entry, self.now())


class AccountDoor(ProviderDoor):
    def __init__(self, door: ProviderDoor, account: Account) -> None:
        super().__init__(door._engine, door._space, door.provider, door._scenario_override)
        self._pinned = door._pinned
        self._read = door._read
        self.account = account

    def submit(self, drafts: Iterable[Draft]) -> list[Message]:
        """Store and schedule the drafts as this account's messages, charged once for all."""
        bindings = None  # not read with the clock: the engine reads them
        if "bindings" in self._read:
            bindings = self._read.pop("bindings") or {}  # absent: nothing bound yet
        override = self._scenario_override
        clock = self._clock()
        return self._engine.submit(self._space, self.provider, self.account, drafts, override, clock, bindings)

    def owned(self, message_id: str) -> MessageView | None:
        """This account's message `message_id` now; None when there is none or it is another's."""
        message = self._engine.store.get_message(self._space.name, f"{self.provider}:{message_id}")
        if message is None or message.account != self.account.name:
            return None
        return message.at(self.now())

    def in_group(self, group: str, channel: str | None = None, limit: int | None = None, offset: int = 0) -> ViewPage:
        """This account's messages of one batch (request id, campaign, chat), oldest first (the order
        the provider submitted them in), `limit` of them after `offset`, with their number."""
        where = MessageQuery(provider=self.provider, account=self.account.name, group=group, channel=channel)
        return self._engine.query(self._space, where, self.now(), limit, offset, oldest_first=True)

    def balance(self) -> float:
        return self._engine.store.balance(self._space.name, self.account.key, self.account.balance)

    def set_balance(self, value: float) -> None:
        self._engine.store.set_balance(self._space.name, self.account.key, value)


class OperatorDoor:
    """The control plane's view of one namespace: read, steer, reset."""

    def __init__(self, engine: Engine, space: Namespace) -> None:
        self._engine = engine
        self._space = space

    @property
    def namespace(self) -> str:
        return self._space.name

    @property
    def clock(self) -> Clock:
        return self._space.clock

    def now(self) -> float:
        return self._space.clock.timestamp()

    # Messages
    def messages(
        self, where: MessageQuery | None = None, limit: int | None = None, offset: int = 0, oldest_first: bool = False
    ) -> ViewPage:
        """Matching messages (all when `where` is None), newest first unless `oldest_first`, paged in the store."""
        return self._engine.query(self._space, where or MessageQuery(), self.now(), limit, offset, oldest_first)

    def views(self, where: MessageQuery | None = None) -> list[MessageView]:
        """Every matching message, oldest first (a full read: for exports and tests)."""
        return self.messages(where, oldest_first=True).views

    def with_id(self, ident: str, limit: int = 10) -> ViewPage:
        """Messages a bare provider id names (more than one when providers share it), oldest first."""
        return self.messages(MessageQuery(id=ident), limit=limit, oldest_first=True)

    def message_counts(self) -> dict[tuple[str, str | None], int]:
        """(provider, status now) -> messages, from counters kept on write."""
        return self._engine.store.message_counts(self._space.name, self.now())

    def status_counts(self, where: MessageQuery | None = None) -> dict[str | None, int]:
        """Status now -> messages matching `where`: from counters when it names only provider, channel,
        account or status; a text, recipient part, group or instant costs one walk of the candidates."""
        return self._engine.store.status_counts(self._space.name, where or MessageQuery(), self.now())

    def evictions(self) -> int:
        """Messages retention has evicted from this namespace."""
        return self._engine.store.evictions(self._space.name)

    def find(self, key: str) -> MessageView | None:
        """The message `<provider>:<id>` now, or None."""
        message = self._engine.store.get_message(self._space.name, key)
        return message.at(self.now()) if message else None

    def force(self, key: str, status: str, reason: str | None = None) -> MessageView:
        return self._engine.force(self._space, key, status, reason)

    def reply(self, key: str, text: str | None, media: Media | None = None) -> MessageView:
        return self._engine.reply(self._space, key, text, media)

    def pending_jobs(self) -> int:
        return self._space.scheduler.pending()

    # The journal
    def journal(self, kind: str | None = None) -> list[dict]:
        return self._engine.journal.entries(self._space.name, kind)

    def journal_counts(self) -> dict[str, int]:
        """`journal.tally` -> entries this namespace's journal holds, from counters kept on write."""
        return self._engine.journal.counts(self._space.name)

    def record(self, kind: str, **data) -> dict:
        """Journal what an operator did ("clock", "control"), so an export can replay it."""
        return self._engine.journal.record(self._space.name, kind, self.now(), **data)

    def wait_for(self, found: Callable[[], MessageView | None], timeout: float) -> MessageView | None:
        """`found()` once it is not None, re-checked on every journal entry; None after `timeout` seconds."""
        return self._engine.journal.wait_for(found, timeout)

    # State of the namespace
    def reset(self) -> None:
        self._engine.reset(self._space.name)

    @property
    def seed(self) -> int | None:
        return self._space.ids.seed

    def reseed(self, seed: int | None) -> None:
        """Reseed this namespace's ids, Faker texts and fault dice."""
        self._engine.reseed_namespace(self._space, seed)

    @property
    def faults(self) -> list[Fault]:
        return self._space.faults.rules()

    def set_faults(self, rules: list[Fault]) -> None:
        self._engine.set_faults(self._space, rules)

    @property
    def scenario_bindings(self) -> StoredMapping:
        """Account key -> scenario name, in this namespace."""
        return self._space.bindings

    # Accounts (shared by every namespace) and their money (per namespace)
    def accounts(self, provider: str) -> list[Account]:
        return self._engine.accounts.of(provider)

    def demo_account(self, provider: str) -> Account | None:
        return self._engine.accounts.demo(provider)

    def replace_accounts(self, provider: str, accounts: list[Account]) -> None:
        self._engine.replace_accounts(provider, accounts)

    def balance(self, account: Account) -> float:
        return self._engine.store.balance(self._space.name, account.key, account.balance)

    def set_balance(self, account: Account, value: float) -> None:
        self._engine.store.set_balance(self._space.name, account.key, value)

    # What spans namespaces
    def of(self, namespace: str) -> OperatorDoor:
        """The operator door of another namespace."""
        return self._engine.operator_door(namespace)

    def live_namespaces(self) -> list[str]:
        """Namespaces this process has open."""
        return self._engine.namespace_names()

    @property
    def namespace_bindings(self) -> MutableMapping[str, str]:
        """Account key -> namespace, for clients that cannot name their namespace."""
        return self._engine.namespace_bindings

    def namespaces(self) -> list[str]:
        """Namespaces in use in this process or found in the store."""
        found = set(self._engine.namespace_names()) | set(self._engine.store.namespaces())
        return sorted(name for name in found if NAMESPACE_NAME.match(name))

    def message_count(self, namespace: str) -> int:
        return self._engine.store.count_messages(namespace)

    def reset_all(self) -> None:
        self._engine.reset()

    def reseed_all(self, seed: int | None) -> None:
        self._engine.reseed(seed)

    @property
    def scenarios(self):
        return self._engine.scenarios
