"""How many messages a namespace keeps: the --retention policy, parsed once."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.clock import parse_duration


@dataclass(frozen=True)
class Retention:
    """How many messages a namespace keeps (count) or for how long (age, seconds); None: no limit.

    Only messages with nothing left to happen are evicted (no pending transition, reply or
    callback), oldest first, those in a final status before the others.
    """

    count: int | None = None
    age: float | None = None

    @classmethod
    def parse(cls, text: str | None) -> Retention:
        """ "" or "off": keep everything; "50000": keep that many; "7d", "12h", "90m": keep that long."""
        text = (text or "").strip()
        if text in ("", "off"):
            return cls()
        if text.isdigit():
            if int(text) < 1:
                raise ValueError("retention must keep at least 1 message")
            return cls(count=int(text))
        try:
            age = parse_duration(text)
        except ValueError:
            raise ValueError(f"retention must be a count (50000) or an age (7d, 12h), got {text!r}") from None
        if age <= 0:
            raise ValueError(f"retention age must be positive, got {text!r}")
        return cls(age=age)

    @property
    def enabled(self) -> bool:
        return self.count is not None or self.age is not None
