"""Lazy lifecycle: a message's status at any instant is a pure function of its timeline and now.

A timeline is a tuple of steps, each `after` seconds from the message's creation. Nothing ticks:
reading the status at time t picks the last step due by t. Forcing a status or injecting a reply
rewrites the timeline from that instant on, so history stays a pure function too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core import statuses
from simulator.core.errors import IllegalTransition


@dataclass(frozen=True)
class Step:
    after: float  # seconds after the message was created
    status: str
    reason: str | None = None

    def to_dict(self) -> dict:
        return {"after": self.after, "status": self.status, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict) -> Step:
        return cls(data["after"], data["status"], data.get("reason"))


@dataclass(frozen=True)
class Media:
    url: str
    filename: str
    filesize: int

    def to_dict(self) -> dict:
        return {"url": self.url, "filename": self.filename, "filesize": self.filesize}

    @classmethod
    def from_dict(cls, data: dict) -> Media:
        return cls(data["url"], data["filename"], data["filesize"])


@dataclass(frozen=True)
class Reply:
    after: float
    text: str | None = None
    media: Media | None = None

    def to_dict(self) -> dict:
        return {"after": self.after, "text": self.text, "media": self.media.to_dict() if self.media else None}

    @classmethod
    def from_dict(cls, data: dict) -> Reply:
        media = data.get("media")
        return cls(data["after"], data.get("text"), Media.from_dict(media) if media else None)


@dataclass(frozen=True)
class Event:
    """Something that happened to a message at `after` seconds: a transition on a leg, or a reply."""

    after: float
    leg: str  # "primary", "fallback" or "reply"
    status: str
    reason: str | None = None
    reply: Reply | None = None

    def to_dict(self) -> dict:
        reply = self.reply.to_dict() if self.reply else None
        return {"after": self.after, "leg": self.leg, "status": self.status, "reason": self.reason, "reply": reply}

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        reply = data.get("reply")
        return cls(
            data["after"], data["leg"], data["status"], data.get("reason"), Reply.from_dict(reply) if reply else None
        )


@dataclass(frozen=True)
class State:
    status: str | None
    reason: str | None
    since: float | None
    history: tuple[Step, ...] = field(default_factory=tuple)


def check_timeline(steps: tuple[Step, ...] | list[Step]) -> None:
    """Raise ValueError naming the first bad step: unknown status, time going back, illegal edge."""
    current = None
    previous_after = 0.0
    for index, step in enumerate(steps):
        if step.status not in statuses.ALL:
            raise ValueError(f"[{index}].status: unknown status {step.status!r}")
        if step.reason is not None and step.reason not in statuses.REASONS:
            raise ValueError(f"[{index}].reason: unknown reason {step.reason!r}")
        if step.after < previous_after:
            raise ValueError(f"[{index}].after: steps must not go back in time")
        if not statuses.is_legal(current, step.status):
            allowed = sorted(statuses.INITIAL) if current is None else statuses.legal_targets(current)
            raise ValueError(
                f"[{index}].status: {current or 'start'} -> {step.status} is not a legal transition"
                f" (allowed: {', '.join(allowed) or 'none, it is final'})"
            )
        current, previous_after = step.status, step.after


_NOT_STARTED = State(None, None, None)  # frozen: one serves every timeline with nothing reached (most fallbacks)


def state_at(steps: tuple[Step, ...], elapsed: float) -> State:
    if not steps:
        return _NOT_STARTED
    reached = tuple(step for step in steps if step.after <= elapsed)
    if not reached:
        return _NOT_STARTED
    last = reached[-1]
    return State(last.status, last.reason, last.after, reached)


def force(steps: tuple[Step, ...], elapsed: float, status: str, reason: str | None) -> tuple[Step, ...]:
    """Move to `status` now: keep the past, drop what had not happened yet."""
    past = tuple(step for step in steps if step.after <= elapsed)
    current = past[-1].status if past else None
    if status not in statuses.ALL:
        raise IllegalTransition(current, status, sorted(statuses.ALL))
    if not statuses.is_legal(current, status):
        allowed = sorted(statuses.INITIAL) if current is None else statuses.legal_targets(current)
        raise IllegalTransition(current, status, allowed)
    return (*past, Step(elapsed, status, reason))


def with_reply(steps: tuple[Step, ...], elapsed: float) -> tuple[Step, ...]:
    """The timeline after an inbound reply at `elapsed`: the message becomes replied."""
    current = state_at(steps, elapsed).status
    if current == statuses.REPLIED or not statuses.is_legal(current, statuses.REPLIED):
        return steps
    return force(steps, elapsed, statuses.REPLIED, None)


def replied_timeline(steps: tuple[Step, ...], replies: tuple[Reply, ...]) -> tuple[Step, ...]:
    """Fold scheduled replies into a timeline: each legal reply instant adds a `replied` step."""
    result = steps
    for reply in sorted(replies, key=lambda item: item.after):
        later = tuple(step for step in result if step.after > reply.after)
        result = (*with_reply(tuple(s for s in result if s.after <= reply.after), reply.after), *later)
    return result


def events(steps: tuple[Step, ...], fallback: tuple[Step, ...], replies: tuple[Reply, ...]) -> list[Event]:
    """Every event of a message in time order (stable: primary, then fallback, then replies)."""
    found = [Event(step.after, "primary", step.status, step.reason) for step in steps]
    found += [Event(step.after, "fallback", step.status, step.reason) for step in fallback]
    found += [Event(reply.after, "reply", statuses.REPLIED, None, reply) for reply in replies]
    order = {"primary": 0, "fallback": 1, "reply": 2}
    return sorted(found, key=lambda event: (event.after, order[event.leg]))


def shift(steps: tuple[Step, ...], seconds: float) -> tuple[Step, ...]:
    return tuple(Step(step.after + seconds, step.status, step.reason) for step in steps)


def until(
    limit: float, steps: tuple[Step, ...], fallback: tuple[Step, ...], replies: tuple[Reply, ...]
) -> tuple[tuple[Step, ...], tuple[Step, ...], tuple[Reply, ...]]:
    """The steps, fallback steps and replies due by `limit` seconds, the later ones left out."""
    return (
        tuple(step for step in steps if step.after <= limit),
        tuple(step for step in fallback if step.after <= limit),
        tuple(reply for reply in replies if reply.after <= limit),
    )


def step_before(steps: tuple[Step, ...], event: Event) -> Step | None:
    """The step a primary-leg event follows, or None for the first (callbacks post only real changes)."""
    here = Step(event.after, event.status, event.reason)
    index = steps.index(here) if here in steps else len(steps)
    return steps[index - 1] if index > 0 else None
