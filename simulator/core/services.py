"""The one door providers use to reach state: accounts, throttling, messages, replies, records.

`Engine` owns the shared parts (store, scenarios, accounts, sender) and one `Namespace` per
isolated test run (its own clock, ids and scheduler). `Services` is the engine seen from one
request: a namespace plus the request's scenario override.

Everything a namespace knows lives in the store (clock state, scheduled jobs, scenario bindings),
so workers sharing a store behave as one process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from simulator.core import lifecycle, statuses
from simulator.core.accounts import Account, Accounts
from simulator.core.clock import LATEST, Clock, LocalState
from simulator.core.errors import InsufficientBalance, NotFound, ScenarioError
from simulator.core.faults import Faults
from simulator.core.ids import Ids
from simulator.core.journal import Journal
from simulator.core.lifecycle import Event, Media, Reply
from simulator.core.messages import Message, MessageView
from simulator.core.scenarios import MatchContext, ScenarioLibrary, ScenarioSet
from simulator.core.store.base import Store, StoredMapping, StoredValue
from simulator.core.throttle import Limit, Throttle
from simulator.core.webhooks import Attempt, Delivery, RetryPolicy, Scheduler, Sender

DEFAULT_NAMESPACE = "default"
# How often a worker sharing its store looks for jobs other workers scheduled or made due.
POLL_SECONDS = 0.1

# A provider's callback hook: the deliveries to send for an event of a message (often none).
CallbackBuilder = Callable[[MessageView, Event, "Services"], list[Delivery]]


@dataclass(frozen=True)
class Submission:
    """One message a provider accepted, before the engine gives it a fate."""

    provider: str
    id: str
    account: Account
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
        run_job: Callable[[dict], None],
    ) -> None:
        self.name = name
        self.clock = Clock(state=StoredValue(store, name, "clock", lambda: _initial_clock(clock_mode)))
        shared = store.shared_across_processes
        self.ids = Ids(seed, draws=lambda: store.next_sequence(name, "sim:ids", 0)) if shared else Ids(seed)
        self.scheduler = Scheduler(self.clock, store, name, run_job, poll=POLL_SECONDS if shared else None)
        self.bindings = StoredMapping(store, name, "bindings")  # credential (account key) -> scenario name
        self.faults = Faults(seed)  # per process: fault rules are set through one control endpoint
        self.lock = threading.Lock()


def _initial_clock(clock_mode: Callable[[Clock], None]) -> dict:
    """A namespace's clock state before anyone changed it: what the --clock mode says."""
    probe = Clock(state=LocalState())
    clock_mode(probe)
    return probe.state()


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
        self._namespaces: dict[str, Namespace] = {}
        self._lock = threading.Lock()
        # credential (account key) -> namespace, for clients that cannot send X-Sim-Namespace
        self.namespace_bindings: dict[str, str] = {}

    def namespace(self, name: str = DEFAULT_NAMESPACE) -> Namespace:
        with self._lock:
            space = self._namespaces.get(name)
            if space is None:
                space = self._namespaces[name] = Namespace(
                    name, self.seed, self.clock_mode, self.store, lambda job: self._run_job(name, job)
                )
            return space

    def _run_job(self, namespace: str, job: dict) -> None:
        Services(self, self.namespace(namespace))._run_job(job)

    def namespace_names(self) -> list[str]:
        with self._lock:
            return sorted(self._namespaces)

    def services(self, namespace: str = DEFAULT_NAMESPACE, scenario_override: str | None = None) -> Services:
        return Services(self, self.namespace(namespace), scenario_override)

    def reset(self, namespace: str | None = None) -> None:
        """Forget messages, records, journal, scheduled jobs, bindings and clock changes of one
        namespace or all, in every worker sharing the store."""
        self.store.reset(namespace)
        names = [namespace] if namespace else self.namespace_names()
        for name in names:
            space = self.namespace(name)
            self.clock_mode(space.clock)
            space.ids.reseed(self.seed)
            space.faults.reset(self.seed)
        if namespace is None:
            self.namespace_bindings.clear()

    def close(self) -> None:
        """Stop the scheduler threads and the sender (state stays in the store)."""
        with self._lock:
            spaces = list(self._namespaces.values())
        for space in spaces:
            space.scheduler.stop()
        self.sender.close()

    def reseed(self, seed: int | None) -> None:
        self.seed = seed
        for name in self.namespace_names():
            self.namespace(name).ids.reseed(seed)
            self.namespace(name).faults.reseed(seed)


class Services:
    def __init__(self, engine: Engine, space: Namespace, scenario_override: str | None = None) -> None:
        self.engine = engine
        self.space = space
        self.scenario_override = scenario_override

    # Time and ids
    @property
    def clock(self) -> Clock:
        return self.space.clock

    @property
    def ids(self) -> Ids:
        return self.space.ids

    def now(self) -> float:
        return self.space.clock.timestamp()

    def next_sequence(self, provider: str, name: str, start: int) -> int:
        return self.engine.store.next_sequence(self.space.name, f"{provider}:{name}", start)

    # Accounts, money and limits
    def authenticate(self, provider: str, **credentials: str | None) -> Account:
        """The account for these credentials. A request that named no namespace moves to the
        namespace bound to its credential, if any, so everything it does lands there."""
        account = self.engine.accounts.find(provider, **credentials)
        bound = self.engine.namespace_bindings.get(account.key)
        if bound and self.space.name == DEFAULT_NAMESPACE:
            self.space = self.engine.namespace(bound)
        return account

    def balance(self, account: Account) -> float:
        return self.engine.store.balance(self.space.name, account.key, account.balance)

    def set_balance(self, account: Account, value: float) -> None:
        self.engine.store.set_balance(self.space.name, account.key, value)

    def throttle(self, key: str, limit: Limit) -> float:
        return self.engine.throttle.check(self.space.name, key, limit, self.now())

    # Messages
    def submit(self, submissions: Iterable[Submission]) -> list[Message]:
        """Give each submission a scenario, charge the account once for all, store and schedule them.

        Raises ScenarioError when a scenario answers the send with an error, InsufficientBalance when
        the account cannot pay; in both cases nothing is stored or charged.
        """
        submissions = list(submissions)
        if not submissions:
            return []
        now = self.now()
        chosen = []
        for item in submissions:
            context = MatchContext(
                item.provider, item.channel, item.recipient, item.sender, item.text, item.account.name
            )
            bound = self.space.bindings.get(item.account.key)
            chosen.append((item, *self.engine.scenarios.select(context, self.scenario_override, bound)))
        latency = max(scenario.latency for _, scenario, _ in chosen)
        if latency:
            self.engine.pause(latency)
        failing = next((scenario for _, scenario, _ in chosen if scenario.error), None)
        if failing is not None:
            raise ScenarioError(failing.error, failing.name)
        total = round(sum(s.cost if s.cost is not None else item.cost for item, s, _ in chosen), 6)
        account = submissions[0].account
        if total > 0:
            charged, balance = self.engine.store.charge(self.space.name, account.key, total, account.balance)
            if not charged:
                raise InsufficientBalance(balance, total)
        messages = [self._create(item, scenario, why, now) for item, scenario, why in chosen]
        for message in messages:
            self.engine.store.add_message(self.space.name, message)
            self.engine.journal.record(
                self.space.name,
                "message",
                now,
                message=message.key,
                scenario=message.scenario,
                matched_by=message.matched_by,
            )
        for message in messages:
            self._schedule(message)
        return messages

    def _create(self, item: Submission, scenario, why: str, now: float) -> Message:
        resolved = scenario.resolve(self.ids, item.lifetime)
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
            key=f"{item.provider}:{item.id}",
            provider=item.provider,
            id=item.id,
            channel=item.channel,
            account=item.account.name,
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

    def find(self, provider: str, message_id: str) -> MessageView | None:
        message = self.engine.store.get_message(self.space.name, f"{provider}:{message_id}")
        return message.at(self.now()) if message else None

    def view(self, provider: str, message_id: str) -> MessageView:
        found = self.find(provider, message_id)
        if found is None:
            raise NotFound("message", str(message_id))
        return found

    def views(self, provider: str | None = None, where: Callable[[Message], bool] | None = None) -> list[MessageView]:
        now = self.now()
        return [
            message.at(now)
            for message in self.engine.store.messages(self.space.name)
            if (provider is None or message.provider == provider) and (where is None or where(message))
        ]

    def force(self, key: str, status: str, reason: str | None = None) -> MessageView:
        """Move a message to `status` now; IllegalTransition if the table forbids it."""
        now = self.now()
        message = self._require(key)
        elapsed = message.elapsed(now)
        steps = lifecycle.force(message.steps, elapsed, status, reason)
        updated = self.engine.store.update_message(self.space.name, key, lambda m: m.evolve(steps=steps))
        self._fire(updated.key, Event(elapsed, "primary", status, reason))
        return updated.at(now)

    def reply(self, key: str, text: str | None, media: Media | None = None) -> MessageView:
        """An inbound reply from the recipient, now; the provider reports it and may call back."""
        now = self.now()
        message = self._require(key)
        elapsed = message.elapsed(now)
        reply = Reply(elapsed, text, media)

        def add(m: Message) -> Message:
            return m.evolve(replies=(*m.replies, reply), steps=lifecycle.with_reply(m.steps, elapsed))

        updated = self.engine.store.update_message(self.space.name, key, add)
        self._fire(updated.key, Event(elapsed, "reply", statuses.REPLIED, None, reply))
        return updated.at(now)

    def _require(self, key: str) -> Message:
        message = self.engine.store.get_message(self.space.name, key)
        if message is None:
            raise NotFound("message", key)
        return message

    # Provider records: chats, tokens, batches
    def put_record(self, provider: str, kind: str, key: str, value: dict) -> None:
        self.engine.store.put_record(self.space.name, f"{provider}:{kind}", key, value)

    def get_record(self, provider: str, kind: str, key: str) -> dict | None:
        return self.engine.store.get_record(self.space.name, f"{provider}:{kind}", key)

    def records(self, provider: str, kind: str) -> list[dict]:
        return self.engine.store.records(self.space.name, f"{provider}:{kind}")

    # Journal
    def record(self, kind: str, **data) -> dict:
        return self.engine.journal.record(self.space.name, kind, self.now(), **data)

    def journal(self, kind: str | None = None) -> list[dict]:
        return self.engine.journal.entries(self.space.name, kind)

    # Events and callbacks
    def _schedule(self, message: Message) -> None:
        for event in lifecycle.events(message.steps, message.fallback, message.replies):
            job = {"kind": "event", "message": message.key, "event": event.to_dict()}
            self.space.scheduler.at(message.created_at + event.after, job)

    def _run_job(self, job: dict) -> None:
        """Run a scheduled job descriptor (see `_schedule` and `_deliver`)."""
        if job["kind"] == "event":
            self._fire(job["message"], Event.from_dict(job["event"]))
        elif job["kind"] == "webhook":
            delivery, policy = Delivery.from_dict(job["delivery"]), RetryPolicy.from_dict(job["policy"])
            self._deliver(delivery, policy, job["message"], job["attempt"])
        else:
            raise ValueError(f"unknown scheduled job kind {job['kind']!r}")

    def _fire(self, key: str, event: Event) -> None:
        message = self.engine.store.record_status(self.space.name, key, self.now())  # keeps the status index
        if message is None or not self._still_happens(message, event):
            return
        view = message.at(message.created_at + event.after)
        self.record(
            "transition",
            message=key,
            leg=event.leg,
            status=event.status,
            reason=event.reason,
            at=message.created_at + event.after,
        )
        hooks = self.engine.hooks.get(message.provider)
        if hooks is None or hooks.callbacks is None:
            return
        for delivery in hooks.callbacks(view, event, self):
            self.send(delivery, hooks.retry, key)

    @staticmethod
    def _still_happens(message: Message, event: Event) -> bool:
        """A forced transition drops later steps; their scheduled events must not fire."""
        if event.leg == "reply":
            return event.reply in message.replies
        steps = message.steps if event.leg == "primary" else message.fallback
        return lifecycle.Step(event.after, event.status, event.reason) in steps

    def send(self, delivery: Delivery, policy: RetryPolicy, message_key: str | None = None) -> None:
        """Send a webhook now (on the pool), retrying per `policy` on the simulated clock."""
        self._deliver(delivery, policy, message_key, 1)

    def _deliver(self, delivery: Delivery, policy: RetryPolicy, message_key: str | None, attempt: int) -> None:
        def record(attempt: Attempt) -> None:
            self.engine.journal.record(self.space.name, "webhook", attempt.at, message=message_key, **attempt.__dict__)

        def retry(due: float, next_attempt: int) -> None:
            job = {
                "kind": "webhook",
                "delivery": delivery.to_dict(),
                "policy": policy.to_dict(),
                "message": message_key,
                "attempt": next_attempt,
            }
            self.space.scheduler.at(due, job)

        lane = f"{self.space.name}:{message_key or delivery.url}"
        self.engine.sender.send(delivery, policy, self.space.clock, record, lane, retry, attempt)
