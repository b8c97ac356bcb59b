"""Messages and journal entries as control-API JSON (ours, not a provider's)."""

from __future__ import annotations

from datetime import UTC, datetime

from simulator.core import lifecycle, statuses
from simulator.core.clock import iso
from simulator.core.lifecycle import Reply, Step
from simulator.core.messages import MessageView

# Journal fields holding simulated epoch seconds, shown as ISO instants.
_TIME_FIELDS = ("time", "started", "at")


def instant(timestamp: float | None) -> str | None:
    return iso(datetime.fromtimestamp(timestamp, tz=UTC)) if timestamp is not None else None


def _steps(created_at: float, steps: tuple[Step, ...]) -> list[dict]:
    return [{"status": s.status, "reason": s.reason, "at": instant(created_at + s.after)} for s in steps]


def _leg(view: MessageView, steps: tuple[Step, ...], state: lifecycle.State) -> dict:
    created = view.message.created_at
    elapsed = view.message.elapsed(view.now)
    return {
        "status": state.status,
        "reason": state.reason,
        "status_changed_at": instant(created + state.since) if state.since is not None else None,
        "history": _steps(created, state.history),
        "upcoming": _steps(created, tuple(step for step in steps if step.after > elapsed)),
    }


def _reply(created_at: float, reply: Reply) -> dict:
    media = reply.media
    return {
        "at": instant(created_at + reply.after),
        "text": reply.text,
        "media": {"url": media.url, "filename": media.filename, "filesize": media.filesize} if media else None,
    }


def message_json(view: MessageView) -> dict:
    """Everything known about a message at the view's instant, including why its scenario was chosen."""
    message = view.message
    primary = _leg(view, message.steps, view.state)
    legal = statuses.legal_targets(view.status) if view.status else sorted(statuses.INITIAL)
    return {
        "key": message.key,
        "provider": message.provider,
        "id": message.id,
        "channel": message.channel,
        "account": message.account,
        "recipient": message.recipient,
        "sender": message.sender,
        "text": message.text,
        "created_at": instant(message.created_at),
        **primary,
        "legal_next": legal,
        "scenario": {"name": message.scenario, "matched_by": message.matched_by},
        "cost": message.cost,
        "group": message.group,
        "fallback": {"channel": message.fallback_channel, **_leg(view, message.fallback, view.fallback_state)}
        if message.fallback
        else None,
        "replies": [_reply(message.created_at, reply) for reply in view.replies],
        "attrs": message.attrs,
    }


def entry_json(entry: dict) -> dict:
    """A journal entry with its simulated times as ISO instants."""
    return {key: instant(value) if key in _TIME_FIELDS and value is not None else value for key, value in entry.items()}
