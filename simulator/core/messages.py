"""The message record core keeps, and the view of it at an instant."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime

from simulator.core import lifecycle
from simulator.core.lifecycle import Reply, State, Step


@dataclass(frozen=True)
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
            replies=tuple(reply for reply in self.replies if reply.after <= elapsed),
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
