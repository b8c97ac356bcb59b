"""Replaying journalled requests: the secrets the journal masked, the ids the seed does not fix.

The journal keeps secrets masked (scheme and last four characters). A replay finds each one again
among the secrets it knows: the accounts' credentials (alone, and in pairs as HTTP Basic) and the
secrets the simulator handed out in earlier answers of the same replay (OAuth tokens). A secret it
does not know is replaced by a stand-in with the same mask, so a wrong credential stays wrong.

When a replay cannot give ids and times byte for byte (no seed, part of a run, a running clock), an
answer is compared with ids and times normalised: every recorded id must come back as one and the
same replay id, which later requests then carry in its place.
"""

from __future__ import annotations

import base64
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.core.journal import (
    BODY_LIMIT,
    SECRET_HEADERS,
    mask,
    masked_body,
    replace_query_secrets,
    replace_secrets,
)

# Headers the HTTP client sets itself (or that would steer the replay elsewhere), never replayed.
TRANSPORT_HEADERS = frozenset({"host", "content-length", "connection", "transfer-encoding", "x-sim-namespace"})

_TIME = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# Digits, or hex with a digit, four or more, standing alone (not part of a word or a decimal number).
_ID = r"(?<![\w.])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{4,}(?![\w.])"
_VARIABLE = re.compile(f"(?P<time>{_TIME})|(?P<id>{_UUID}|{_ID})")
_PATTERNS = {"time": _TIME, "id": f"{_UUID}|{_ID}"}


def is_variable(text: str) -> bool:
    """Whether `text` is an id or a time: a value a replay may see differently."""
    return _VARIABLE.fullmatch(text) is not None


@dataclass(frozen=True)
class Origin:
    """Where a known secret comes from: one credential of one account."""

    provider: str
    account: str
    credential: str


@dataclass(frozen=True)
class Found:
    """A masked value matched to a known secret: `scheme` (may be "") + " " + `value`."""

    scheme: str
    value: str
    origins: tuple[Origin, ...]  # empty for secrets learned during the replay

    @property
    def text(self) -> str:
        return f"{self.scheme} {self.value}" if self.scheme else self.value


def stand_in(masked: str) -> str:
    """A value whose mask is `masked` ("****" hides anything up to four characters: the empty one)."""
    scheme, _, hidden = masked.rpartition(" ")
    stars = len(hidden) - len(hidden.lstrip("*"))
    value = "" if hidden == "****" else "x" * stars + hidden[stars:]
    return f"{scheme} {value}" if scheme else value


def _secrets_in(text: str) -> list[str]:
    found: list[str] = []

    def keep(value: str) -> str:
        found.append(value)
        return value

    replace_secrets(text, keep)
    return found


class Secrets:
    """The secrets a replay knows, found again from their masks."""

    def __init__(self, accounts: Iterable[tuple[str, str, dict[str, str]]] = ()) -> None:
        self._known: dict[str, tuple[Origin, ...]] = {}
        self._aliases: dict[str, str] = {}  # a recorded mask -> the secret a replay got in its place
        for provider, account, credentials in accounts:
            origins = [Origin(provider, account, name) for name in credentials]
            for origin in origins:
                self._known.setdefault(credentials[origin.credential], (origin,))
            for first, second in itertools.permutations(origins, 2):  # HTTP Basic: base64("<id>:<secret>")
                pair = f"{credentials[first.credential]}:{credentials[second.credential]}"
                self._known.setdefault(base64.b64encode(pair.encode()).decode(), (first, second))

    def learn(self, recorded: str, text: str) -> None:
        """Remember the secrets an answer carries (tokens the simulator issued), each also under the mask the
        recorded answer shows in its place: a replay that is not exact gets other tokens."""
        values = _secrets_in(text)
        for value in values:
            self._known.setdefault(value, ())
        masks = _secrets_in(recorded)
        if len(masks) == len(values):
            self._aliases.update(zip(masks, values, strict=True))

    def find(self, masked: str) -> Found | None:
        scheme, _, hidden = masked.partition(" ") if " " in masked else ("", "", masked)
        if masked in self._aliases:
            return Found("", self._aliases[masked], ())
        if scheme and hidden in self._aliases:
            return Found(scheme, self._aliases[hidden], ())
        for value, origins in self._known.items():
            if mask(value) == masked:
                return Found("", value, origins)
            if scheme and " " not in value and mask(value) == hidden:
                return Found(scheme, value, origins)
        return None

    def unmask(self, masked: str) -> str:
        found = self.find(masked)
        return found.text if found else stand_in(masked)

    def unmask_body(self, body: str) -> str:
        return replace_secrets(body, self.unmask)


class IdMap:
    """Recorded ids -> the ids a replay got instead, learned by comparing answers."""

    def __init__(self) -> None:
        self.mapping: dict[str, str] = {}

    def carry(self, text: str) -> str:
        """`text` (a path, query or body of a later request) with recorded ids replaced by replay ids."""

        def swap(m: re.Match) -> str:
            return self.mapping.get(m.group(), m.group()) if m.lastgroup == "id" else m.group()

        return _VARIABLE.sub(swap, text)

    def matches(self, recorded: str, actual: str) -> bool:
        """Whether `actual` is `recorded` with ids and times replaced, each recorded id consistently."""
        pattern, ids = [], []
        position = 0
        for match in _VARIABLE.finditer(recorded):
            pattern += [re.escape(recorded[position : match.start()]), f"({_PATTERNS[match.lastgroup]})"]
            ids.append(match.group() if match.lastgroup == "id" else None)
            position = match.end()
        pattern.append(re.escape(recorded[position:]))
        found = re.fullmatch("".join(pattern), actual, re.DOTALL)
        if found is None:
            return False
        learned = dict(self.mapping)
        taken = {value: key for key, value in learned.items()}
        for recorded_id, replay_id in zip(ids, found.groups(), strict=True):
            if recorded_id is None:
                continue
            if learned.get(recorded_id, replay_id) != replay_id or taken.get(replay_id, recorded_id) != recorded_id:
                return False
            learned[recorded_id] = replay_id
            taken[replay_id] = recorded_id
        self.mapping = learned
        return True


@dataclass(frozen=True)
class Prepared:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str


class Replayer:
    """Turns recorded requests into requests to send, and checks the answers against the recorded ones.

    `exact`: the replay has the recording's seed, its whole run and a frozen clock, so answers must be
    the recorded bytes; otherwise ids and times are normalised (see the module docstring).
    """

    def __init__(self, accounts: Iterable[tuple[str, str, dict[str, str]]], exact: bool) -> None:
        self.secrets = Secrets(accounts)
        self.ids = IdMap()
        self.exact = exact

    def prepare(self, method: str, path: str, query: str, headers: dict[str, str], body: str) -> Prepared:
        sent = {
            name: self.secrets.unmask(value) if name.lower() in SECRET_HEADERS else self.ids.carry(value)
            for name, value in headers.items()
            if name.lower() not in TRANSPORT_HEADERS
        }
        return Prepared(
            method,
            self.ids.carry(path),
            self.ids.carry(replace_query_secrets(query, self.secrets.unmask)),
            sent,
            self.ids.carry(self.secrets.unmask_body(body)),
        )

    def carry(self, text: str) -> str:
        return self.ids.carry(text)

    def check(self, recorded_status: int, recorded: str, status: int, content: bytes) -> str | None:
        """None when the answer is the recorded one; otherwise what differs."""
        text = content[:BODY_LIMIT].decode("utf-8", "replace")
        self.secrets.learn(recorded, text)
        answer = masked_body(text)
        same = answer == recorded if self.exact else self.ids.matches(recorded, answer)
        if status == recorded_status and same:
            return None
        how = "" if self.exact else " (ids and times normalised)"
        return f"expected {recorded_status} {recorded!r}{how}, got {status} {answer!r}"
