"""The journal: requests, status transitions and webhook attempts, bounded by count and age."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the stores import `tally` from here
    from simulator.core.store.base import Store

# How much of a request or response body the journal keeps.
BODY_LIMIT = 64 * 1024
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "x-sim-admin-token"})


def mask(value: str) -> str:
    """Keep a secret recognisable without revealing it: scheme and last four characters."""
    scheme, _, secret = value.partition(" ") if " " in value else ("", "", value)
    hidden = "*" * max(0, len(secret) - 4) + secret[-4:] if len(secret) > 4 else "****"
    return f"{scheme} {hidden}".strip()


def masked_headers(headers: dict[str, str]) -> dict[str, str]:
    return {name: mask(value) if name.lower() in SECRET_HEADERS else value for name, value in headers.items()}


# Credentials some providers carry in bodies: json.php's "auth", OAuth tokens and secrets, form fields.
_SECRET_JSON = re.compile(
    r'("(?:auth|token|access_token|api_key|apiKey|password|secret|client_secret)"\s*:\s*")'
    r'((?:[^"\\]|\\.)*)(")'
)
_SECRET_FORM = re.compile(r"((?:^|&)(?:password|client_secret|token)=)([^&]*)")
# Credentials clients put in query strings (?token=, ?auth=, ?access_token= ...), names compared case-insensitively.
_SECRET_QUERY = re.compile(
    r"((?:^|&)(?:access_token|api_key|apikey|auth|client_secret|key|password|secret|token)=)([^&]*)", re.IGNORECASE
)


# Every name either pattern above matches contains one of these (case as in the patterns): a text with none
# of them has no secret to find, and testing for them costs a tenth of running the patterns over it.
_SECRET_WORDS = ("auth", "token", "api_key", "apiKey", "password", "secret")


def replace_secrets(text: str, replace: Callable[[str], str]) -> str:
    """`text` with each credential value carried in a body replaced by `replace(value)`."""
    if not any(word in text for word in _SECRET_WORDS):
        return text
    text = _SECRET_JSON.sub(lambda m: m.group(1) + replace(m.group(2)) + m.group(3), text)
    return _SECRET_FORM.sub(lambda m: m.group(1) + replace(m.group(2)), text)


def masked_body(text: str) -> str:
    """A request or response body with credential values masked like headers are."""
    return replace_secrets(text, mask)


# Shorter presented values are not searched for in texts: masking them could garble unrelated words.
MIN_ECHOED_SECRET = 6


def masked_echoes(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of the credentials a request presented masked: providers echo some in
    their answers (Routee: "Invalid access token: <token>"), where no field name gives them away."""
    for secret in secrets:
        if len(secret) >= MIN_ECHOED_SECRET:
            text = text.replace(secret, mask(secret))
    return text


def replace_query_secrets(text: str, replace: Callable[[str], str]) -> str:
    """A query string with each credential value replaced by `replace(value)`."""
    return _SECRET_QUERY.sub(lambda m: m.group(1) + replace(m.group(2)), text)


def masked_query(text: str) -> str:
    """A query string with credential values masked like headers are."""
    return replace_query_secrets(text, mask)


class RequestEntry:
    """A provider request and its answer as the journal takes them: raw, with the credentials the request
    presented. The masked entry (a dict like every other entry) is made when the journal is first read, or
    when a shared store writes it: most entries are never read, and masking them and building their dicts
    while answering took 13 µs of a D7 report's 126 in process. The raw credentials stay in this process."""

    __slots__ = (
        "_entry",
        "body",
        "headers",
        "method",
        "path",
        "provider",
        "query",
        "response",
        "response_type",
        "secrets",
        "started",
        "status",
        "time",
    )

    def __init__(
        self,
        provider: str,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        status: int,
        response: bytes,
        response_type: str | None,
        started: float | None,
        secrets: tuple[str, ...],
    ) -> None:
        self.provider, self.method, self.path, self.query, self.headers = provider, method, path, query, headers
        self.body, self.status, self.response, self.response_type = body, status, response, response_type
        self.started, self.secrets = started, secrets
        self.time = 0.0  # stamped by the door that journals it
        self._entry: dict | None = None

    def entry(self) -> dict:
        """The journal entry, credentials masked: made once."""
        if self._entry is None:
            self._entry = {
                "kind": "request",
                "time": self.time,
                "provider": self.provider,
                "method": self.method,
                "path": self.path,
                "query": masked_query(self.query),
                "headers": masked_headers(self.headers),
                "body": masked_body(self.body.decode("utf-8", "replace")),
                "status": self.status,
                "response": masked_echoes(masked_body(self.response.decode("utf-8", "replace")), self.secrets),
                "response_type": self.response_type,
                "started": self.started,
            }
            # Kept from now on as the entry only: the raw bodies would double what the journal holds.
            self.headers, self.body, self.response, self.secrets = {}, b"", b"", ()
        return self._entry


def as_entry(entry: dict | RequestEntry) -> dict:
    """A journal entry as readers get it: a dict."""
    return entry if type(entry) is dict else entry.entry()


def entry_time(entry: dict | RequestEntry) -> float:
    return entry["time"] if type(entry) is dict else entry.time


def tally(entry: dict | RequestEntry) -> str:
    """What the stores count a journal entry under, so GET /_sim/metrics reads counts instead of entries:
    the JSON list of the labels metrics gives it. Its kind; for a request also its provider and response
    status, for a webhook attempt whether it succeeded ("ok" or "failed")."""
    if type(entry) is RequestEntry:
        return _labels("request", entry.provider, entry.status)
    kind = entry["kind"]
    if kind == "request":
        return _labels(kind, entry.get("provider"), entry.get("status"))
    if kind == "webhook":
        status = entry.get("status")
        return _labels(kind, "ok" if status is not None and 200 <= status < 300 else "failed")
    return _labels(kind)


# Every append tallies its entry, and a journal sees few label sets: each is encoded once, as a JSON
# encoding costs several times a memory store's whole append. `typed` keeps 200 and 200.0 apart.
@functools.lru_cache(maxsize=1024, typed=True)
def _labels(*labels: str | int | None) -> str:
    return json.dumps(labels, ensure_ascii=False, separators=(",", ":"))


class Journal:
    def __init__(self, store: Store, max_entries: int = 10_000, max_age: float = 86_400.0) -> None:
        self._store = store
        self.max_entries = max_entries
        self.max_age = max_age
        # Every observable change (new message, transition, webhook, request) is journalled, so
        # waiters (GET /_sim/wait) sleep on this condition instead of polling.
        self._changed = threading.Condition()
        self._waiting = 0  # threads in wait_for; changed only under the condition's lock

    def record(self, namespace: str, kind: str, now: float, **data) -> dict:
        entry = {"kind": kind, "time": now, **data}
        self.record_all(namespace, [entry], now)
        return entry

    def record_request(self, namespace: str, entry: RequestEntry, now: float) -> None:
        """Journal a provider request, made at `now`."""
        entry.time = now
        self.record_all(namespace, [entry], now)

    def record_all(self, namespace: str, entries: list[dict | RequestEntry], now: float) -> None:
        """Journal entries made at `now` (each with its kind and time) in one write."""
        self._store.append_journal(namespace, entries, self.max_entries, self.max_age, now)
        self.notify()

    def notify(self) -> None:
        """Wake every waiter so it re-checks its condition. Without waiters the condition is not even taken:
        a waiter counts itself in before it first checks, so whatever was written before this look is seen."""
        if self._waiting:
            with self._changed:
                self._changed.notify_all()

    def wait_for(self, predicate: Callable[[], object], timeout: float) -> object:
        """Block until `predicate()` is truthy (its value is returned) or `timeout` real seconds pass (falsy)."""
        with self._changed:
            self._waiting += 1
            try:
                return self._changed.wait_for(predicate, timeout)
            finally:
                self._waiting -= 1

    def counts(self, namespace: str) -> dict[str, int]:
        """`tally` -> entries the namespace's journal holds (tallies with none left out), from counters
        the store keeps as entries come and go."""
        return self._store.journal_counts(namespace)

    def entries(self, namespace: str, kind: str | None = None) -> list[dict]:
        entries = self._store.journal(namespace)
        return [entry for entry in entries if kind is None or entry["kind"] == kind]
