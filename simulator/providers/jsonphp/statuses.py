"""Canonical statuses and reasons in json.php's words.

doc: READ and REPLIED (seeds 001/000), DELIVERED (docs page "HLR"). The rest is inferred from the
historic AlphaSMS status table (PyPI alphasms-client 0.1.3 `result_codes`: scheduled, enroute,
delivered, expired, undeliverable, accepted, unknown, rejected, discarded...), upper-cased like the
documented values, because the docs' message_statuses reference page was not retrievable.
"""

from __future__ import annotations

from simulator.core import statuses as canonical
from simulator.core.messages import MessageView

STATUSES: dict[str, str] = {
    canonical.SCHEDULED: "SCHEDULED",
    canonical.PENDING: "ACCEPTED",
    canonical.SENT: "ENROUTE",
    canonical.DELIVERED: "DELIVERED",
    canonical.READ: "READ",
    canonical.REPLIED: "REPLIED",
    canonical.UNDELIVERED: "UNDELIVERABLE",
    canonical.EXPIRED: "EXPIRED",
    canonical.REJECTED: "REJECTED",
    canonical.FAILED: "DISCARDED",
}

# A reason names the status when the message has failed; the historic table has no finer words.
REASONS: dict[str, str] = {
    "not_registered": "UNDELIVERABLE",
    "blocked_by_recipient": "UNDELIVERABLE",
    "blacklisted": "REJECTED",
    "spam": "REJECTED",
    "censorship": "REJECTED",
    "invalid_number": "UNDELIVERABLE",
    "prohibited_operator": "REJECTED",  # historic 111 "receiver's operator is not supported"
    "unsupported_device": "UNDELIVERABLE",
    "opted_out": "REJECTED",
    "system_failure": "UNKNOWN",  # historic 107 unknown
    "timed_out": "EXPIRED",
    "ttl_expired": "EXPIRED",
    "rejected_by_viber": "REJECTED",
    "insufficient_balance": "DISCARDED",  # historic 109 discarded
    "not_reachable": "UNDELIVERABLE",
}

_FAILED = frozenset({canonical.UNDELIVERED, canonical.EXPIRED, canonical.REJECTED, canonical.FAILED})


def word(status: str | None, reason: str | None) -> str:
    if status is None:  # not yet started: a scheduled message before its first step
        return STATUSES[canonical.SCHEDULED]
    if status in _FAILED and reason in REASONS:
        return REASONS[reason]
    return STATUSES[status]


def of(view: MessageView, with_fallback: bool) -> str:
    """The status a client sees: the SMS leg's once it started, when the client asked for one."""
    if with_fallback and view.fallback_state.status is not None:
        return word(view.fallback_state.status, view.fallback_state.reason)
    return word(view.status, view.reason)
