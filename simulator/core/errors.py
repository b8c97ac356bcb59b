"""Domain errors: what went wrong, with data. Providers turn them into their own wire formats."""

from __future__ import annotations


class SimError(Exception):
    """Base of every error a provider adapter must render."""


class Unauthorized(SimError):
    def __init__(self, reason: str = "unknown_credential", credential: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason  # "missing", "malformed", "unknown_credential", "expired", "forbidden"
        self.credential = credential


class NotFound(SimError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class Throttled(SimError):
    def __init__(self, limit: int, window: float, retry_after: float) -> None:
        super().__init__(f"more than {limit} requests in {window:g}s")
        self.limit = limit
        self.window = window
        self.retry_after = retry_after


class InsufficientBalance(SimError):
    def __init__(self, balance: float, needed: float) -> None:
        super().__init__(f"balance {balance} is less than {needed}")
        self.balance = balance
        self.needed = needed


class ScenarioError(SimError):
    """A scenario told the simulator to answer the send itself with a provider error."""

    def __init__(self, kind: str, scenario: str) -> None:
        super().__init__(f"scenario {scenario!r} answers with {kind!r}")
        self.kind = kind
        self.scenario = scenario


class IllegalTransition(SimError):
    def __init__(self, current: str | None, target: str, allowed: list[str]) -> None:
        super().__init__(f"{current or 'start'} -> {target} is not a legal transition")
        self.current = current
        self.target = target
        self.allowed = allowed


class NamespaceRefused(Exception):
    """A namespace name that is malformed, or one more than the configured limit. Not a SimError:
    namespaces are the simulator's own idea, so the refusal is ours, not a provider's."""

    def __init__(self, message: str, limit_reached: bool = False) -> None:
        super().__init__(message)
        self.limit_reached = limit_reached


class ConfigError(Exception):
    """A configuration or scenario file is broken; the message names the file and key path."""

    def __init__(self, source: str, path: str, message: str) -> None:
        location = f"{source}: {path}" if path else source
        super().__init__(f"{location}: {message}")
        self.source = source
        self.path = path
        self.message = message
