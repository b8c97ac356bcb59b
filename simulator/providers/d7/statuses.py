"""Canonical statuses and reasons in D7's words, per channel (reports and delivery callbacks).

Viber words: doc: seed 002_704e79d5efa74dcf.txt (delivered, sent, undelivered).
SMS words: doc: https://d7networks.com/docs/SMS/Get-Status (delivered, sent, scheduled, un_delivered,
not_reachable, spam_content, insufficient_credit).
"""

from __future__ import annotations

from simulator.core import statuses as s

VIBER_STATUSES = {
    s.SCHEDULED: "scheduled",  # inferred: documented for SMS only
    s.PENDING: "sent",  # doc: the seed's report right after sending shows "sent"; D7 has no queued word
    s.SENT: "sent",
    s.DELIVERED: "delivered",
    s.READ: "delivered",  # inferred: D7 Viber reports no seen/read
    s.REPLIED: "delivered",  # inferred: nor replies
    s.UNDELIVERED: "undelivered",
    s.EXPIRED: "undelivered",
    s.REJECTED: "undelivered",
    s.FAILED: "undelivered",
}

SMS_STATUSES = {
    s.SCHEDULED: "scheduled",
    s.PENDING: "sent",
    s.SENT: "sent",
    s.DELIVERED: "delivered",
    s.READ: "delivered",
    s.REPLIED: "delivered",
    s.UNDELIVERED: "un_delivered",
    s.EXPIRED: "un_delivered",
    s.REJECTED: "un_delivered",
    s.FAILED: "un_delivered",
}

# A reason refines a failed status (undelivered, expired, rejected, failed) into D7's detailed word.
VIBER_REASONS = {reason: "undelivered" for reason in s.REASONS}  # doc: the Viber page lists one failure word

SMS_REASONS = {
    "not_registered": "un_delivered",
    "blocked_by_recipient": "un_delivered",
    "blacklisted": "un_delivered",
    "spam": "spam_content",
    "censorship": "spam_content",
    "invalid_number": "not_reachable",
    "prohibited_operator": "un_delivered",
    "unsupported_device": "un_delivered",
    "opted_out": "un_delivered",
    "system_failure": "un_delivered",
    "timed_out": "un_delivered",
    "ttl_expired": "un_delivered",
    "rejected_by_viber": "un_delivered",
    "insufficient_balance": "insufficient_credit",
    "not_reachable": "not_reachable",
}

_FAILED = frozenset({s.UNDELIVERED, s.EXPIRED, s.REJECTED, s.FAILED})
_TABLES = {"viber": (VIBER_STATUSES, VIBER_REASONS), "sms": (SMS_STATUSES, SMS_REASONS)}


def word(channel: str, status: str | None, reason: str | None = None) -> str:
    """D7's status word for a canonical status (and reason) on `channel` ("viber" or "sms")."""
    by_status, by_reason = _TABLES[channel]
    if status is None:  # not yet created on the timeline: D7 shows a fresh message as sent
        return by_status[s.PENDING]
    if status in _FAILED and reason in by_reason:
        return by_reason[reason]
    return by_status[status]
