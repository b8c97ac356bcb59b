"""A small client for the control API, used by the pytest plugin, `simulator.running()` and scripts."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import requests

from simulator.core.clock import parse_duration, parse_instant

NAMESPACE_HEADER = "X-Sim-Namespace"
ADMIN_HEADER = "X-Sim-Admin-Token"
BUSY_RETRY = 1.0  # seconds before asking a busy server (429) again, as its Retry-After says


class SimulatorError(Exception):
    """The control API answered with an error ({"error": {"code", "message", ...}})."""

    def __init__(self, status: int, error: dict) -> None:
        super().__init__(f"{status} {error.get('code')}: {error.get('message')}")
        self.status = status
        self.code = error.get("code")
        self.error = error


class WaitTimeout(SimulatorError, AssertionError):
    """GET /_sim/wait found nothing in time; an AssertionError so pytest shows it as a failed check."""


class SimulatorClient:
    """The control API of one simulator, seen from one namespace."""

    def __init__(
        self,
        url: str,
        namespace: str | None = None,
        admin_token: str | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.namespace = namespace
        self.session = session or requests.Session()
        if namespace:
            self.session.headers[NAMESPACE_HEADER] = namespace
        if admin_token:
            self.session.headers[ADMIN_HEADER] = admin_token
        self._base_urls: dict[str, str] | None = None

    # Plumbing
    def call(
        self, method: str, path: str, json: Any = None, params: dict | None = None, http_timeout: float = 30.0
    ) -> Any:
        params = {key: value for key, value in (params or {}).items() if value is not None}
        response = self.session.request(
            method,
            f"{self.url}/_sim{path}",
            json=json,
            params=params,
            timeout=http_timeout,
            verify=self.session.verify,  # given per request: REQUESTS_CA_BUNDLE would override the session's own
        )
        if response.status_code >= 400:
            error = response.json().get("error", {}) if response.content else {}
            raise (WaitTimeout if response.status_code == 408 else SimulatorError)(response.status_code, error)
        return response.json() if "json" in response.headers.get("Content-Type", "") else response.text

    # Where providers live
    @property
    def base_urls(self) -> dict[str, str]:
        """Provider name -> base URL; includes /_ns/<namespace> so plain SDK clients land in this namespace."""
        if self._base_urls is None:
            found = self.call("GET", "/")
            self._base_urls = {item["name"]: item["base_urls"][0] for item in found["providers"]}
        return self._base_urls

    def base_url(self, provider: str) -> str:
        return self.base_urls[provider]

    # System
    def health(self) -> dict:
        return self.call("GET", "/health")

    def metrics(self) -> str:
        return self.call("GET", "/metrics")

    def reset(self) -> dict:
        """Reset this client's namespace (everything when it has none)."""
        return self.call("POST", "/reset")

    def seed(self, seed: int | None) -> dict:
        return self.call("POST", "/seed", json={"seed": seed})

    # Clock
    def clock(self) -> dict:
        return self.call("GET", "/clock")

    def now(self) -> datetime:
        return parse_instant(self.clock()["now"])

    def advance(self, duration: str | float) -> dict:
        return self.call("POST", "/clock", json={"advance": duration})

    def freeze(self, at: str | datetime | None = None) -> dict:
        value = at.isoformat() if isinstance(at, datetime) else at
        return self.call("POST", "/clock", json={"freeze": True if value is None else value})

    def set_time(self, at: str | datetime) -> dict:
        return self.call("POST", "/clock", json={"set": at.isoformat() if isinstance(at, datetime) else at})

    def unfreeze(self) -> dict:
        return self.call("POST", "/clock", json={"unfreeze": True})

    # Messages
    def messages(self, **filters) -> list[dict]:
        return self.call("GET", "/messages", params=filters)["messages"]

    def message(self, ident: str) -> dict:
        return self.call("GET", f"/messages/{ident}")

    def latest(self, **filters) -> dict:
        return self.call("GET", "/messages/latest", params=filters)

    def force(self, ident: str, status: str, reason: str | None = None) -> dict:
        return self.call("POST", f"/messages/{ident}/status", json={"status": status, "reason": reason})

    def reply(self, ident: str, text: str | None = None, media: dict | None = None) -> dict:
        return self.call("POST", f"/messages/{ident}/reply", json={"text": text, "media": media})

    def wait(self, timeout: str | float = 10.0, **filters) -> dict:
        """Block until a message matching `filters` (provider, to, status, contains, id ...) exists.

        A server with all its wait slots taken (--max-waits) answers 429: asked again, within `timeout`.
        """
        seconds = parse_duration(timeout)
        deadline = time.monotonic() + seconds
        while True:
            try:
                params = {**filters, "timeout": f"{seconds:.3f}s"}
                # the server answers 408 at its timeout, before the HTTP one
                return self.call("GET", "/wait", params=params, http_timeout=seconds + 10)
            except SimulatorError as exc:
                seconds = deadline - time.monotonic()
                if exc.status != 429 or seconds <= 0:
                    raise
                time.sleep(min(BUSY_RETRY, seconds))

    # Journal
    def requests(self, **filters) -> list[dict]:
        return self.call("GET", "/requests", params=filters)["requests"]

    def verify(self, **match) -> int:
        """How many journalled requests match (provider, method, path, path_pattern, status, body_contains ...)."""
        return self.call("POST", "/requests/verify", json=match)["count"]

    def webhooks(self, **filters) -> list[dict]:
        return self.call("GET", "/webhooks", params=filters)["webhooks"]

    def journal(self, kind: str | None = None, limit: int = 1000) -> list[dict]:
        return self.call("GET", "/journal", params={"kind": kind, "limit": limit})["entries"]

    # Configuration
    def accounts(self) -> dict:
        return self.call("GET", "/accounts")["accounts"]

    def put_accounts(self, accounts: dict) -> dict:
        return self.call("PUT", "/accounts", json=accounts)["accounts"]

    def scenarios(self) -> dict:
        return self.call("GET", "/scenarios")

    def bind_scenario(self, credential: str, scenario: str | None) -> dict:
        """Messages sent with `credential` ("<provider>:<account or credential>") follow `scenario` (None unbinds)."""
        return self.call("PUT", "/scenarios", json={"bindings": {credential: scenario}})["bindings"]

    def faults(self) -> list[dict]:
        return self.call("GET", "/faults")["faults"]

    def set_faults(self, faults: list[dict]) -> list[dict]:
        return self.call("PUT", "/faults", json={"faults": faults})["faults"]

    def bind_namespace(self, credential: str, namespace: str | None) -> dict:
        return self.call("PUT", "/namespaces", json={"bindings": {credential: namespace}})["bindings"]


class SimClock:
    """The simulated clock of one namespace: freeze, set, advance."""

    def __init__(self, client: SimulatorClient) -> None:
        self._client = client

    def now(self) -> datetime:
        return self._client.now()

    def advance(self, duration: str | float) -> datetime:
        """Move forward ("90s", "1.5m", 250ms", or seconds); everything due happens, in order."""
        return parse_instant(self._client.advance(duration)["now"])

    def freeze(self, at: str | datetime | None = None) -> datetime:
        return parse_instant(self._client.freeze(at)["now"])

    def set(self, at: str | datetime) -> datetime:
        return parse_instant(self._client.set_time(at)["now"])

    def unfreeze(self) -> datetime:
        return parse_instant(self._client.unfreeze()["now"])
