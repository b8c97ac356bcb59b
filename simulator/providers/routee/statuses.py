"""Canonical statuses and reasons in Routee's words.

doc: https://docs.routee.net/docs/viber-messaging-statuses (statuses and detailed statuses, verbatim);
doc: failover-callbacks ("Delivered" / "The message was delivered to its recipient.").
"""

from __future__ import annotations

from simulator.core import statuses as s

QUEUED, SENT, DELIVERED, SEEN = "QUEUED", "SENT", "DELIVERED", "SEEN"
UNDELIVERED, EXPIRED, FAILED, UNSENT = "UNDELIVERED", "EXPIRED", "FAILED", "UNSENT"

STATUSES = {
    s.SCHEDULED: QUEUED,
    s.PENDING: QUEUED,
    s.SENT: SENT,  # inferred: Routee lists SENT among the statuses a message passes
    s.DELIVERED: DELIVERED,
    s.READ: SEEN,
    s.REPLIED: SEEN,  # inferred: a reply means it was seen
    s.UNDELIVERED: UNDELIVERED,
    s.EXPIRED: EXPIRED,
    s.REJECTED: UNDELIVERED,  # doc: "Message Rejected" is a detailed status of Undelivered
    s.FAILED: FAILED,
}
FINAL = frozenset({SEEN, UNDELIVERED, EXPIRED, FAILED, UNSENT})
COMPLETED = FINAL | {DELIVERED}  # inferred: what an OnCompletion callback waits for

NOT_VIBER_USER = ("Not Viber User", "The recipient is not a Viber user.")
OPTED_OUT = ("Opted Out", "Message could not be delivered because the recipient has opted out.")
SYSTEM_FAILURE = ("System Failure", "Destination network error. Generic failure.")
MESSAGE_REJECTED = ("Message Rejected", "Viber rejected the message due to incorrect parameters")
TIMED_OUT = (
    "Timed Out",
    "A network node en route or inside of the destination operator did not respond or did not respond in time.",
)
UNSUPPORTED_EQUIPMENT = ("Unsupported Equipment", "The receiver handset is not able to receive Viber messages")
TTL_EXPIRED = ("TTL Expired", "The TTL of the message has expired. The message could not be delivered.")
DELIVERED_REASON = ("Delivered", "The message was delivered to its recipient.")
SEEN_REASON = ("Seen", "The message was delivered and read by the recipient.")  # inferred
INSUFFICIENT_BALANCE = (
    "Insufficient Balance",
    "The message could not be sent due to insufficient balance.",
)  # inferred

REASONS = {
    "not_registered": NOT_VIBER_USER,
    "blocked_by_recipient": OPTED_OUT,
    "opted_out": OPTED_OUT,
    "blacklisted": MESSAGE_REJECTED,
    "spam": MESSAGE_REJECTED,
    "censorship": MESSAGE_REJECTED,
    "invalid_number": MESSAGE_REJECTED,
    "prohibited_operator": MESSAGE_REJECTED,
    "rejected_by_viber": MESSAGE_REJECTED,
    "unsupported_device": UNSUPPORTED_EQUIPMENT,
    "system_failure": SYSTEM_FAILURE,
    "timed_out": TIMED_OUT,
    "not_reachable": TIMED_OUT,
    "ttl_expired": TTL_EXPIRED,
    "insufficient_balance": INSUFFICIENT_BALANCE,
}
# What a status shows when its step gives no reason. inferred: the failover example shows Delivered's
_DEFAULT_REASONS = {
    DELIVERED: DELIVERED_REASON,
    SEEN: SEEN_REASON,
    UNDELIVERED: SYSTEM_FAILURE,
    EXPIRED: TTL_EXPIRED,
    FAILED: SYSTEM_FAILURE,
    UNSENT: INSUFFICIENT_BALANCE,
}


def word(status: str | None, reason: str | None = None) -> str:
    if status == s.FAILED and reason == "insufficient_balance":
        return UNSENT  # doc: "UNSENT ... could not be sent due to insufficient balance"
    return STATUSES[status] if status else QUEUED


def detail(status: str | None, reason: str | None = None) -> tuple[str, str] | None:
    """(detailedStatus, description) for a status, or None while it is queued or sent (inferred)."""
    shown = word(status, reason)
    if shown in (QUEUED, SENT):
        return None
    if shown in (DELIVERED, SEEN):
        return _DEFAULT_REASONS[shown]
    return REASONS.get(reason) or _DEFAULT_REASONS[shown]
