"""Canonical message statuses and the legal transitions between them.

Providers map these to their own words in their `statuses.py`; core never sees those.
"""

from __future__ import annotations

SCHEDULED = "scheduled"  # accepted, waiting for its planned send time
PENDING = "pending"  # accepted and queued
SENT = "sent"  # handed to the network or messenger
DELIVERED = "delivered"
READ = "read"
REPLIED = "replied"  # the recipient answered (Viber 2-way)
UNDELIVERED = "undelivered"
EXPIRED = "expired"  # lifetime/TTL passed before delivery
REJECTED = "rejected"  # refused by filters, blacklist or the operator
FAILED = "failed"  # the platform could not accept it (e.g. no balance at send time)

ALL = (SCHEDULED, PENDING, SENT, DELIVERED, READ, REPLIED, UNDELIVERED, EXPIRED, REJECTED, FAILED)

TRANSITIONS: dict[str, frozenset[str]] = {
    SCHEDULED: frozenset({PENDING, SENT, REJECTED, FAILED, EXPIRED}),
    PENDING: frozenset({SENT, DELIVERED, UNDELIVERED, EXPIRED, REJECTED, FAILED}),
    SENT: frozenset({DELIVERED, UNDELIVERED, EXPIRED, REJECTED, FAILED}),
    DELIVERED: frozenset({READ, REPLIED, EXPIRED}),
    READ: frozenset({REPLIED}),
    REPLIED: frozenset({REPLIED}),
    UNDELIVERED: frozenset(),
    EXPIRED: frozenset(),
    REJECTED: frozenset(),
    FAILED: frozenset(),
}

FINAL = frozenset(status for status, targets in TRANSITIONS.items() if not targets)
INITIAL = frozenset({SCHEDULED, PENDING, SENT, REJECTED, FAILED})

# Canonical reasons that explain a status; providers map them to their detailed statuses.
REASONS = (
    "not_registered",  # the recipient has no Viber
    "blocked_by_recipient",
    "blacklisted",
    "spam",
    "censorship",
    "invalid_number",
    "prohibited_operator",
    "unsupported_device",
    "opted_out",
    "system_failure",
    "timed_out",
    "ttl_expired",
    "rejected_by_viber",
    "insufficient_balance",
    "not_reachable",
)


def is_legal(current: str | None, target: str) -> bool:
    if current is None:
        return target in INITIAL
    return target in TRANSITIONS[current]


def legal_targets(current: str) -> list[str]:
    return sorted(TRANSITIONS[current])
