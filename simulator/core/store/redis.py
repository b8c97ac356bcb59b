"""The shared backend: state in Redis, so many workers and hosts behave as one simulator.

Every check-and-change happens inside Redis: Lua scripts for sequences, charges, the sliding window,
the journal and the due-set (each script runs atomically), WATCH/MULTI for changes computed in
Python (a message or a small value changed by a callable).

Keys: `sim:<namespace, percent-quoted>:<what>`; the quoting keeps colons and glob characters out of
the namespace part, so one namespace's keys never match another's pattern.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, unquote

import redis
from redis.exceptions import LockError, WatchError

from simulator.core.messages import Message
from simulator.core.store.base import Store

log = logging.getLogger(__name__)

LEASE_SECONDS = 30.0  # a crashed worker's lock frees itself after this long
_STRIPES = 64

_ADD_ORDERED = """
local fresh = redis.call('EXISTS', KEYS[1]) == 0
redis.call('SET', KEYS[1], ARGV[2])
if fresh then redis.call('RPUSH', KEYS[2], ARGV[1]) end
"""

_PUT_RECORD = """
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
"""

_NEXT_SEQUENCE = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return tonumber(ARGV[2]) end
return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
"""

# Numbers leave Lua as strings: Redis would truncate a Lua number to an integer.
_CHARGE = """
local stored = redis.call('HGET', KEYS[1], ARGV[1])
local balance = tonumber(stored or ARGV[3])
local amount = tonumber(ARGV[2])
if amount > balance + 1e-9 then return {0, string.format('%.17g', balance)} end
local after = math.floor((balance - amount) * 1e6 + 0.5) / 1e6
local text = string.format('%.17g', after)
redis.call('HSET', KEYS[1], ARGV[1], text)
return {1, text}
"""

# Hits at or before now - window have left the window (as in the memory store).
_HIT_WINDOW = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.17g', now - window))
local allowed = 0
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], ARGV[1], redis.call('INCR', KEYS[2]))
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {allowed, string.format('%.17g', tonumber(oldest[2]) + window - now)}
"""

# Entries are stored as "<time>\t<json>" so trimming by age needs no JSON decoding.
_APPEND_JOURNAL = """
redis.call('RPUSH', KEYS[1], ARGV[1])
local max_entries, oldest_kept = tonumber(ARGV[2]), tonumber(ARGV[3])
if max_entries <= 0 then redis.call('DEL', KEYS[1]) return end
redis.call('LTRIM', KEYS[1], -max_entries, -1)
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head or tonumber(string.match(head, '^[^\\t]*')) >= oldest_kept then break end
  redis.call('LPOP', KEYS[1])
end
"""

# Members are "<20-digit sequence><json>": equal due times keep scheduling order.
_SCHEDULE = """
local order = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], ARGV[1], string.format('%020d', order) .. ARGV[2])
"""

_CLAIM_DUE = """
local found = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
return found[1]
"""


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class RedisStore(Store):
    shared_across_processes = True

    def __init__(self, url: str, client: redis.Redis | None = None) -> None:
        self.url = url
        self._client = client or redis.Redis.from_url(url, decode_responses=True)
        try:
            self._client.ping()
        except redis.RedisError as exc:
            raise ValueError(f"cannot reach Redis at {url}: {exc}") from exc
        self._stripes = [threading.Lock() for _ in range(_STRIPES)]
        scripts = {
            "add_ordered": _ADD_ORDERED,
            "put_record": _PUT_RECORD,
            "next_sequence": _NEXT_SEQUENCE,
            "charge": _CHARGE,
            "hit_window": _HIT_WINDOW,
            "append_journal": _APPEND_JOURNAL,
            "schedule": _SCHEDULE,
            "claim_due": _CLAIM_DUE,
        }
        self._scripts = {name: self._client.register_script(text) for name, text in scripts.items()}

    # Keys and helpers
    @staticmethod
    def _base(namespace: str) -> str:
        return f"sim:{quote(namespace, safe='')}:"

    def _key(self, namespace: str, what: str) -> str:
        return self._base(namespace) + what

    def _run(self, script: str, keys: list[str], args: list) -> Any:
        return self._scripts[script](keys=keys, args=args)

    def _change_watched(self, key: str, read: Callable, write: Callable, change: Callable, skip_absent: bool) -> Any:
        """Read, change in Python and write one key, retrying when another process wrote it meanwhile.
        Threads of this process queue on a local lock first, so they never make each other retry."""
        with self._stripes[hash(key) % _STRIPES], self._client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    current = read(pipe)
                    if current is None and skip_absent:
                        pipe.unwatch()
                        return None
                    updated = change(current)
                    pipe.multi()
                    write(pipe, updated)
                    pipe.execute()
                    return updated
                except WatchError:
                    continue

    # Messages
    def add_message(self, namespace: str, message: Message) -> None:
        keys = [self._key(namespace, f"m:{message.key}"), self._key(namespace, "mo")]
        self._run("add_ordered", keys, [message.key, _dump(message.to_dict())])

    def get_message(self, namespace: str, key: str) -> Message | None:
        raw = self._client.get(self._key(namespace, f"m:{key}"))
        return Message.from_dict(json.loads(raw)) if raw is not None else None

    def update_message(self, namespace: str, key: str, change: Callable[[Message], Message]) -> Message | None:
        name = self._key(namespace, f"m:{key}")

        def read(pipe) -> Message | None:
            raw = pipe.get(name)
            return Message.from_dict(json.loads(raw)) if raw is not None else None

        def write(pipe, message: Message) -> None:
            pipe.set(name, _dump(message.to_dict()))

        return self._change_watched(name, read, write, change, skip_absent=True)

    def messages(self, namespace: str) -> list[Message]:
        keys = self._client.lrange(self._key(namespace, "mo"), 0, -1)
        if not keys:
            return []
        raws = self._client.mget([self._key(namespace, f"m:{key}") for key in keys])
        return [Message.from_dict(json.loads(raw)) for raw in raws if raw is not None]

    # Provider records
    def put_record(self, namespace: str, kind: str, key: str, value: dict) -> None:
        keys = [self._key(namespace, f"r:{kind}"), self._key(namespace, f"ro:{kind}")]
        self._run("put_record", keys, [key, _dump(value)])

    def get_record(self, namespace: str, kind: str, key: str) -> dict | None:
        raw = self._client.hget(self._key(namespace, f"r:{kind}"), key)
        return json.loads(raw) if raw is not None else None

    def records(self, namespace: str, kind: str) -> list[dict]:
        pipe = self._client.pipeline(transaction=True)
        pipe.lrange(self._key(namespace, f"ro:{kind}"), 0, -1)
        pipe.hgetall(self._key(namespace, f"r:{kind}"))
        order, values = pipe.execute()
        return [json.loads(values[key]) for key in order if key in values]

    # Counters and money
    def next_sequence(self, namespace: str, name: str, start: int) -> int:
        return int(self._run("next_sequence", [self._key(namespace, "seq")], [name, start]))

    def charge(self, namespace: str, account: str, amount: float, initial: float) -> tuple[bool, float]:
        keys = [self._key(namespace, "bal")]
        charged, balance = self._run("charge", keys, [account, repr(amount), repr(initial)])
        return bool(charged), float(balance)

    def balance(self, namespace: str, account: str, initial: float) -> float:
        raw = self._client.hget(self._key(namespace, "bal"), account)
        return float(raw) if raw is not None else initial

    def set_balance(self, namespace: str, account: str, value: float) -> None:
        self._client.hset(self._key(namespace, "bal"), account, repr(float(value)))

    # Throttling
    def hit_window(self, namespace: str, key: str, now: float, window: float, limit: int) -> tuple[bool, float]:
        keys = [self._key(namespace, f"w:{key}"), self._key(namespace, "hits")]
        allowed, reset = self._run("hit_window", keys, [repr(now), repr(window), limit])
        return bool(allowed), float(reset)

    # Journal
    def append_journal(self, namespace: str, entry: dict, max_entries: int, max_age: float, now: float) -> None:
        line = f"{entry['time']!r}\t{json.dumps(entry, ensure_ascii=False, default=str)}"
        keys = [self._key(namespace, "journal")]
        self._run("append_journal", keys, [line, max_entries, repr(now - max_age)])

    def journal(self, namespace: str) -> list[dict]:
        lines = self._client.lrange(self._key(namespace, "journal"), 0, -1)
        return [json.loads(line.partition("\t")[2]) for line in lines]

    # Small values
    def get_value(self, namespace: str, name: str) -> Any | None:
        raw = self._client.hget(self._key(namespace, "values"), name)
        return json.loads(raw) if raw is not None else None

    def update_value(self, namespace: str, name: str, change: Callable[[Any | None], Any]) -> Any:
        key = self._key(namespace, "values")

        def read(pipe) -> Any | None:
            raw = pipe.hget(key, name)
            return json.loads(raw) if raw is not None else None

        def write(pipe, value: Any) -> None:
            pipe.hset(key, name, _dump(value))

        return self._change_watched(key, read, write, change, skip_absent=False)

    # Due-set
    def schedule(self, namespace: str, due: float, job: dict) -> None:
        keys = [self._key(namespace, "due"), self._key(namespace, "due-order")]
        self._run("schedule", keys, [repr(due), _dump(job)])

    def claim_due(self, namespace: str, now: float) -> dict | None:
        member = self._scripts["claim_due"](keys=[self._key(namespace, "due")], args=[repr(now)])
        return json.loads(member[20:]) if member else None

    def next_due(self, namespace: str) -> float | None:
        first = self._client.zrange(self._key(namespace, "due"), 0, 0, withscores=True)
        return first[0][1] if first else None

    def pending_jobs(self, namespace: str) -> int:
        return self._client.zcard(self._key(namespace, "due"))

    @contextmanager
    def exclusive(self, namespace: str, name: str, wait: float) -> Iterator[bool]:
        lock = self._client.lock(
            self._key(namespace, f"lock:{name}"),
            timeout=LEASE_SECONDS,
            sleep=0.005,
            blocking=wait > 0,
            blocking_timeout=wait if wait > 0 else None,
        )
        held = lock.acquire()
        try:
            yield held
        finally:
            if held:
                try:
                    lock.release()
                except LockError:  # expired or reset meanwhile; someone else may hold it now
                    log.warning("lock %s of namespace %s was lost before release", name, namespace)

    # Whole namespaces
    def reset(self, namespace: str | None = None) -> None:
        pattern = "sim:*" if namespace is None else self._base(namespace) + "*"
        batch = []
        for key in self._client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                self._client.unlink(*batch)
                batch.clear()
        if batch:
            self._client.unlink(*batch)

    def namespaces(self) -> list[str]:
        """Namespaces that hold anything; a scan of the keys, as this is rarely asked."""
        return sorted({unquote(key.split(":", 2)[1]) for key in self._client.scan_iter(match="sim:*", count=1000)})
