"""Turning what the operator door shows into the plain dicts the inbox page renders (no Flask here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

from simulator.core import statuses
from simulator.core.clock import Clock, iso
from simulator.core.doors import MessageQuery, OperatorDoor
from simulator.core.lifecycle import Reply, State, Step
from simulator.core.messages import MessageView

LIST_TEXT_LIMIT = 160  # the list shows a preview; the message view shows the whole text


@dataclass(frozen=True)
class Filters:
    provider: str | None = None
    status: str | None = None
    recipient: str | None = None  # a substring of the recipient number
    contains: str | None = None  # a substring of the text (the control API's `contains`)
    limit: int = 200


def clock(clock: Clock) -> dict:
    return {"now": iso(clock.now()), "timestamp": clock.timestamp(), "frozen": clock.frozen}


def message_list(door: OperatorDoor, filters: Filters) -> dict:
    """The newest matching messages, with the namespace's total and the status chips' counts.

    The chips count within every filter but the status one (they are how a person picks it): from the
    store's counters for a provider alone; a text or recipient part costs one walk of the candidates,
    as the list's own total does.
    """
    everywhere = door.message_counts()
    where = MessageQuery(
        provider=filters.provider,
        status=filters.status,
        recipient_contains=filters.recipient,
        contains=filters.contains,
    )
    by_status: Counter[str] = Counter()
    for status, count in door.status_counts(replace(where, status=None)).items():
        by_status[status or "none"] += count
    page = door.messages(where, limit=filters.limit)
    currency = currencies(door, {view.message.provider for view in page.views})
    return {
        "clock": clock(door.clock),
        "total": sum(everywhere.values()),
        "matching": page.total,
        "counts": dict(by_status),
        "providers": sorted({provider for (provider, _), count in everywhere.items() if count}),
        "messages": [summary(view, currency.get((view.message.provider, view.message.account))) for view in page.views],
    }


def currencies(door: OperatorDoor, providers: set[str]) -> dict[tuple[str, str], str]:
    """(provider, account name) -> the account's currency, for the accounts of these providers."""
    return {(provider, account.name): account.currency for provider in providers for account in door.accounts(provider)}


def money(amount: float, currency: str | None) -> str:
    """A cost as a person reads it: two decimals, or as many more as it needs, so D7's 0.0001 is
    not shown as 0.00; then the currency when the account is known (it may have been replaced)."""
    exact = Decimal(f"{amount:.12g}")  # twelve significant digits: float noise (0.1 + 0.2) gone, the value kept
    places = max(2, -int(exact.normalize().as_tuple().exponent))
    text = f"{exact:.{places}f}"
    return f"{text} {currency}" if currency else text


def summary(view: MessageView, currency: str | None) -> dict:
    message = view.message
    text = message.text or ""
    return {
        "key": message.key,
        "provider": message.provider,
        "id": message.id,
        "channel": message.channel,
        "recipient": message.recipient,
        "sender": message.sender,
        "text": text if len(text) <= LIST_TEXT_LIMIT else text[: LIST_TEXT_LIMIT - 1] + "…",
        "status": view.status,
        "reason": view.reason,
        "fallback_status": view.fallback_state.status,
        "replies": len(view.replies),
        "scenario": message.scenario,
        "matched_by": message.matched_by,
        "cost": message.cost,
        "currency": currency,
        "cost_text": money(message.cost, currency),
        "created_at": iso(view.moment(0)),
    }


def detail(door: OperatorDoor, view: MessageView) -> dict:
    message = view.message
    elapsed = message.elapsed(view.now)
    fallback = None
    if message.fallback:
        fallback = {
            "channel": message.fallback_channel,
            **_leg(view, view.fallback_state, message.fallback, elapsed),
        }
    currency = currencies(door, {message.provider}).get((message.provider, message.account))
    return {
        **summary(view, currency),
        "text": message.text,
        "account": message.account,
        "group": message.group,
        "attrs": message.attrs,
        **_leg(view, view.state, message.steps, elapsed),
        "fallback": fallback,
        "reply_list": [_reply(view, reply) for reply in view.replies],
        "legal_targets": legal_targets(view.status),
        "webhooks": webhooks(door, message.key),
        "requests": requests_for(door, message.provider, message.id),
    }


def legal_targets(current: str | None) -> list[str]:
    """What a person may force the message to now: exactly the transition table's edges."""
    return sorted(statuses.INITIAL) if current is None else statuses.legal_targets(current)


def _leg(view: MessageView, state: State, steps: tuple[Step, ...], elapsed: float) -> dict:
    return {
        "status": state.status,
        "reason": state.reason,
        "history": [_step(view, step) for step in state.history],
        "upcoming": [_step(view, step) for step in steps if step.after > elapsed],
    }


def _step(view: MessageView, step: Step) -> dict:
    return {"status": step.status, "reason": step.reason, "after": step.after, "at": iso(view.moment(step.after))}


def _reply(view: MessageView, reply: Reply) -> dict:
    media = reply.media
    return {
        "at": iso(view.moment(reply.after)),
        "text": reply.text,
        "media": {"url": media.url, "filename": media.filename, "filesize": media.filesize} if media else None,
    }


def webhooks(door: OperatorDoor, key: str) -> list[dict]:
    return [
        {
            "at": iso_seconds(entry["at"]),
            "url": entry["url"],
            "attempt": entry["attempt"],
            "status": entry["status"],
            "error": entry["error"],
            "latency_ms": entry["latency_ms"],
            "body": entry["body"],
        }
        for entry in door.journal("webhook")
        if entry.get("message") == key
    ]


def requests_for(door: OperatorDoor, provider: str, message_id: str) -> list[dict]:
    """Journal requests to the message's provider that name its id (the send, status checks).

    The journal does not tie requests to messages, so this finds them by the id in the path, query,
    body or response; a short numeric id may also match an unrelated request, which is harmless here.
    """
    found = []
    for entry in door.journal("request"):
        if entry.get("provider") != provider:
            continue
        haystack = (entry.get("path", ""), entry.get("query", ""), entry.get("body", ""), entry.get("response", ""))
        if any(message_id in part for part in haystack):
            found.append(
                {
                    "at": iso_seconds(entry["time"]),
                    "method": entry.get("method"),
                    "path": entry.get("path"),
                    "query": entry.get("query"),
                    "status": entry.get("status"),
                    "headers": entry.get("headers", {}),
                    "body": entry.get("body"),
                    "response": entry.get("response"),
                }
            )
    return found


def iso_seconds(timestamp: float) -> str:
    return iso(datetime.fromtimestamp(timestamp, tz=UTC))
