"""The embedded default: everything in this process's memory, guarded by one lock.

Messages are kept packed (`Message.pack`: plain tuples the garbage collector stops tracking), each
with its creation sequence and its last indexed status appended. The indexes are lists of keys in
the order they joined (8 bytes a key); an entry whose message left or changed is skipped when read
and dropped when the list is compacted, so no write ever searches a list. Scheduled jobs and the journal's
entries (a request's aside) are kept out of the collector's sight too (see _Space): what sends leave behind
no longer has it walk the store in full every few seconds under load.
"""

from __future__ import annotations

import heapq
import itertools
import marshal
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from simulator.core import statuses
from simulator.core.journal import RequestEntry, as_entry, entry_time, tally
from simulator.core.messages import PACKED_FIELDS, Message
from simulator.core.scenarios import digits
from simulator.core.store.base import CLOCK_SLACK, Charge, MessageQuery, Page, Retention, Store

_FIELD = {name: index for index, name in enumerate(PACKED_FIELDS)}
PROVIDER, CHANNEL, ACCOUNT = _FIELD["provider"], _FIELD["channel"], _FIELD["account"]
RECIPIENT, TEXT, CREATED, GROUP = _FIELD["recipient"], _FIELD["text"], _FIELD["created_at"], _FIELD["group"]
SEQ, STATUS = len(PACKED_FIELDS), len(PACKED_FIELDS) + 1  # what this store appends to a packed record

# A status list is read sorted when it holds fewer than 1/DENSE of the candidates another index gives;
# otherwise walking creation order and checking the status finds a page within ~DENSE entries a match.
DENSE = 8
# Lists are compacted when they hold more dead entries than live ones (and at least this many).
COMPACT_AFTER = 1024


class _Keys:
    """Keys in the order they joined an index; dead entries are skipped on reading."""

    __slots__ = ("dead", "keys")

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.dead = 0

    def __len__(self) -> int:
        return len(self.keys) - self.dead


def _recipient(record: tuple) -> str:
    recipient = record[RECIPIENT]
    return recipient if recipient.isdigit() else digits(recipient)


# Each index: the value a record is listed under (None: not listed).
INDEXED: dict[str, Callable[[tuple], Any]] = {
    "provider": lambda record: record[PROVIDER],
    "channel": lambda record: record[CHANNEL],
    "account": lambda record: record[ACCOUNT],
    "group": lambda record: record[GROUP],
    "recipient": _recipient,
}


class _Space:
    def __init__(self) -> None:
        self.messages: dict[str, tuple] = {}  # key -> packed message + (sequence, indexed status)
        self.sequence = itertools.count()
        self.order = _Keys([])  # every key, in creation order
        # name -> value -> keys, or the one key listed under the value
        self.index: dict[str, dict[Any, _Keys | str]] = {name: {} for name in INDEXED}
        self.status: dict[str | None, _Keys | str] = {}  # in the order messages reached the status
        self.counts: Counter[tuple] = Counter()  # (provider, channel, account, status) -> messages
        self.upcoming: dict[str, float] = {}  # key -> instant of its next event, while it has one
        self.upcoming_heap: list[tuple[float, str]] = []  # the same, earliest first (stale entries skipped)
        self.horizon = float("-inf")  # the latest instant a status was indexed at
        self.pins: Counter[str] = Counter()  # key -> scheduled jobs naming it
        self.settled: dict[bool, list[tuple[int, str]]] = {True: [], False: []}  # final? -> heap of (seq, key)
        self.evicted = 0
        self.records: dict[str, dict[str, dict]] = defaultdict(dict)
        self.sequences: dict[str, int] = {}
        self.balances: dict[str, float] = {}
        self.windows: dict[str, deque[float]] = defaultdict(deque)
        # Entries oldest first (a request's is masked when first read), and the (tally, time) of each alongside:
        # an entry inside a tuple would keep the tuple in the garbage collector's sight (see _Space.due).
        self.journal: deque[dict | RequestEntry] = deque()
        self.journal_marks: deque[tuple[str, float]] = deque()
        self.journal_counts: Counter[str] = Counter()  # tally -> entries held (none at 0: deleted)
        self.values: dict[str, Any] = {}
        # A heap of (due, order, job as marshal bytes); the order keeps ties in scheduling order. Each send leaves
        # jobs waiting seconds: as dicts, they and their tuples were what the collector walked most under load
        # (a tuple holding a dict is never untracked), and made it collect in full every few seconds.
        self.due: list[tuple[float, int, bytes]] = []

    @staticmethod
    def list_under(keys_by_value: dict, value: Any, key: str) -> None:
        found = keys_by_value.get(value)
        if found is None:
            keys_by_value[value] = key  # most groups and recipients have one message: no list for it
        elif type(found) is str:
            keys_by_value[value] = _Keys([found, key])
        else:
            found.keys.append(key)

    @staticmethod
    def unlist(keys_by_value: dict, value: Any, key: str, valid: Callable[[str], bool]) -> None:
        """`key` left `value`; a list compacts itself once its dead entries outnumber the live ones."""
        found = keys_by_value.get(value)
        if found is None or type(found) is str:
            if found == key:
                del keys_by_value[value]
            return
        found.dead += 1
        if found.dead > COMPACT_AFTER and found.dead > len(found):
            found.keys = list(dict.fromkeys(key for key in found.keys if valid(key)))
            found.dead = 0
        if found.dead >= len(found.keys):
            del keys_by_value[value]

    def listed(self, name: str, value: Any) -> Callable[[str], bool]:
        """Whether a key still belongs under `value` of index `name`."""
        extract = INDEXED[name]

        def valid(key: str) -> bool:
            record = self.messages.get(key)
            return record is not None and extract(record) == value

        return valid

    def in_status(self, status: str | None) -> Callable[[str], bool]:
        def valid(key: str) -> bool:
            record = self.messages.get(key)
            return record is not None and record[STATUS] == status

        return valid


def _combo(record: tuple) -> tuple:
    return record[PROVIDER], record[CHANNEL], record[ACCOUNT], record[STATUS]


def _countable(where: MessageQuery) -> bool:
    """Whether the counters alone (provider, channel, account, status) answer how many match `where`."""
    checked = (where.contains, where.recipient_contains, where.since, where.id, where.group, where.recipient)
    return all(value is None for value in checked)


# Messages a client reads again (a report polled until delivered, an inbox page) are kept unpacked, store-wide:
# id(record) -> (record, message). A rewritten record is a new tuple, so an entry serves only the record it was
# made from (which it holds, so its id is not reused). Bounded, the oldest out first: unpacking cost a D7
# report 6 µs of 96 in process. Only reads add to it: kept on every write as well, each send's message
# outlived the request, and the collector's extra work cost 8 % of SMS Club sends under load.
UNPACKED_KEPT = 4096


class MemoryStore(Store):
    def __init__(self, retention: Retention | None = None) -> None:
        self.retention = retention or Retention()
        self._lock = threading.RLock()
        self._spaces: dict[str, _Space] = {}
        self._unpacked: dict[int, tuple[tuple, Message]] = {}
        self._order = itertools.count()
        self._exclusive: dict[tuple[str, str], threading.Lock] = {}

    def _space(self, namespace: str) -> _Space:
        space = self._spaces.get(namespace)
        if space is None:
            space = self._spaces[namespace] = _Space()
        return space

    # Messages: writing and indexing
    def add_message(self, namespace: str, message: Message) -> None:
        with self._lock:
            space = self._space(namespace)
            self._put(space, message, message.created_at)
            if self.retention.enabled:
                self._retain(space, message.created_at)

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
        with self._lock:  # re-entrant: the steps below take it again, all under this one hold
            balance = None
            if charge is not None:
                charged, balance = self.charge(namespace, charge.account, charge.amount, charge.initial)
                if not charged:
                    return False, balance
            for message in messages:
                self.add_message(namespace, message)
            for due, job in jobs:
                self.schedule(namespace, due, job)
            if entries:
                self.append_journal(namespace, entries, *journal_limits, now)
            return True, balance

    def _put(self, space: _Space, message: Message, now: float) -> tuple:
        """Store a message with its status at `now`, listing it in every index it is new to."""
        key = message.key
        status, upcoming = message.outlook(now)
        old = space.messages.get(key)
        seq = next(space.sequence) if old is None else old[SEQ]
        record = (*message.pack(), seq, status)
        space.messages[key] = record
        if old is None:
            space.order.keys.append(key)
        else:
            space.counts[_combo(old)] -= 1
        for name, extract in INDEXED.items():
            value, before = extract(record), extract(old) if old is not None else None
            if old is not None and value != before and before is not None:  # rewritten under another value
                space.unlist(space.index[name], before, key, space.listed(name, before))
            if value is not None and (old is None or value != before):
                space.list_under(space.index[name], value, key)
        if old is None or old[STATUS] != status:
            if old is not None:
                space.unlist(space.status, old[STATUS], key, space.in_status(old[STATUS]))
            space.list_under(space.status, status, key)
        space.counts[_combo(record)] += 1
        self._track(space, key, seq, status, upcoming)
        space.horizon = max(space.horizon, now)
        return record

    def _unpacked_message(self, key: str, record: tuple, keep: bool = True) -> Message:
        kept = self._unpacked.get(id(record))
        if kept is not None and kept[0] is record:
            return kept[1]
        message = Message.unpack(key, record)
        if keep:
            self._keep_unpacked(record, message)
        return message

    def _keep_unpacked(self, record: tuple, message: Message) -> None:
        unpacked = self._unpacked
        if len(unpacked) >= UNPACKED_KEPT:
            del unpacked[next(iter(unpacked))]
        unpacked[id(record)] = (record, message)

    def _track(self, space: _Space, key: str, seq: int, status: str | None, upcoming: float | None) -> None:
        """Remember when the indexed status of `key` may next change, or that nothing is left to happen."""
        if upcoming is None:
            space.upcoming.pop(key, None)
            if self.retention.enabled:
                heapq.heappush(space.settled[status in statuses.FINAL], (seq, key))
        elif space.upcoming.get(key) != upcoming:
            space.upcoming[key] = upcoming
            heap = space.upcoming_heap
            heapq.heappush(heap, (upcoming, key))
            while space.upcoming.get(heap[0][1]) != heap[0][0]:  # passed events, not yet read: drop them
                heapq.heappop(heap)

    def _restatus(self, space: _Space, key: str, now: float) -> Message | None:
        record = space.messages.get(key)
        if record is None:
            return None
        message = self._unpacked_message(key, record, keep=False)
        status, upcoming = message.outlook(now)
        if status != record[STATUS]:
            space.counts[_combo(record)] -= 1
            old = record[STATUS]
            kept = self._unpacked.pop(id(record), None)
            record = space.messages[key] = (*record[:STATUS], status)
            if kept is not None:  # the same message under its new record: still kept for its readers
                self._unpacked[id(record)] = (record, message)
            space.unlist(space.status, old, key, space.in_status(old))
            space.counts[_combo(record)] += 1
            space.list_under(space.status, status, key)
        self._track(space, key, record[SEQ], status, upcoming)
        space.horizon = max(space.horizon, now)
        return message

    def _catch_up(self, space: _Space, now: float) -> None:
        """Bring every indexed status that may have changed by `now` up to date."""
        if now < space.horizon - CLOCK_SLACK:  # the clock went back: statuses may have been undone
            space.horizon = now
            for key in list(space.messages):
                self._restatus(space, key, now)
            space.horizon = now
            return
        heap = space.upcoming_heap
        while heap and heap[0][0] <= now:
            due, key = heapq.heappop(heap)
            if space.upcoming.get(key) == due:
                self._restatus(space, key, now)

    def get_message(self, namespace: str, key: str) -> Message | None:
        with self._lock:
            record = self._space(namespace).messages.get(key)
            return self._unpacked_message(key, record) if record is not None else None

    def update_message(self, namespace: str, key: str, change: Callable[[Message], Message]) -> Message | None:
        with self._lock:
            space = self._space(namespace)
            record = space.messages.get(key)
            if record is None:
                return None
            updated = change(Message.unpack(key, record))
            # indexed as of the last instant this namespace saw; a changed timeline is caught up on read
            self._put(space, updated, max(space.horizon, updated.created_at))
            space.upcoming[key] = float("-inf")
            heapq.heappush(space.upcoming_heap, (float("-inf"), key))
            return updated

    def record_status(self, namespace: str, key: str, now: float) -> Message | None:
        with self._lock:
            space = self._space(namespace)
            message = self._restatus(space, key, now)
            if message is not None and self.retention.enabled:
                self._retain(space, now)
            return message

    def record_statuses(self, namespace: str, keys: list[str], now: float) -> list[Message | None]:
        return [self.record_status(namespace, key, now) for key in keys]

    def messages(self, namespace: str) -> list[Message]:
        with self._lock:
            return [Message.unpack(key, record) for key, record in self._space(namespace).messages.items()]

    # Messages: reading
    def query(
        self,
        namespace: str,
        where: MessageQuery,
        now: float,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> Page:
        with self._lock:
            space = self._spaces.get(namespace)
            if space is None or (where.group is not None and where.group not in space.index["group"]):
                return Page(0, [])  # none there, or a batch nobody sent (a report of an unknown id)
            self._catch_up(space, now)
            total, keys = self._select(space, where, limit, offset, oldest_first)
            return Page(total, [self._unpacked_message(key, space.messages[key]) for key in keys])

    def _select(
        self, space: _Space, where: MessageQuery, limit: int | None, offset: int, oldest_first: bool
    ) -> tuple[int, list[str]]:
        messages = space.messages
        matches = self._matcher(space, where)
        source = self._source(space, where)
        by_status = space.status.get(where.status, []) if where.status is not None else []
        by_status = [by_status] if type(by_status) is str else by_status
        if where.status is not None and len(by_status) * DENSE < len(source):
            # few messages in this status: sort them by creation rather than walk creation order
            found = sorted(
                {key for key in (by_status.keys if isinstance(by_status, _Keys) else by_status) if matches(key)},
                key=lambda key: messages[key][SEQ],
                reverse=not oldest_first,
            )
            end = None if limit is None else offset + limit
            return len(found), found[offset:end]
        keys = source.keys if isinstance(source, _Keys) else source
        countable = _countable(where)
        page: list[str] = []
        total = 0
        for key in keys if oldest_first else reversed(keys):
            if not matches(key):
                continue
            if total >= offset and (limit is None or len(page) < limit):
                page.append(key)
            total += 1
            if countable and limit is not None and len(page) >= limit:
                total = sum(self._counts(space, where).values())
                break
        return total, page

    @staticmethod
    def _matcher(space: _Space, where: MessageQuery) -> Callable[[str], bool]:
        """Whether the message under a key (listed in some index, perhaps dead) matches `where`."""
        messages = space.messages
        wanted_digits = digits(where.recipient) if where.recipient is not None else None

        def matches(key: str) -> bool:
            record = messages.get(key)
            return record is not None and (
                (where.provider is None or record[PROVIDER] == where.provider)
                and (where.channel is None or record[CHANNEL] == where.channel)
                and (where.account is None or record[ACCOUNT] == where.account)
                and (where.group is None or record[GROUP] == where.group)
                and (wanted_digits is None or _recipient(record) == wanted_digits)
                and (where.status is None or record[STATUS] == where.status)
                and (where.contains is None or where.contains in (record[TEXT] or ""))
                and (where.recipient_contains is None or where.recipient_contains in record[RECIPIENT])
                and (where.since is None or record[CREATED] >= where.since)
                and (where.id is None or key == f"{record[PROVIDER]}:{where.id}")
            )

        return matches

    @staticmethod
    def _source(space: _Space, where: MessageQuery) -> list[str] | _Keys:
        """The smallest list, in creation order, that holds every match (status aside)."""
        messages = space.messages
        sources: list[list[str] | _Keys] = [space.order]
        if where.id is not None:
            named = [key for provider in space.index["provider"] if (key := f"{provider}:{where.id}") in messages]
            sources.append(sorted(named, key=lambda key: messages[key][SEQ]))
        for name, keys_by_value in space.index.items():
            wanted = getattr(where, name)
            if wanted is not None:
                found = keys_by_value.get(digits(wanted) if name == "recipient" else wanted, [])
                sources.append([found] if type(found) is str else found)
        return min(sources, key=len)

    @staticmethod
    def _counts(space: _Space, where: MessageQuery) -> Counter[str | None]:
        """Status -> matches of a query on provider, channel, account and status alone, from the counters."""
        wanted = (where.provider, where.channel, where.account, where.status)
        found: Counter[str | None] = Counter()
        for combo, count in space.counts.items():
            if count and all(value is None or value == have for value, have in zip(wanted, combo, strict=True)):
                found[combo[3]] += count
        return found

    def status_counts(self, namespace: str, where: MessageQuery, now: float) -> dict[str | None, int]:
        with self._lock:
            space = self._spaces.get(namespace)
            if space is None:
                return {}
            self._catch_up(space, now)
            if _countable(where):
                return dict(self._counts(space, where))
            matches = self._matcher(space, where)
            source = self._source(space, where)
            keys = source.keys if isinstance(source, _Keys) else source
            messages = space.messages
            # an index list may name a key twice (it left a value and came back): count each once
            return dict(Counter(messages[key][STATUS] for key in dict.fromkeys(keys) if matches(key)))

    def count_messages(self, namespace: str) -> int:
        with self._lock:
            space = self._spaces.get(namespace)
            return len(space.messages) if space is not None else 0

    def message_counts(self, namespace: str, now: float) -> dict[tuple[str, str | None], int]:
        with self._lock:
            space = self._space(namespace)
            self._catch_up(space, now)
            counts: Counter[tuple[str, str | None]] = Counter()
            for (provider, _, _, status), count in space.counts.items():
                if count:
                    counts[provider, status] += count
            return dict(counts)

    # Retention
    def _retain(self, space: _Space, now: float) -> None:
        """Evict what the retention policy no longer keeps: settled messages, oldest first,
        those in a final status before the others."""
        retention = self.retention
        for final in (True, False):
            while (found := self._oldest_settled(space, final)) is not None:
                key, record = found
                too_many = retention.count is not None and len(space.messages) > retention.count
                too_old = retention.age is not None and record[CREATED] < now - retention.age
                if not (too_many or too_old):
                    break
                heapq.heappop(space.settled[final])
                self._evict(space, key, record)

    @staticmethod
    def _oldest_settled(space: _Space, final: bool) -> tuple[str, tuple] | None:
        heap = space.settled[final]
        while heap:
            seq, key = heap[0]
            record = space.messages.get(key)
            if (
                record is not None
                and record[SEQ] == seq
                and key not in space.upcoming
                and (record[STATUS] in statuses.FINAL) == final
                and not space.pins.get(key)
            ):
                return key, record
            heapq.heappop(heap)  # gone, changed or pinned: a pinned one is pushed again when unpinned
        return None

    def _evict(self, space: _Space, key: str, record: tuple) -> None:
        del space.messages[key]
        space.counts[_combo(record)] -= 1
        space.upcoming.pop(key, None)
        for name, extract in INDEXED.items():
            value = extract(record)
            if value is not None:
                space.unlist(space.index[name], value, key, space.listed(name, value))
        space.unlist(space.status, record[STATUS], key, space.in_status(record[STATUS]))
        space.order.dead += 1
        if space.order.dead > COMPACT_AFTER and space.order.dead > len(space.order):
            space.order.keys = [key for key in space.order.keys if key in space.messages]
            space.order.dead = 0
        space.evicted += 1

    def evictions(self, namespace: str) -> int:
        with self._lock:
            return self._space(namespace).evicted

    # Provider records
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

    def append_journal(
        self, namespace: str, entries: list[dict | RequestEntry], max_entries: int, max_age: float, now: float
    ) -> None:
        with self._lock:
            space = self._space(namespace)
            journal, marks, counts = space.journal, space.journal_marks, space.journal_counts
            for entry in entries:
                counted = tally(entry)
                journal.append(entry)
                marks.append((counted, entry_time(entry)))
                counts[counted] += 1
            while len(journal) > max_entries or (journal and marks[0][1] < now - max_age):
                journal.popleft()
                dropped = marks.popleft()[0]
                counts[dropped] -= 1
                if not counts[dropped]:
                    del counts[dropped]

    def journal(self, namespace: str) -> list[dict]:
        with self._lock:
            return [as_entry(entry) for entry in self._space(namespace).journal]

    def journal_counts(self, namespace: str) -> dict[str, int]:
        with self._lock:
            space = self._spaces.get(namespace)
            return dict(space.journal_counts) if space is not None else {}

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
            space = self._space(namespace)
            heapq.heappush(space.due, (due, next(self._order), marshal.dumps(job)))
            if job.get("message") is not None:
                space.pins[job["message"]] += 1

    # The scheduler asks about namespaces a reset may just have dropped: asking must not bring them back.
    def claim_due(self, namespace: str, now: float, limit: int) -> list[dict]:
        with self._lock:
            space = self._spaces.get(namespace)
            claimed: list[dict] = []
            while space is not None and space.due and space.due[0][0] <= now and len(claimed) < limit:
                job = marshal.loads(heapq.heappop(space.due)[2])
                self._unpin(space, job.get("message"))
                claimed.append(job)
            return claimed

    def _unpin(self, space: _Space, key: str | None) -> None:
        if key is None or not space.pins.get(key):
            return
        space.pins[key] -= 1
        if not space.pins[key]:
            del space.pins[key]
            record = space.messages.get(key)
            if self.retention.enabled and record is not None and key not in space.upcoming:
                heapq.heappush(space.settled[record[STATUS] in statuses.FINAL], (record[SEQ], key))

    def next_due(self, namespace: str) -> float | None:
        with self._lock:
            space = self._spaces.get(namespace)
            return space.due[0][0] if space is not None and space.due else None

    def pending_jobs(self, namespace: str) -> int:
        with self._lock:
            space = self._spaces.get(namespace)
            return len(space.due) if space is not None else 0

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
            # Forget the namespaces' locks too, but never one that is held: its holder releases it.
            for key, lock in list(self._exclusive.items()):
                if (namespace is None or key[0] == namespace) and not lock.locked():
                    del self._exclusive[key]

    def namespaces(self) -> list[str]:
        with self._lock:
            return sorted(self._spaces)
