"""The shared backend: state in Redis, so many workers and hosts behave as one simulator.

Every check-and-change happens inside Redis: Lua scripts for messages and their indexes, sequences,
charges, the sliding window, the journal and the due-set (each script runs atomically), WATCH/MULTI
for changes computed in Python (a message or a small value changed by a callable).

Keys: `sim:<namespace, percent-quoted>:<what>`; the quoting keeps colons and glob characters out of
the namespace part, so one namespace's keys never match another's pattern. Messages: `m:<key>` holds
the JSON, `ix` (hash) what each key is indexed under, `i:all` and `i:<field>:<value>` sorted sets of
keys scored by creation sequence, `counts` (hash) messages per provider/channel/account/status,
`upcoming` (sorted set) the instant each key's status may next change, `settled:1|0` (sorted sets,
with retention) messages with nothing left to happen, in a final status or not, `pins` (hash) jobs
naming each message. The journal: `journal` (list) the entries, `journal:tallies` (list) each entry's
`journal.tally` at the same position, `journal:counts` (hash) entries per tally.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, unquote

import redis
from redis.backoff import NoBackoff
from redis.exceptions import LockError, WatchError
from redis.lock import Lock
from redis.retry import Retry

from simulator.core import statuses
from simulator.core.journal import RequestEntry, as_entry, tally
from simulator.core.messages import Message
from simulator.core.scenarios import digits
from simulator.core.store.base import CLOCK_SLACK, Charge, MessageQuery, Page, Retention, Store

log = logging.getLogger(__name__)

# A lock lapses this long after its holder last renewed it, so one a crashed worker (or a worker cut
# off from Redis) held frees itself soon; a holder busy longer renews it as it goes.
LEASE_SECONDS = 3.0
RENEW_AFTER = 1.0
# An outage fails requests at once instead of holding them: a short connect timeout, a bounded wait
# for an answer, and one retry on a fresh connection (a pooled one may have died with the old server).
CONNECT_TIMEOUT = 1.0
COMMAND_TIMEOUT = 10.0
_STRIPES = 64

# What a message is indexed under, joined by \\31 in `ix`: the indexed fields, then its status, whether
# that status is final, and its creation instant. An empty field is not indexed (no group).
INDEXED = ("provider", "channel", "account", "group", "recipient")
_SEP = "\x1f"
_POSITION = {**{name: number for number, name in enumerate(INDEXED)}, "status": 5}
_CREATED = 7
_CHUNK = 500  # keys per round trip when reading many
# Indexes whose keys a read usually wants all of (a request's batch, one number's messages): a read of all
# its matches from one of them gets the messages with the keys.
_WHOLE_SOURCES = frozenset({"group", "recipient"})
# A namespace's keys: these fixed ones; one per message and one per index value, found through its
# `ix` hash; and those named after a record kind or a throttle key, listed in its _NAMED set. `reset`
# deletes them from these lists, without scanning the whole database (a scheduler's lock, held
# meanwhile, is left to lapse).
_FIXED = (
    "ix", "i:all", "counts", "providers", "mseq", "evicted", "upcoming", "horizon", "settled:0", "settled:1",
    "pins", "due", "due-order", "bal", "seq", "hits", "values", "journal", "journal:tallies", "journal:counts",
)  # fmt: skip
_NAMED = "named"
# Keys listed in their namespace's _NAMED set by the scripts that write them: records and rate windows.
_LISTED_BY_NAME = ("r:", "ro:", "w:")
# The key layout a database is in, outside "sim:*" so that a full reset keeps it. A database an older
# simulator wrote (no marker) is brought up to it once, when a store first opens it: its record and window
# keys, written before the _NAMED sets were kept, are listed there, or a reset of one namespace would miss them.
LAYOUT = "sim-layout"
LAYOUT_VERSION = "1"

# Every namespace that holds anything is listed in this set (its quoted name), so listing namespaces reads
# one set instead of scanning every key of the database. Each script that may write a namespace's first
# key registers it; `reset` takes it out. Outside "sim:*" so that no namespace's keys can be confused with it.
REGISTRY = "sim-namespaces"
_REGISTER = r"""
local function register(key)
  redis.call('SADD', 'sim-namespaces', string.match(key, '^sim:([^:]*):'))
end
"""

# Shared by the message scripts; ARGV[1] is the namespace's key prefix, the retention arguments
# (count, age; empty for none) come last.
_MESSAGE_LIB = (
    _REGISTER
    + r"""
local base = ARGV[1]
local SEP = '\31'
local INDEXED = {'provider', 'channel', 'account', 'group', 'recipient'}
local count, age = tonumber(ARGV[#ARGV - 1]), tonumber(ARGV[#ARGV])
local retaining = count ~= nil or age ~= nil

local function split(text)
  local parts = {}
  for part in string.gmatch(text .. SEP, '([^' .. SEP .. ']*)' .. SEP) do parts[#parts + 1] = part end
  return parts
end

local function combo(parts)
  return table.concat({parts[1], parts[2], parts[3], parts[6]}, SEP)
end

local function unindex(key, parts)
  redis.call('ZREM', base .. 'i:all', key)
  for i, name in ipairs(INDEXED) do
    if parts[i] ~= '' then redis.call('ZREM', base .. 'i:' .. name .. ':' .. parts[i], key) end
  end
  redis.call('ZREM', base .. 'i:status:' .. parts[6], key)
  redis.call('HINCRBY', base .. 'counts', combo(parts), -1)
end

local function index(key, seq, parts)
  redis.call('ZADD', base .. 'i:all', seq, key)
  for i, name in ipairs(INDEXED) do
    if parts[i] ~= '' then redis.call('ZADD', base .. 'i:' .. name .. ':' .. parts[i], seq, key) end
  end
  redis.call('ZADD', base .. 'i:status:' .. parts[6], seq, key)
  redis.call('HINCRBY', base .. 'counts', combo(parts), 1)
  redis.call('HSET', base .. 'ix', key, table.concat(parts, SEP))
end

-- when the indexed status may next change; with retention, settled messages queue for eviction
local function track(key, seq, upcoming, final)
  if upcoming == '' then
    redis.call('ZREM', base .. 'upcoming', key)
    if retaining then redis.call('ZADD', base .. 'settled:' .. final, seq, key) end
  else
    redis.call('ZADD', base .. 'upcoming', upcoming, key)
  end
end

local function see(now)
  local horizon = tonumber(redis.call('GET', base .. 'horizon'))
  if horizon == nil or horizon < tonumber(now) then redis.call('SET', base .. 'horizon', now) end
end

local function oldest_settled(final)
  local queue = base .. 'settled:' .. final
  while true do
    local top = redis.call('ZRANGE', queue, 0, 0, 'WITHSCORES')
    if #top == 0 then return nil end
    local key = top[1]
    local ix = redis.call('HGET', base .. 'ix', key)
    if ix and redis.call('ZSCORE', base .. 'i:all', key) == top[2]
        and not redis.call('ZSCORE', base .. 'upcoming', key) and not redis.call('HGET', base .. 'pins', key) then
      local parts = split(ix)
      if parts[7] == final then return key, parts end
    end
    redis.call('ZREM', queue, key)  -- gone, changed or pinned: a pinned one is queued again when unpinned
  end
end

-- store a message and index it (an update keeps the indexed status, due for a re-check)
local function put(key, json, parts, upcoming, now, mode)
  local old = redis.call('HGET', base .. 'ix', key)
  local seq
  if old then
    local before = split(old)
    seq = redis.call('ZSCORE', base .. 'i:all', key)
    if mode == 'update' then parts[6], parts[7], upcoming = before[6], before[7], '-inf' end
    unindex(key, before)
  else
    seq = redis.call('INCR', base .. 'mseq')
    redis.call('SADD', base .. 'providers', parts[1])
    register(base)
  end
  redis.call('SET', base .. 'm:' .. key, json)
  index(key, seq, parts)
  track(key, seq, upcoming, parts[7])
  see(now)
end

local function retain(now)
  for _, final in ipairs({'1', '0'}) do
    while true do
      local key, parts = oldest_settled(final)
      if not key then break end
      local too_many = count ~= nil and redis.call('ZCARD', base .. 'i:all') > count
      local too_old = age ~= nil and tonumber(parts[8]) < tonumber(now) - age
      if not (too_many or too_old) then break end
      redis.call('ZREM', base .. 'settled:' .. final, key)
      unindex(key, parts)
      redis.call('DEL', base .. 'm:' .. key)
      redis.call('HDEL', base .. 'ix', key)
      redis.call('INCR', base .. 'evicted')
    end
  end
end
"""
)

# Journal entries are stored as "<time>\t<json>" so trimming by age needs no JSON decoding. The tallies
# list moves in lockstep with the entries (pushed with each, popped with each), so a trim knows which
# count each dropped entry leaves.
_JOURNAL_LIB = r"""
local function journal_push(journal, line, tally)
  redis.call('RPUSH', journal, line)
  redis.call('RPUSH', journal .. ':tallies', tally)
  redis.call('HINCRBY', journal .. ':counts', tally, 1)
end

local function journal_drop(journal)
  redis.call('LPOP', journal)
  -- entries journalled before tallies were kept have none: they leave without one
  if redis.call('LLEN', journal .. ':tallies') <= redis.call('LLEN', journal) then return end
  local tally, counts = redis.call('LPOP', journal .. ':tallies'), journal .. ':counts'
  if redis.call('HINCRBY', counts, tally, -1) <= 0 then redis.call('HDEL', counts, tally) end
end

local function journal_trim(journal, max_entries, oldest_kept)
  if max_entries <= 0 then
    redis.call('DEL', journal, journal .. ':tallies', journal .. ':counts')
    return
  end
  for _ = max_entries + 1, redis.call('LLEN', journal) do journal_drop(journal) end
  while true do
    local head = redis.call('LINDEX', journal, 0)
    if not head or tonumber(string.match(head, '^[^\t]*')) >= oldest_kept then break end
    journal_drop(journal)
  end
end
"""

# ARGV: base, key, json, the 8 index parts, upcoming, now, mode (add|update), count, age.
# An update keeps the indexed status and marks it due for a re-check (the caller records it).
_PUT_MESSAGE = (
    _MESSAGE_LIB
    + r"""
local parts = {ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11]}
put(ARGV[2], ARGV[3], parts, ARGV[12], ARGV[13], ARGV[14])
if retaining then retain(ARGV[13]) end
"""
)

# A send, all or nothing. ARGV: base; charge account (empty: none), amount, initial balance; the
# number of messages, then per message its key, JSON, 8 index parts, upcoming and now; the number
# of jobs, then per job its due instant, member and the message it names (or empty); the number of
# journal entries, then per entry its line and its tally; the journal's max entries and oldest time
# kept; count, age.
_SUBMIT = (
    _MESSAGE_LIB
    + _JOURNAL_LIB
    + r"""
-- sent again after a lost answer (a retry on a fresh connection): it already happened, all of it
if tonumber(ARGV[5]) > 0 and redis.call('EXISTS', base .. 'm:' .. ARGV[6]) == 1 then
  return {1, ARGV[2] ~= '' and redis.call('HGET', base .. 'bal', ARGV[2]) or false}
end
local balance = false
if ARGV[2] ~= '' then
  local stored = tonumber(redis.call('HGET', base .. 'bal', ARGV[2]) or ARGV[4])
  local amount = tonumber(ARGV[3])
  if amount > stored + 1e-9 then return {0, string.format('%.17g', stored)} end
  balance = string.format('%.17g', math.floor((stored - amount) * 1e6 + 0.5) / 1e6)
  redis.call('HSET', base .. 'bal', ARGV[2], balance)
end
local i = 5
local now = nil
for _ = 1, tonumber(ARGV[i]) do
  local parts = {}
  for part = 1, 8 do parts[part] = ARGV[i + 2 + part] end
  now = ARGV[i + 12]
  put(ARGV[i + 1], ARGV[i + 2], parts, ARGV[i + 11], now, 'add')
  i = i + 12
end
i = i + 1
for _ = 1, tonumber(ARGV[i]) do
  local order = redis.call('INCR', base .. 'due-order')
  redis.call('ZADD', base .. 'due', ARGV[i + 1], string.format('%020d', order) .. ARGV[i + 2])
  if ARGV[i + 3] ~= '' then redis.call('HINCRBY', base .. 'pins', ARGV[i + 3], 1) end
  i = i + 3
end
i = i + 1
local lines = tonumber(ARGV[i])
local journal = base .. 'journal'
for _ = 1, lines do
  journal_push(journal, ARGV[i + 1], ARGV[i + 2])
  i = i + 2
end
if lines > 0 then
  redis.call('PUBLISH', 'sim:journalled', journal)
  journal_trim(journal, tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]))
end
if retaining and now then retain(now) end
return {1, balance}
"""
)

# ARGV: base, key, the JSON the status was computed from, status, final, upcoming, now, count, age.
# Returns 0 (and changes nothing) when the message changed meanwhile.
_SET_STATUS = (
    _MESSAGE_LIB
    + r"""
local key = ARGV[2]
if redis.call('GET', base .. 'm:' .. key) ~= ARGV[3] then return 0 end
local parts = split(redis.call('HGET', base .. 'ix', key))
local seq = redis.call('ZSCORE', base .. 'i:all', key)
if parts[6] ~= ARGV[4] then
  redis.call('ZREM', base .. 'i:status:' .. parts[6], key)
  redis.call('HINCRBY', base .. 'counts', combo(parts), -1)
  parts[6], parts[7] = ARGV[4], ARGV[5]
  redis.call('ZADD', base .. 'i:status:' .. parts[6], seq, key)
  redis.call('HINCRBY', base .. 'counts', combo(parts), 1)
  redis.call('HSET', base .. 'ix', key, table.concat(parts, SEP))
end
track(key, seq, ARGV[6], parts[7])
see(ARGV[7])
if retaining then retain(ARGV[7]) end
return 1
"""
)

_PUT_RECORD = (
    _REGISTER
    + """
register(KEYS[1])
redis.call('SADD', KEYS[3], KEYS[1], KEYS[2])
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
"""
)

_NEXT_SEQUENCE = (
    _REGISTER
    + """
register(KEYS[1])
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return tonumber(ARGV[2]) end
return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
"""
)

# Numbers leave Lua as strings: Redis would truncate a Lua number to an integer.
_CHARGE = (
    _REGISTER
    + """
register(KEYS[1])
local stored = redis.call('HGET', KEYS[1], ARGV[1])
local balance = tonumber(stored or ARGV[3])
local amount = tonumber(ARGV[2])
if amount > balance + 1e-9 then return {0, string.format('%.17g', balance)} end
local after = math.floor((balance - amount) * 1e6 + 0.5) / 1e6
local text = string.format('%.17g', after)
redis.call('HSET', KEYS[1], ARGV[1], text)
return {1, text}
"""
)

# Hits at or before now - window have left the window (as in the memory store).
_HIT_WINDOW = (
    _REGISTER
    + """
register(KEYS[1])
redis.call('SADD', KEYS[3], KEYS[1])
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
)

# Every append is announced on JOURNALLED, so waiters in every worker look again. KEYS: the journal;
# ARGV: the journal's max entries and oldest time kept, then each entry's line and tally (at least one).
JOURNALLED = "sim:journalled"
_APPEND_JOURNAL = (
    _REGISTER
    + _JOURNAL_LIB
    + """
register(KEYS[1])
for i = 3, #ARGV, 2 do journal_push(KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PUBLISH', 'sim:journalled', KEYS[1])
journal_trim(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
"""
)

# Members are "<20-digit sequence><json>": equal due times keep scheduling order. A job naming a
# message (ARGV[3]) pins it against retention until claimed.
_SCHEDULE = (
    _REGISTER
    + """
register(KEYS[1])
local order = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], ARGV[1], string.format('%020d', order) .. ARGV[2])
if ARGV[3] ~= '' then redis.call('HINCRBY', KEYS[3], ARGV[3], 1) end
"""
)

# ARGV: base, now, retaining (1 or empty), most jobs to claim. The members, earliest first; an
# unpinned message with nothing left to happen queues for eviction again.
_CLAIM_DUE = r"""
local base = ARGV[1]
local found = redis.call('ZRANGEBYSCORE', base .. 'due', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))
if #found == 0 then return found end
redis.call('ZREM', base .. 'due', unpack(found))
for _, member in ipairs(found) do
  local key = cjson.decode(string.sub(member, 21)).message
  if type(key) == 'string' and redis.call('HINCRBY', base .. 'pins', key, -1) <= 0 then
    redis.call('HDEL', base .. 'pins', key)
    local ix = redis.call('HGET', base .. 'ix', key)
    if ARGV[3] == '1' and ix and not redis.call('ZSCORE', base .. 'upcoming', key) then
      local final = string.match(ix, '^' .. string.rep('[^\31]*\31', 6) .. '([^\31]*)')
      redis.call('ZADD', base .. 'settled:' .. final, redis.call('ZSCORE', base .. 'i:all', key), key)
    end
  end
end
return found
"""

# One page of an index in creation order (newest first unless ARGV[3] is '1') with each key's index entry
# and, when ARGV[4] holds the namespace's message-key prefix, each message: one round trip for all three.
# KEYS: the index, the ix hash; ARGV: start, stop, oldest first, message-key prefix or ''.
_PAGE = r"""
local keys
if ARGV[3] == '1' then
  keys = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2])
else
  keys = redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2])
end
if #keys == 0 then return {keys, {}, {}} end
local bodies = {}
if ARGV[4] ~= '' then
  local names = {}
  for number, key in ipairs(keys) do names[number] = ARGV[4] .. key end
  bodies = redis.call('MGET', unpack(names))
end
return {keys, redis.call('HMGET', KEYS[2], unpack(keys)), bodies}
"""


def _journal_line(entry: dict | RequestEntry) -> str:
    entry = as_entry(entry)
    return f"{entry['time']!r}\t{json.dumps(entry, ensure_ascii=False, default=str)}"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _scanned(where: MessageQuery) -> bool:
    """Whether `where` names a field no index holds, so each candidate must be checked."""
    return where.contains is not None or where.recipient_contains is not None or where.since is not None


def _fields(raws: list[str | None]) -> list[tuple[str | None, str]]:
    """(text, recipient) of each stored message (None: one gone meanwhile)."""
    found = [json.loads(raw) if raw is not None else {} for raw in raws]
    return [(data.get("text"), data.get("recipient", "")) for data in found]


def _contains(where: MessageQuery, text: str | None, recipient: str) -> bool:
    return (where.contains is None or where.contains in (text or "")) and (
        where.recipient_contains is None or where.recipient_contains in recipient
    )


class RedisStore(Store):
    shared_across_processes = True

    def __init__(self, url: str, client: redis.Redis | None = None, retention: Retention | None = None) -> None:
        self.url = url
        self.retention = retention or Retention()
        self._client = client or redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT,
            socket_timeout=COMMAND_TIMEOUT,
            retry=Retry(NoBackoff(), 1),
            retry_on_error=[redis.ConnectionError],
        )
        self._held: dict[tuple[str, str], tuple[Lock, float]] = {}  # exclusive locks this process holds
        try:
            self._client.ping()
        except redis.RedisError as exc:
            raise ValueError(f"cannot reach Redis at {url}: {exc}") from exc
        self._stripes = [threading.Lock() for _ in range(_STRIPES)]
        self._upgrade_layout()
        scripts = {
            "put_message": _PUT_MESSAGE,
            "submit": _SUBMIT,
            "set_status": _SET_STATUS,
            "put_record": _PUT_RECORD,
            "next_sequence": _NEXT_SEQUENCE,
            "charge": _CHARGE,
            "hit_window": _HIT_WINDOW,
            "append_journal": _APPEND_JOURNAL,
            "schedule": _SCHEDULE,
            "claim_due": _CLAIM_DUE,
            "page": _PAGE,
        }
        self._scripts = {name: self._client.register_script(text) for name, text in scripts.items()}

    def _upgrade_layout(self) -> None:
        """List the record and window keys of a database written before the _NAMED sets (one scan of its keys,
        once: the marker says it is done; concurrent starts list the same keys twice, harmlessly)."""
        if self._client.get(LAYOUT) == LAYOUT_VERSION:
            return
        pipe = self._client.pipeline(transaction=False)
        for key in self._client.scan_iter(match="sim:*", count=1000):
            parts = key.split(":", 2)  # sim, the quoted namespace, what the key holds
            if len(parts) == 3 and parts[2].startswith(_LISTED_BY_NAME):
                pipe.sadd(f"sim:{parts[1]}:{_NAMED}", key)
        pipe.set(LAYOUT, LAYOUT_VERSION)
        pipe.execute()

    # Keys and helpers
    @staticmethod
    def _quoted(namespace: str) -> str:
        """A namespace's name as its keys and the registry hold it: no ':' left to split keys on."""
        return quote(namespace, safe="")

    @classmethod
    def _base(cls, namespace: str) -> str:
        return f"sim:{cls._quoted(namespace)}:"

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

    # Messages: writing
    def _retention_args(self) -> list[str]:
        count, age = self.retention.count, self.retention.age
        return ["" if count is None else str(count), "" if age is None else repr(age)]

    @staticmethod
    def _parts(message: Message, status: str | None) -> list[str]:
        recipient = message.recipient if message.recipient.isdigit() else digits(message.recipient)
        return [
            message.provider,
            message.channel,
            message.account,
            message.group or "",
            recipient,
            status or "",
            "1" if status in statuses.FINAL else "0",
            repr(message.created_at),
        ]

    def _message_args(self, message: Message) -> list:
        """key, JSON, the index parts, upcoming and now: a message as the scripts' `put` takes it."""
        status, upcoming = message.outlook(message.created_at)
        return [
            message.key,
            _dump(message.to_dict()),
            *self._parts(message, status),
            "" if upcoming is None else repr(upcoming),
            repr(message.created_at),
        ]

    def _put_args(self, namespace: str, message: Message, mode: str) -> list:
        return [self._base(namespace), *self._message_args(message), mode, *self._retention_args()]

    def add_message(self, namespace: str, message: Message) -> None:
        self._run("put_message", [], self._put_args(namespace, message, "add"))

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
        args: list = [self._base(namespace)]
        args += [charge.account, repr(charge.amount), repr(charge.initial)] if charge else ["", "0", "0"]
        args.append(len(messages))
        for message in messages:
            args += self._message_args(message)
        args.append(len(jobs))
        for due, job in jobs:
            args += [repr(due), _dump(job), job.get("message") or ""]
        args.append(len(entries))
        for entry in entries:
            args += [_journal_line(entry), tally(entry)]
        max_entries, max_age = journal_limits
        args += [max_entries, repr(now - max_age), *self._retention_args()]
        done, balance = self._run("submit", [], args)
        return bool(done), float(balance) if balance else None

    def get_message(self, namespace: str, key: str) -> Message | None:
        raw = self._client.get(self._key(namespace, f"m:{key}"))
        return Message.from_dict(json.loads(raw)) if raw is not None else None

    def update_message(self, namespace: str, key: str, change: Callable[[Message], Message]) -> Message | None:
        name = self._key(namespace, f"m:{key}")

        def read(pipe) -> Message | None:
            raw = pipe.get(name)
            return Message.from_dict(json.loads(raw)) if raw is not None else None

        def write(pipe, message: Message) -> None:
            self._scripts["put_message"](keys=[], args=self._put_args(namespace, message, "update"), client=pipe)

        return self._change_watched(name, read, write, change, skip_absent=True)

    def record_status(self, namespace: str, key: str, now: float) -> Message | None:
        name = self._key(namespace, f"m:{key}")
        while True:
            raw = self._client.get(name)
            if raw is None:
                return None
            message = Message.from_dict(json.loads(raw))
            if self._run("set_status", [], self._status_args(namespace, message, raw, now)):
                return message

    def record_statuses(self, namespace: str, keys: list[str], now: float) -> list[Message | None]:
        if not keys:
            return []
        raws = self._client.mget([self._key(namespace, f"m:{key}") for key in keys])
        messages = [Message.from_dict(json.loads(raw)) if raw is not None else None for raw in raws]
        pipe = self._client.pipeline(transaction=False)
        for message, raw in zip(messages, raws, strict=True):
            if message is not None:
                self._scripts["set_status"](keys=[], args=self._status_args(namespace, message, raw, now), client=pipe)
        recorded = iter(pipe.execute())
        # one that changed between the read and its script (a status forced meanwhile) goes again on its own
        return [
            message if message is None or next(recorded) else self.record_status(namespace, message.key, now)
            for message in messages
        ]

    def _status_args(self, namespace: str, message: Message, raw: str, now: float) -> list:
        status, upcoming = message.outlook(now)
        return [
            self._base(namespace),
            message.key,
            raw,
            status or "",
            "1" if status in statuses.FINAL else "0",
            "" if upcoming is None else repr(upcoming),
            repr(now),
            *self._retention_args(),
        ]

    def _caught_up(self, namespace: str, now: float, reads: Callable[[Any], None]) -> list:
        """What `reads` queues on a pipeline, read once every indexed status that may have changed by `now`
        is up to date: one round trip with the check when nothing was due, the reads again when something was."""
        pipe = self._client.pipeline(transaction=False)
        pipe.zrangebyscore(self._key(namespace, "upcoming"), "-inf", repr(now))
        pipe.get(self._key(namespace, "horizon"))
        reads(pipe)
        due, horizon, *results = pipe.execute()
        if not self._catch_up(namespace, now, due, horizon):
            return results
        pipe = self._client.pipeline(transaction=False)
        reads(pipe)
        return pipe.execute()

    def _catch_up(self, namespace: str, now: float, due: list[str], horizon: str | None) -> bool:
        """Bring up to date the indexed statuses of the `due` keys (every key when the clock went back
        behind `horizon`); whether there were any."""
        if horizon is not None and now < float(horizon) - CLOCK_SLACK:  # the clock went back
            self._client.set(self._key(namespace, "horizon"), repr(now))
            due = self._client.zrange(self._key(namespace, "i:all"), 0, -1)
        for start in range(0, len(due), _CHUNK):
            chunk = due[start : start + _CHUNK]
            raws = self._client.mget([self._key(namespace, f"m:{key}") for key in chunk])
            pipe = self._client.pipeline(transaction=False)
            for raw in raws:
                if raw is not None:  # one changed meanwhile stays due: the next read sees to it
                    args = self._status_args(namespace, Message.from_dict(json.loads(raw)), raw, now)
                    self._scripts["set_status"](keys=[], args=args, client=pipe)
            pipe.execute()
        return bool(due)

    # Messages: reading
    def messages(self, namespace: str) -> list[Message]:
        keys = self._client.zrange(self._key(namespace, "i:all"), 0, -1)
        return self._load(namespace, keys)

    def _load(self, namespace: str, keys: list[str], read: dict[str, str | None] | None = None) -> list[Message]:
        """The messages under `keys` (those gone meanwhile left out); `read`: bodies already read, by key."""
        if read is not None:
            return [Message.from_dict(json.loads(raw)) for raw in (read[key] for key in keys) if raw is not None]
        found = []
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            raws = self._client.mget([self._key(namespace, f"m:{key}") for key in chunk])
            found += [Message.from_dict(json.loads(raw)) for raw in raws if raw is not None]
        return found

    def query(
        self,
        namespace: str,
        where: MessageQuery,
        now: float,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> Page:
        given, named, zsets, sizes, source = self._plan(namespace, where, now)
        end = -1 if limit is None else offset + limit - 1
        scanned = _scanned(where)
        if named is None and not scanned and len(given) <= 1:
            # the source is exactly the answer: page it inside Redis
            zset = zsets[source] if source is not None else self._key(namespace, "i:all")
            if limit == 0:
                return Page(sizes[source], [])
            page = (self._client.zrange if oldest_first else self._client.zrevrange)(zset, offset, end)
            return Page(sizes[source], self._load(namespace, page))
        checks = {name: value for name, value in given.items() if name != source}
        countable = named is None and not scanned and not {"group", "recipient"} & set(given)
        # Every match of a batch or a number is wanted, and nearly every key listed there matches: read the
        # messages with the page of keys rather than after it.
        whole = limit is None and source in _WHOLE_SOURCES
        total, page, read = self._walk(
            namespace, zsets.get(source), named, checks, where, limit, offset, oldest_first, countable, whole=whole
        )
        if countable and limit is not None and len(page) >= limit:
            total = sum(self._count(namespace, given).values())
        return Page(total, self._load(namespace, page, read))

    def status_counts(self, namespace: str, where: MessageQuery, now: float) -> dict[str | None, int]:
        given, named, zsets, _, source = self._plan(namespace, where, now)
        if named is None and not _scanned(where) and not {"group", "recipient"} & set(given):
            return self._count(namespace, given)
        checks = {name: value for name, value in given.items() if name != source}
        tally: dict[str | None, int] = {}
        self._walk(namespace, zsets.get(source), named, checks, where, 0, 0, True, False, tally)
        return tally

    def _plan(
        self, namespace: str, where: MessageQuery, now: float
    ) -> tuple[dict[str, str], list[str] | None, dict[str, str], dict[str | None, int], str | None]:
        """What a read of `where` at `now` starts from: the indexed fields given, the keys a bare id names,
        the index of each given field, their sizes, and the smallest of them (None: every message). The
        sizes are read with the statuses' catch-up."""
        wanted = {
            "provider": where.provider,
            "channel": where.channel,
            "account": where.account,
            "group": where.group,
            "recipient": digits(where.recipient) if where.recipient is not None else None,
            "status": where.status,
        }
        given = {name: value for name, value in wanted.items() if value is not None}
        zsets = {name: self._key(namespace, f"i:{name}:{value}") for name, value in given.items()}

        def sizes_of(pipe) -> None:
            pipe.zcard(self._key(namespace, "i:all"))
            for zset in zsets.values():
                pipe.zcard(zset)

        sizes = dict(zip([None, *zsets], self._caught_up(namespace, now, sizes_of), strict=True))
        named = self._named(namespace, where.id) if where.id is not None else None
        # On a tie: a batch or a number first (a read wants every match there, and nearly every key matches),
        # then another index, then every message.
        source = min(sizes, key=lambda name: (sizes[name], 2 if name is None else name not in _WHOLE_SOURCES))
        return given, named, zsets, sizes, source

    def _named(self, namespace: str, bare_id: str) -> list[str]:
        """The keys of messages a bare provider id names, oldest first."""
        providers = sorted(self._client.smembers(self._key(namespace, "providers")))
        keys = [f"{provider}:{bare_id}" for provider in providers]
        pipe = self._client.pipeline(transaction=False)
        for key in keys:
            pipe.zscore(self._key(namespace, "i:all"), key)
        scored = [(score, key) for key, score in zip(keys, pipe.execute(), strict=True) if score is not None]
        return [key for _, key in sorted(scored)]

    def _walk(
        self,
        namespace: str,
        zset: str | None,
        named: list[str] | None,
        checks: dict[str, str],
        where: MessageQuery,
        limit: int | None,
        offset: int,
        oldest_first: bool,
        countable: bool,
        tally: dict[str | None, int] | None = None,
        whole: bool = False,
    ) -> tuple[int, list[str], dict[str, str | None] | None]:
        """Read the source in creation order, checking each key against what the source does not
        imply; stop once the page is full when the total comes from the counters. `tally`, when
        given, counts the matches by status. The messages are read with the keys when `whole` (or
        when their texts are searched): then they come back too, by key."""
        zset = zset or self._key(namespace, "i:all")
        chunk = _CHUNK if tally is not None else min(max(2 * (offset + (limit or 0)), 200), 5000)
        searched = where.contains is not None or where.recipient_contains is not None
        prefix = self._key(namespace, "m:") if (whole or searched) and named is None else ""
        total, page, start = 0, [], 0
        read: dict[str, str | None] | None = {} if prefix else None
        while True:
            bodies = None
            if named is not None:
                keys = (named if oldest_first else named[::-1]) if start == 0 else []
                indexed = self._client.hmget(self._key(namespace, "ix"), keys) if keys else []
            else:
                args = [start, start + chunk - 1, "1" if oldest_first else "0", prefix]
                keys, indexed, bodies = self._run("page", [zset, self._key(namespace, "ix")], args)
            if not keys:
                return total, page, read
            last = named is not None or len(keys) < chunk  # a short page is the end of the source: no read after it
            start += len(keys)
            texts = None
            if searched:
                texts = _fields(bodies) if prefix else self._load_fields(namespace, keys)
            for number, (key, raw) in enumerate(zip(keys, indexed, strict=True)):
                if raw is None:
                    continue
                parts = raw.split(_SEP)
                if any(parts[_POSITION[name]] != value for name, value in checks.items()):
                    continue
                if where.since is not None and float(parts[_CREATED]) < where.since:
                    continue
                if texts is not None and not _contains(where, *texts[number]):
                    continue
                if tally is not None:
                    status = parts[_POSITION["status"]] or None
                    tally[status] = tally.get(status, 0) + 1
                if total >= offset and (limit is None or len(page) < limit):
                    page.append(key)
                    if read is not None:
                        read[key] = bodies[number]
                total += 1
                if countable and limit is not None and len(page) >= limit:
                    return total, page, read
            if last:
                return total, page, read

    def _load_fields(self, namespace: str, keys: list[str]) -> list[tuple[str | None, str]]:
        """(text, recipient) of each key: what `contains` and `recipient_contains` look into."""
        return _fields(self._client.mget([self._key(namespace, f"m:{key}") for key in keys]))

    def _count(self, namespace: str, given: dict[str, str]) -> dict[str | None, int]:
        """Status -> matches of a query on provider, channel, account and status alone, from the counters."""
        wanted = [given.get(name) for name in ("provider", "channel", "account", "status")]
        found: dict[str | None, int] = {}
        for combo, count in self._client.hgetall(self._key(namespace, "counts")).items():
            have = combo.split(_SEP)
            if int(count) and all(value is None or value == part for value, part in zip(wanted, have, strict=True)):
                found[have[3] or None] = found.get(have[3] or None, 0) + int(count)
        return found

    def count_messages(self, namespace: str) -> int:
        return self._client.zcard(self._key(namespace, "i:all"))

    def message_counts(self, namespace: str, now: float) -> dict[tuple[str, str | None], int]:
        (stored,) = self._caught_up(namespace, now, lambda pipe: pipe.hgetall(self._key(namespace, "counts")))
        counts: dict[tuple[str, str | None], int] = {}
        for combo, count in stored.items():
            provider, _, _, status = combo.split(_SEP)
            if int(count):
                key = (provider, status or None)
                counts[key] = counts.get(key, 0) + int(count)
        return counts

    def evictions(self, namespace: str) -> int:
        return int(self._client.get(self._key(namespace, "evicted")) or 0)

    # Provider records
    def put_record(self, namespace: str, kind: str, key: str, value: dict) -> None:
        keys = [self._key(namespace, f"r:{kind}"), self._key(namespace, f"ro:{kind}"), self._key(namespace, _NAMED)]
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
        pipe = self._client.pipeline()
        pipe.hset(self._key(namespace, "bal"), account, repr(float(value)))
        pipe.sadd(REGISTRY, self._quoted(namespace))
        pipe.execute()

    # Throttling
    def hit_window(self, namespace: str, key: str, now: float, window: float, limit: int) -> tuple[bool, float]:
        keys = [self._key(namespace, f"w:{key}"), self._key(namespace, "hits"), self._key(namespace, _NAMED)]
        allowed, reset = self._run("hit_window", keys, [repr(now), repr(window), limit])
        return bool(allowed), float(reset)

    # Journal
    def append_journal(self, namespace: str, entries: list[dict], max_entries: int, max_age: float, now: float) -> None:
        if not entries:
            return
        keys = [self._key(namespace, "journal")]
        lines = [part for entry in entries for part in (_journal_line(entry), tally(entry))]
        self._run("append_journal", keys, [max_entries, repr(now - max_age), *lines])

    def journal(self, namespace: str) -> list[dict]:
        lines = self._client.lrange(self._key(namespace, "journal"), 0, -1)
        return [json.loads(line.partition("\t")[2]) for line in lines]

    def journal_counts(self, namespace: str) -> dict[str, int]:
        counts = self._client.hgetall(self._key(namespace, "journal:counts"))
        return {key: int(count) for key, count in counts.items()}

    # Small values
    def get_value(self, namespace: str, name: str) -> Any | None:
        raw = self._client.hget(self._key(namespace, "values"), name)
        return json.loads(raw) if raw is not None else None

    def get_values(self, reads: list[tuple[str, str]]) -> list[Any | None]:
        pipe = self._client.pipeline(transaction=False)
        for namespace, name in reads:
            pipe.hget(self._key(namespace, "values"), name)
        return [json.loads(raw) if raw is not None else None for raw in pipe.execute()]

    def update_value(self, namespace: str, name: str, change: Callable[[Any | None], Any]) -> Any:
        key = self._key(namespace, "values")

        def read(pipe) -> Any | None:
            raw = pipe.hget(key, name)
            return json.loads(raw) if raw is not None else None

        def write(pipe, value: Any) -> None:
            pipe.hset(key, name, _dump(value))
            pipe.sadd(REGISTRY, self._quoted(namespace))

        return self._change_watched(key, read, write, change, skip_absent=False)

    # Due-set
    def schedule(self, namespace: str, due: float, job: dict) -> None:
        keys = [self._key(namespace, "due"), self._key(namespace, "due-order"), self._key(namespace, "pins")]
        self._run("schedule", keys, [repr(due), _dump(job), job.get("message") or ""])

    def claim_due(self, namespace: str, now: float, limit: int) -> list[dict]:
        retaining = "1" if self.retention.enabled else ""
        members = self._run("claim_due", [], [self._base(namespace), repr(now), retaining, limit])
        return [json.loads(member[20:]) for member in members]

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
        if held:
            self._held[namespace, name] = (lock, time.monotonic())
        try:
            yield held
        finally:
            if held:
                self._held.pop((namespace, name), None)
                try:
                    lock.release()
                except (LockError, redis.RedisError):  # lapsed, reset or unreachable: it frees itself
                    log.warning("lock %s of namespace %s was lost before release", name, namespace)

    def renew(self, namespace: str, name: str) -> None:
        held = self._held.get((namespace, name))
        if held is not None and time.monotonic() - held[1] > RENEW_AFTER:
            held[0].reacquire()
            self._held[namespace, name] = (held[0], time.monotonic())

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(**{JOURNALLED: lambda message: listener()})

        def lost(exc: Exception, pubsub, thread) -> None:  # Redis away: listen again once it is back
            log.debug("journal subscription lost (%s); retrying", exc)
            time.sleep(1.0)

        thread = pubsub.run_in_thread(sleep_time=1.0, daemon=True, exception_handler=lost)
        return thread.stop

    # Whole namespaces
    def reset(self, namespace: str | None = None) -> None:
        if namespace is None:
            self._client.delete(REGISTRY)
            self._unlink(self._client.scan_iter(match="sim:*", count=1000))
        else:
            self._client.srem(REGISTRY, self._quoted(namespace))
            self._unlink(self._namespace_keys(namespace))

    def _namespace_keys(self, namespace: str) -> Iterator[str]:
        """Every key of a namespace; the lists that find them (`ix`, the named set) come last, as the keys
        are deleted while these are still being read."""
        base = self._base(namespace)
        yield from self._client.smembers(base + _NAMED)
        indexes = set()
        for key, ix in self._client.hscan_iter(base + "ix", count=1000):
            yield f"{base}m:{key}"
            parts = ix.split(_SEP)
            indexes.add(f"{base}i:status:{parts[_POSITION['status']]}")
            indexes.update(f"{base}i:{name}:{parts[number]}" for number, name in enumerate(INDEXED) if parts[number])
        yield from indexes
        yield from (base + name for name in (*_FIXED, _NAMED))

    def _unlink(self, keys: Iterable[str]) -> None:
        batch = []
        for key in keys:
            batch.append(key)
            if len(batch) >= 1000:
                self._client.unlink(*batch)
                batch.clear()
        if batch:
            self._client.unlink(*batch)

    def namespaces(self) -> list[str]:
        """Namespaces that hold anything (the registry; a scan of the keys fills it for a database written
        before it was kept)."""
        if not self._client.exists(REGISTRY):
            quoted = {key.split(":", 2)[1] for key in self._client.scan_iter(match="sim:*", count=1000)}
            if quoted:
                self._client.sadd(REGISTRY, *quoted)
        return sorted(unquote(name) for name in self._client.smembers(REGISTRY))
