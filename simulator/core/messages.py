"""The message record core keeps, its compact stored form, and the view of it at an instant."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from simulator.core import lifecycle
from simulator.core.lifecycle import Media, Reply, State, Step

# Values shared by many messages (timelines, channel and sender names, attribute keys, short texts)
# are kept once; the table stops growing at this size so unique values cannot fill memory.
INTERN_LIMIT = 65_536
INTERN_MAX_LENGTH = 200
_interned: dict[Any, Any] = {}
# Packed timeline -> its Step objects, so reading a record back builds no Steps for common timelines.
_timelines: dict[tuple, tuple[Step, ...]] = {}


# The fields of a packed record, in order (`Message.pack`); stores read them by position.
PACKED_FIELDS = (
    "provider", "id", "channel", "account", "recipient", "sender", "text", "created_at", "steps", "scenario",
    "matched_by", "cost", "fallback", "fallback_channel", "replies", "group", "attr_names", "attr_values",
)  # fmt: skip


def intern(value: Any) -> Any:
    """The one shared object equal to `value` (a str or a tuple of plain values), or `value` itself."""
    found = _interned.get(value)
    if found is not None:
        return found
    if len(_interned) < INTERN_LIMIT and (not isinstance(value, str) or len(value) <= INTERN_MAX_LENGTH):
        _interned[value] = value
    return value


def _pack_steps(steps: tuple[Step, ...]) -> tuple:
    if not steps:
        return ()
    packed = tuple((step.after, step.status, step.reason) for step in steps)
    # ints and floats compare equal but print differently: share only all-float timelines
    return intern(packed) if all(type(step.after) is float for step in steps) else packed


def _unpack_steps(packed: tuple) -> tuple[Step, ...]:
    if not packed:
        return ()
    steps = _timelines.get(packed)
    if steps is None:
        steps = tuple(Step(after, status, reason) for after, status, reason in packed)
        if packed is _interned.get(packed) and len(_timelines) < INTERN_LIMIT:
            _timelines[packed] = steps
    return steps


def _pack_replies(replies: tuple[Reply, ...]) -> tuple:
    def media(reply: Reply) -> tuple | None:
        return (reply.media.url, reply.media.filename, reply.media.filesize) if reply.media else None

    return tuple((reply.after, reply.text, media(reply)) for reply in replies)


def _unpack_replies(packed: tuple) -> tuple[Reply, ...]:
    return tuple(Reply(after, text, Media(*media) if media else None) for after, text, media in packed)


def _pack_attr_values(attrs: dict) -> tuple:
    values = tuple(intern(value) if isinstance(value, str) else value for value in attrs.values())
    try:
        return intern(values)  # batches and load tests repeat the same attributes
    except TypeError:  # a list or dict inside: not hashable, kept as it is
        return values


def _intern_text(value: str | None) -> str | None:
    return intern(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class Message:
    key: str  # "<provider>:<provider id>", unique in a namespace
    provider: str
    id: str  # the id the provider shows its clients
    channel: str
    account: str
    recipient: str
    sender: str | None
    text: str | None
    created_at: float  # simulated epoch seconds
    steps: tuple[Step, ...]
    scenario: str
    matched_by: str
    cost: float = 0.0
    fallback: tuple[Step, ...] = ()
    fallback_channel: str | None = None
    replies: tuple[Reply, ...] = ()
    group: str | None = None  # a batch the provider reports together (request id, campaign, chat)
    attrs: dict = field(default_factory=dict)  # provider-specific data, JSON-serialisable

    def elapsed(self, now: float) -> float:
        return now - self.created_at

    def at(self, now: float) -> MessageView:
        elapsed = self.elapsed(now)
        return MessageView(
            message=self,
            now=now,
            state=lifecycle.state_at(self.steps, elapsed),
            fallback_state=lifecycle.state_at(self.fallback, elapsed),
            replies=tuple(reply for reply in self.replies if reply.after <= elapsed) if self.replies else (),
        )

    def evolve(self, **changes) -> Message:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """A JSON-ready dict, for stores that keep messages outside this process."""
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["steps"] = [step.to_dict() for step in self.steps]
        data["fallback"] = [step.to_dict() for step in self.fallback]
        data["replies"] = [reply.to_dict() for reply in self.replies]
        return data

    def pack(self) -> tuple:
        """The compact stored form: a plain tuple of strings, numbers and shared tuples.

        The garbage collector stops tracking such tuples after its first look, so a million stored
        records cost a full collection nothing; shared values are kept once. `unpack(key, packed)`
        gives back an equal Message.
        """
        derived = self.key == f"{self.provider}:{self.id}"
        return (
            intern(self.provider),
            None if derived else self.id,
            intern(self.channel),
            intern(self.account),
            self.recipient,
            _intern_text(self.sender),
            _intern_text(self.text),
            self.created_at,
            _pack_steps(self.steps),
            intern(self.scenario),
            intern(self.matched_by),
            self.cost,
            _pack_steps(self.fallback),
            _intern_text(self.fallback_channel),
            _pack_replies(self.replies),
            self.group,
            intern(tuple(self.attrs)) if self.attrs else (),
            _pack_attr_values(self.attrs) if self.attrs else (),
        )

    @classmethod
    def unpack(cls, key: str, packed: tuple) -> Message:
        (provider, own_id, channel, account, recipient, sender, text, created_at, steps, scenario, matched_by, cost,
         fallback, fallback_channel, replies, group, names, values) = packed[: len(PACKED_FIELDS)]  # fmt: skip
        return cls(
            key=key,
            provider=provider,
            id=own_id if own_id is not None else key[len(provider) + 1 :],
            channel=channel,
            account=account,
            recipient=recipient,
            sender=sender,
            text=text,
            created_at=created_at,
            steps=_unpack_steps(steps),
            scenario=scenario,
            matched_by=matched_by,
            cost=cost,
            fallback=_unpack_steps(fallback),
            fallback_channel=fallback_channel,
            replies=_unpack_replies(replies) if replies else (),
            group=group,
            attrs=dict(zip(names, values, strict=True)) if names else {},
        )

    def outlook(self, now: float) -> tuple[str | None, float | None]:
        """(status at `now`, instant of the next event on any leg after `now`, None when nothing is
        left to happen): what a store's status index keeps, valid until that next event."""
        elapsed = now - self.created_at
        status, upcoming = None, None
        for step in self.steps:
            if step.after <= elapsed:
                status = step.status
            else:
                upcoming = step.after
                break
        for after in (*(step.after for step in self.fallback), *(reply.after for reply in self.replies)):
            if after > elapsed and (upcoming is None or after < upcoming):
                upcoming = after
        return status, (self.created_at + upcoming if upcoming is not None else None)

    @classmethod
    def from_dict(cls, data: dict) -> Message:
        return cls(
            **{
                **data,
                "steps": tuple(Step.from_dict(step) for step in data["steps"]),
                "fallback": tuple(Step.from_dict(step) for step in data.get("fallback", ())),
                "replies": tuple(Reply.from_dict(reply) for reply in data.get("replies", ())),
            }
        )


@dataclass(frozen=True)
class MessageView:
    """A message as seen at `now`: what a provider endpoint reports."""

    message: Message
    now: float
    state: State
    fallback_state: State
    replies: tuple[Reply, ...]

    @property
    def status(self) -> str | None:
        return self.state.status

    @property
    def reason(self) -> str | None:
        return self.state.reason

    def moment(self, after: float) -> datetime:
        """The absolute instant of an offset in this message's timeline."""
        return datetime.fromtimestamp(self.message.created_at + after, tz=UTC)

    @property
    def status_changed_at(self) -> datetime | None:
        return self.moment(self.state.since) if self.state.since is not None else None
