"""The engine: shared parts (store, scenarios, accounts, sender) and one `Namespace` per isolated run.

Nothing outside `simulator/core/` touches the engine's internals: providers reach it through a
`ProviderDoor`, the control plane and the inbox through an `OperatorDoor` (see doors.py). The engine
owns the mechanics both doors share: submitting, forcing, replying, firing events and webhooks.

Everything a namespace knows lives in the store (clock state, scheduled jobs, scenario bindings),
so workers sharing a store behave as one process.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from simulator.core import heap, lifecycle, statuses
from simulator.core.accounts import Account, Accounts
from simulator.core.clock import LATEST, Clock, LocalState
from simulator.core.errors import InsufficientBalance, NamespaceRefused, NotFound, ScenarioError
from simulator.core.faults import Fault, Faults
from simulator.core.ids import Ids
from simulator.core.journal import Journal
from simulator.core.lifecycle import Event, Media, Reply
from simulator.core.messages import Message, MessageView
from simulator.core.scenarios import MatchContext, ScenarioLibrary, ScenarioSet
from simulator.core.store.base import Charge, MessageQuery, Store, StoredMapping, StoredValue
from simulator.core.throttle import Throttle
from simulator.core.webhooks import Attempt, Delivery, RetryPolicy, Scheduler, Sender, Ticker

log = logging.getLogger(__name__)

DEFAULT_NAMESPACE = "default"
NAMESPACE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
NAMESPACE_NAME = re.compile(NAMESPACE_PATTERN)
# How often a worker sharing its store looks for jobs other workers scheduled or made due.
POLL_SECONDS = 0.1
# Credentials a provider issued (tokens) live outside every namespace: a token names its account
# whichever namespace the request that uses it ends up in.
ISSUED = "sim:issued"

# A reset that drops this many namespaces at once also runs a full garbage collection (core/heap.py).
COLLECT_AFTER_RESET_OF = 100

# What every worker sharing a store must agree on beyond the store's own state (accounts replaced
# over the control API, namespace bindings, fault rules, seeds) is kept under this name, which no
# namespace can take (a colon is no namespace character), with a version every request checks.
SHARED = "sim:shared"
# A namespace's values a provider request reads (its clock, and its scenario bindings when it sends):
# on a shared store they come with the version check, in the same round trip (Engine.sync).
REQUEST_VALUES = ("clock", "bindings")

# A provider's callback hook: the deliveries to send for an event of a message (often none).
CallbackBuilder = Callable[[MessageView, Event], list[Delivery]]


@dataclass(frozen=True)
class Draft:
    """One message a provider accepted, before the engine gives it a fate. The door adds the
    provider and the account it is bound to."""

    id: str
    channel: str
    recipient: str
    sender: str | None = None
    text: str | None = None
    cost: float = 0.0
    lifetime: float = 86_400.0  # seconds; scenario steps may say `after: lifetime`
    start_at: float | None = None  # scheduled send time (simulated epoch seconds)
    group: str | None = None
    attrs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ViewPage:
    """One page of matching messages as seen now, and how many matched in all."""

    total: int
    views: list[MessageView]


@dataclass(frozen=True)
class ProviderHooks:
    """What the engine needs from a provider, without knowing it."""

    callbacks: CallbackBuilder | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)


class Namespace:
    def __init__(
        self,
        name: str,
        seed: int | None,
        clock_mode: Callable[[Clock], None],
        store: Store,
        run_jobs: Callable[[list[dict], float], None],
        ticker: Ticker,
    ) -> None:
        self.name = name
        self.clock = Clock(state=StoredValue(store, name, "clock", lambda: _initial_clock(clock_mode)))
        shared = store.shared_across_processes
        self.ids = Ids(seed, draws=lambda: store.next_sequence(name, "sim:ids", 0)) if shared else Ids(seed)
        self.scheduler = Scheduler(self.clock, store, name, run_jobs, ticker)
        self.bindings = StoredMapping(store, name, "bindings")  # credential (account key) -> scenario name
        self.faults = Faults(seed)  # rules and dice per process; the rules are shared through the store


def _initial_clock(clock_mode: Callable[[Clock], None]) -> dict:
    """A namespace's clock state before anyone changed it: what the --clock mode says."""
    probe = Clock(state=LocalState())
    clock_mode(probe)
    return probe.state()


def check_namespace_name(name: str) -> str:
    if not NAMESPACE_NAME.match(name):
        raise NamespaceRefused(f"namespace {name!r} must be 1-64 letters, digits, '_', '.' or '-'")
    return name


class Engine:
    def __init__(
        self,
        store: Store,
        scenarios: ScenarioSet | ScenarioLibrary,
        accounts: Accounts,
        hooks: dict[str, ProviderHooks] | None = None,
        seed: int | None = None,
        clock_mode: Callable[[Clock], None] = lambda clock: None,
        throttle_enabled: bool = True,
        journal_limits: tuple[int, float] = (10_000, 86_400.0),
        sender: Sender | None = None,
        pause: Callable[[float], None] = lambda seconds: None,
        max_namespaces: int = 1000,
    ) -> None:
        self.store = store
        self.scenarios = scenarios
        self.accounts = accounts
        self.hooks = hooks or {}
        self.seed = seed
        self.clock_mode = clock_mode
        self.throttle = Throttle(store, throttle_enabled)
        self.journal = Journal(store, *journal_limits)
        self.sender = sender or Sender()
        self.pause = pause  # how a scenario's `latency` holds up the answer (time.sleep in the server)
        self.max_namespaces = max_namespaces
        self._namespaces: dict[str, Namespace] = {}
        self._lock = threading.Lock()
        self._ticker = Ticker(poll=POLL_SECONDS if store.shared_across_processes else None)
        # credential (account key) -> namespace, for clients that cannot send X-Sim-Namespace
        self.namespace_bindings = SharedMapping(self._share_bindings)
        self._original_accounts = {provider: accounts.of(provider) for provider in accounts.providers()}
        self._shared: dict = {}  # the shared settings this process applied last
        self._synced: object = None  # and their version
        # another worker's journal entry (a message, a transition) wakes this worker's waiters too
        self._unsubscribe = store.subscribe(self.journal.notify)

    # Doors: the only ways in
    def provider_door(
        self, namespace: str, provider: str, scenario_override: str | None = None, values: dict | None = None
    ):
        """The door of a provider request in `namespace`; `values`: what `sync(namespace)` read of it."""
        from simulator.core.doors import ProviderDoor

        return ProviderDoor(self, self.namespace(namespace), provider, scenario_override, values)

    def operator_door(self, namespace: str = DEFAULT_NAMESPACE):
        from simulator.core.doors import OperatorDoor

        return OperatorDoor(self, self.namespace(namespace))

    # Namespaces
    def namespace(self, name: str = DEFAULT_NAMESPACE) -> Namespace:
        with self._lock:
            space = self._namespaces.get(name)
            if space is None:
                check_namespace_name(name)
                if len(self._namespaces) >= self.max_namespaces:
                    raise NamespaceRefused(
                        f"{len(self._namespaces)} namespaces are in use, the limit (--max-namespaces); "
                        "reset some with POST /_sim/reset?namespace=<name>",
                        limit_reached=True,
                    )
                space = self._namespaces[name] = Namespace(
                    name, self.seed, self.clock_mode, self.store, partial(self._run_jobs, name), self._ticker
                )
                if self._shared:
                    self._apply_to(space)
            return space

    def namespace_names(self) -> list[str]:
        with self._lock:
            return sorted(self._namespaces)

    def bound_namespace(self, provider: str, presented: dict[str, str]) -> str | None:
        """The namespace bound to the account these credentials (or a token it was issued) name."""
        if not self.namespace_bindings or not presented:
            return None
        account = self.accounts.matching(provider, **presented) or self.issued_to(provider, presented)
        return self.namespace_bindings.get(account.key) if account else None

    def issued_to(self, provider: str, presented: dict[str, str]) -> Account | None:
        for value in presented.values():
            record = self.store.get_record(ISSUED, provider, value)
            if record is not None:
                return self.accounts.by_name(provider, record["account"])
        return None

    def reset(self, namespace: str | None = None) -> None:
        """Forget messages, records, journal, scheduled jobs, bindings and clock changes of one
        namespace or all, in every worker sharing the store; the namespaces' threads end."""
        self.store.reset(namespace)
        with self._lock:
            names = [namespace] if namespace else list(self._namespaces)
            forgotten = [self._namespaces.pop(name) for name in names if name in self._namespaces]
        many = len(forgotten) >= COLLECT_AFTER_RESET_OF
        while forgotten:  # popped, so that nothing here keeps one alive through the collection
            forgotten.pop().scheduler.stop()
        heap.release(collect=many)
        if namespace is None:
            self.namespace_bindings.load({})
            self._shared, self._synced = {}, None
        else:  # the namespace starts again with the engine's seed and no faults, in every worker

            def forget(settings: dict) -> dict:
                return {
                    **settings,
                    "faults": {name: rules for name, rules in settings.get("faults", {}).items() if name != namespace},
                    "seeds": {name: seed for name, seed in settings.get("seeds", {}).items() if name != namespace},
                }

            self._share(forget)

    def close(self) -> None:
        """Stop the scheduler threads and the sender (state stays in the store)."""
        with self._lock:
            spaces = list(self._namespaces.values())
        for space in spaces:
            space.scheduler.stop()
        self._ticker.stop()
        self._unsubscribe()
        self.sender.close()

    def reseed(self, seed: int | None) -> None:
        """Reseed every namespace and the ones to come."""
        self._reseed_all(seed)
        self._share(lambda settings: {**settings, "seed": seed, "seeds": {}})

    def _reseed_all(self, seed: int | None) -> None:
        self.seed = seed
        with self._lock:
            spaces = list(self._namespaces.values())
        for space in spaces:
            space.ids.reseed(seed)
            space.faults.reseed(seed)

    def reseed_namespace(self, space: Namespace, seed: int | None) -> None:
        """Reseed one namespace's ids, Faker texts and fault dice."""
        space.ids.reseed(seed)
        space.faults.reseed(seed)
        self._share(lambda settings: {**settings, "seeds": {**settings.get("seeds", {}), space.name: seed}})

    def set_faults(self, space: Namespace, rules: list[Fault]) -> None:
        space.faults.replace(rules)
        shared = [rule.__dict__ for rule in rules]
        self._share(lambda settings: {**settings, "faults": {**settings.get("faults", {}), space.name: shared}})

    def replace_accounts(self, provider: str, accounts: list[Account]) -> None:
        self.accounts.replace(provider, accounts)
        shared = [_account_data(account) for account in accounts]
        self._share(lambda settings: {**settings, "accounts": {**settings.get("accounts", {}), provider: shared}})

    # Settings every worker sharing the store agrees on
    def sync(self, namespace: str | None = None) -> dict[str, Any]:
        """Pick up the settings another worker changed (one read of their version when none did);
        the pipeline calls it before every request. On a shared store, the REQUEST_VALUES of
        `namespace` are read in the same round trip and returned by name (for `provider_door`);
        otherwise there is nothing to save and the answer is empty."""
        if not self.store.shared_across_processes:
            return {}
        wanted = REQUEST_VALUES if namespace is not None and NAMESPACE_NAME.match(namespace) else ()
        version, *values = self.store.get_values([(SHARED, "version"), *((namespace, name) for name in wanted)])
        if version != self._synced:
            self._synced = version
            self._apply(self.store.get_value(SHARED, "settings") or {})
        return dict(zip(wanted, values, strict=True))

    def _share_bindings(self, bindings: dict[str, str]) -> None:
        self._share(lambda settings: {**settings, "bindings": bindings})

    def _share(self, change: Callable[[dict], dict]) -> None:
        """Record a change of the shared settings for the other workers (this one made it already)."""
        if not self.store.shared_across_processes:
            return
        self.store.update_value(SHARED, "settings", lambda settings: change(settings or {}))
        self.store.update_value(SHARED, "version", lambda version: (version or 0) + 1)
        self._synced = None  # read them back on the next request, with whatever others changed meanwhile

    def _apply(self, settings: dict) -> None:
        self._shared = settings
        replaced = settings.get("accounts", {})
        for provider in {*self._original_accounts, *replaced}:
            found = replaced.get(provider)
            accounts = [_account(data) for data in found] if found is not None else self._original_accounts[provider]
            self.accounts.replace(provider, accounts)
        self.namespace_bindings.load(settings.get("bindings", {}))
        if settings.get("seed", self.seed) != self.seed:
            self._reseed_all(settings["seed"])
        with self._lock:
            spaces = list(self._namespaces.values())
        for space in spaces:
            self._apply_to(space)

    def _apply_to(self, space: Namespace) -> None:
        seed = self._shared.get("seeds", {}).get(space.name, self.seed)
        if space.ids.seed != seed:
            space.ids.reseed(seed)
            space.faults.reseed(seed)
        rules = [Fault(**rule) for rule in self._shared.get("faults", {}).get(space.name, [])]
        if space.faults.rules() != rules:
            space.faults.replace(rules)

    # Messages: what both doors do to them
    def submit(
        self,
        space: Namespace,
        provider: str,
        account: Account,
        drafts: Iterable[Draft],
        scenario_override: str | None = None,
        clock: Clock | None = None,
        bindings: dict[str, str] | None = None,
    ) -> list[Message]:
        """Give each draft a scenario, charge the account once for all, store and schedule them.

        Raises ScenarioError when a scenario answers the send with an error, InsufficientBalance when
        the account cannot pay; in both cases nothing is stored or charged. The charge, the messages,
        their journal entries and their scheduled events are one write to the store: all or nothing.
        What happens at once (the first status) is fired here rather than through the due-set.
        `clock`, `bindings`: the namespace's clock and scenario bindings as the request read them
        (default: read them now).
        """
        drafts = list(drafts)
        if not drafts:
            return []
        clock = clock or space.clock
        now = clock.timestamp()
        bound = (bindings if bindings is not None else space.bindings).get(account.key)
        chosen = []
        for item in drafts:
            context = MatchContext(provider, item.channel, item.recipient, item.sender, item.text, account.name)
            chosen.append((item, *self.scenarios.select(context, scenario_override, bound)))
        latency = max(scenario.latency for _, scenario, _ in chosen)
        if latency:
            self.pause(latency)
        failing = next((scenario for _, scenario, _ in chosen if scenario.error), None)
        if failing is not None:
            raise ScenarioError(failing.error, failing.name)
        total = round(sum(s.cost if s.cost is not None else item.cost for item, s, _ in chosen), 6)
        if total > 0:  # refuse before drawing ids for the messages, as the charge came first
            balance = self.store.balance(space.name, account.key, account.balance)
            if total > balance + 1e-9:
                raise InsufficientBalance(balance, total)
        messages = [self._create(space, provider, account, item, scenario, why, now) for item, scenario, why in chosen]
        entries = [
            {"kind": "message", "time": now, "message": m.key, "scenario": m.scenario, "matched_by": m.matched_by}
            for m in messages
        ]
        at_once, jobs = [], []
        for message in messages:
            for event in lifecycle.events(message.steps, message.fallback, message.replies):
                due = message.created_at + event.after
                if due <= now:
                    at_once.append((message, event))
                    entries.append({"kind": "transition", "time": now, **_transition(message.key, event, due)})
                else:
                    jobs.append((due, {"kind": "event", "message": message.key, "event": event.to_dict()}))
        charge = Charge(account.key, total, account.balance) if total > 0 else None
        limits = (self.journal.max_entries, self.journal.max_age)
        charged, balance = self.store.submit(space.name, messages, jobs, entries, limits, now, charge)
        if not charged:  # another request spent the money meanwhile
            raise InsufficientBalance(balance, total)
        self.journal.notify()
        if jobs:
            space.scheduler.added(min(due for due, _ in jobs), clock)
        for message, event in at_once:
            self._call_back(space, message, event)
        return messages

    def _create(
        self, space: Namespace, provider: str, account: Account, item: Draft, scenario, why: str, now: float
    ) -> Message:
        resolved = scenario.resolve(space.ids, item.lifetime)
        steps, fallback, replies = resolved.steps, resolved.fallback, resolved.replies
        delay = max(0.0, (item.start_at or now) - now)
        if delay:
            steps = (lifecycle.Step(0.0, statuses.SCHEDULED), *lifecycle.shift(steps, delay))
            fallback = lifecycle.shift(fallback, delay)
            replies = tuple(Reply(r.after + delay, r.text, r.media) for r in replies)
        steps = lifecycle.replied_timeline(steps, replies)
        # The clock never passes LATEST: what a message would do later can never happen, and is dropped
        # so that every instant a message keeps stays a date (a read never fails on it).
        steps, fallback, replies = lifecycle.until(LATEST - now, steps, fallback, replies)
        cost = scenario.cost if scenario.cost is not None else item.cost
        return Message(
            key=f"{provider}:{item.id}",
            provider=provider,
            id=item.id,
            channel=item.channel,
            account=account.name,
            recipient=item.recipient,
            sender=item.sender,
            text=item.text,
            created_at=now,
            steps=steps,
            scenario=scenario.name,
            matched_by=why,
            cost=cost,
            fallback=fallback,
            fallback_channel=resolved.fallback_channel,
            replies=replies,
            group=item.group,
            attrs=dict(item.attrs),
        )

    def query(
        self,
        space: Namespace,
        where: MessageQuery,
        now: float,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> ViewPage:
        """Matching messages in creation order (newest first unless `oldest_first`) as they are at `now` (the
        asking door's instant: a provider request reads its namespace's clock once), paged by the store."""
        page = self.store.query(space.name, where, now, limit, offset, oldest_first)
        return ViewPage(page.total, [message.at(now) for message in page.messages])

    def force(self, space: Namespace, key: str, status: str, reason: str | None = None) -> MessageView:
        """Move a message to `status` now; IllegalTransition if the table forbids it."""
        now = space.clock.timestamp()
        message = self._require(space, key)
        elapsed = message.elapsed(now)
        steps = lifecycle.force(message.steps, elapsed, status, reason)
        updated = self.store.update_message(space.name, key, lambda m: m.evolve(steps=steps))
        self._fire(space, updated.key, Event(elapsed, "primary", status, reason), now)
        return updated.at(now)

    def reply(self, space: Namespace, key: str, text: str | None, media: Media | None = None) -> MessageView:
        """An inbound reply from the recipient, now; the provider reports it and may call back."""
        now = space.clock.timestamp()
        message = self._require(space, key)
        elapsed = message.elapsed(now)
        reply = Reply(elapsed, text, media)

        def add(m: Message) -> Message:
            return m.evolve(replies=(*m.replies, reply), steps=lifecycle.with_reply(m.steps, elapsed))

        updated = self.store.update_message(space.name, key, add)
        self._fire(space, updated.key, Event(elapsed, "reply", statuses.REPLIED, None, reply), now)
        return updated.at(now)

    def _require(self, space: Namespace, key: str) -> Message:
        message = self.store.get_message(space.name, key)
        if message is None:
            raise NotFound("message", key)
        return message

    # Events and callbacks
    def _run_jobs(self, namespace: str, jobs: list[dict], now: float) -> None:
        """Run scheduled job descriptors (see `submit` and `_deliver`), claimed as due by `now`, in order.

        The events among them are recorded together (`_record_events`: a few round trips to a shared
        store for the batch, not a few per event); then each job's webhooks go out, in order. A broken
        job is logged and skipped: the others still run.
        """
        space = self.namespace(namespace)
        events: dict[int, tuple[str, Event]] = {}  # position in jobs -> the message and event it fires
        for number, job in enumerate(jobs):
            if job.get("kind") == "event":
                with _Logged(job):
                    events[number] = (job["message"], Event.from_dict(job["event"]))
        fired = dict(zip(events, self._record_events(space, list(events.values()), now), strict=True))
        for number, job in enumerate(jobs):
            with _Logged(job):
                if fired.get(number) is not None:
                    self._call_back(space, *fired[number])
                elif job["kind"] == "webhook":
                    delivery, policy = Delivery.from_dict(job["delivery"]), RetryPolicy.from_dict(job["policy"])
                    self._deliver(space, delivery, policy, job["message"], job["attempt"])
                elif job["kind"] != "event":
                    raise ValueError(f"unknown scheduled job kind {job['kind']!r}")

    def _fire(self, space: Namespace, key: str, event: Event, now: float) -> None:
        """Record an event of message `key` that happened by `now` (the caller's one read of a clock that
        may live in the store), and call back."""
        (fired,) = self._record_events(space, [(key, event)], now)
        if fired is not None:
            self._call_back(space, *fired)

    def _record_events(
        self, space: Namespace, events: list[tuple[str, Event]], now: float
    ) -> list[tuple[Message, Event] | None]:
        """Index the status each (message key, event) leaves by `now` and journal the transitions, in one
        write of each; per event, the message and event to call back for, or None when the message is
        gone or the event no longer happens."""
        messages = self.store.record_statuses(space.name, [key for key, _ in events], now)
        fired: list[tuple[Message, Event] | None] = []
        entries = []
        for (key, event), message in zip(events, messages, strict=True):
            if message is None or not _still_happens(message, event):
                fired.append(None)
                continue
            fired.append((message, event))
            entries.append(
                {"kind": "transition", "time": now, **_transition(key, event, message.created_at + event.after)}
            )
        if entries:
            self.journal.record_all(space.name, entries, now)
        return fired

    def _call_back(self, space: Namespace, message: Message, event: Event) -> None:
        """Send the webhooks the provider's hook builds for an event of a message."""
        hooks = self.hooks.get(message.provider)
        if hooks is None or hooks.callbacks is None:
            return
        for delivery in hooks.callbacks(message.at(message.created_at + event.after), event):
            self._deliver(space, delivery, hooks.retry, message.key, 1)

    def _deliver(
        self, space: Namespace, delivery: Delivery, policy: RetryPolicy, message_key: str | None, attempt: int
    ) -> None:
        """Send a webhook now (on the pool), retrying per `policy` on the simulated clock."""

        def record(attempt: Attempt) -> None:
            self.journal.record(space.name, "webhook", attempt.at, message=message_key, **attempt.__dict__)

        def retry(due: float, next_attempt: int) -> None:
            job = {
                "kind": "webhook",
                "delivery": delivery.to_dict(),
                "policy": policy.to_dict(),
                "message": message_key,
                "attempt": next_attempt,
            }
            space.scheduler.at(due, job)

        lane = f"{space.name}:{message_key or delivery.url}"
        self.sender.send(delivery, policy, space.clock, record, lane, retry, attempt)


class SharedMapping(MutableMapping):
    """A small mapping every change of which is handed to `on_change` (to share it); `load` replaces
    the contents with what was shared, without handing them back."""

    def __init__(self, on_change: Callable[[dict], None]) -> None:
        self._data: dict[str, str] = {}
        self._on_change = on_change

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __setitem__(self, key: str, value: str) -> None:
        self._data[key] = value
        self._on_change(dict(self._data))

    def __delitem__(self, key: str) -> None:
        del self._data[key]
        self._on_change(dict(self._data))

    def __iter__(self) -> Iterator[str]:
        return iter(dict(self._data))

    def __len__(self) -> int:
        return len(self._data)

    def load(self, data: dict[str, str]) -> None:
        self._data = dict(data)


def _account_data(account: Account) -> dict:
    return {**asdict(account), "senders": list(account.senders) if account.senders is not None else None}


def _account(data: dict) -> Account:
    senders = data.get("senders")
    return Account(**{**data, "senders": tuple(senders) if senders is not None else None})


class _Logged:
    """Log a scheduled job that fails, and go on: one broken job must not stall the others. A class, not a
    @contextmanager: it runs twice per job, and the generator machinery cost 1.4 µs each time."""

    __slots__ = ("job",)

    def __init__(self, job: dict) -> None:
        self.job = job

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> bool:
        if kind is None or not issubclass(kind, Exception):
            return False
        log.exception("scheduled job failed: %s", self.job.get("kind"))
        return True


def _transition(key: str, event: Event, at: float) -> dict:
    """What the journal says of a transition (or reply) of message `key` that happened at `at`."""
    return {"message": key, "leg": event.leg, "status": event.status, "reason": event.reason, "at": at}


def _still_happens(message: Message, event: Event) -> bool:
    """A forced transition drops later steps; their scheduled events must not fire."""
    if event.leg == "reply":
        return event.reply in message.replies
    steps = message.steps if event.leg == "primary" else message.fallback
    return lifecycle.Step(event.after, event.status, event.reason) in steps
