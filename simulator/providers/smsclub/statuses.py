"""Canonical statuses and reasons (simulator/core/statuses.py) in SMS Club's words."""

from __future__ import annotations

from simulator.core import statuses as canonical
from simulator.core.lifecycle import State
from simulator.core.messages import MessageView
from simulator.providers.smsclub import messages as msg

# Main Viber status, and the SMS leg's status (same words) [seed 004].
MAIN = {
    canonical.SCHEDULED: msg.PENDING,
    canonical.PENDING: msg.PENDING,
    canonical.SENT: msg.SENT,
    canonical.DELIVERED: msg.DELIVERED,
    canonical.READ: msg.DELIVERED,
    canonical.REPLIED: msg.DELIVERED,
    canonical.UNDELIVERED: msg.UNDELIVERABLE,
    canonical.EXPIRED: msg.EXPIRED,
    canonical.REJECTED: msg.REJECTED,
    canonical.FAILED: msg.UNDELIVERABLE,  # inferred: "the message cannot be delivered"
}

# additionStatus for a status, whatever its reason.
BY_STATUS = {canonical.READ: msg.READ, canonical.REPLIED: msg.READ}  # inferred: a reply implies it was read

# additionStatus for a reason; None where SMS Club has no detailed word for it.
BY_REASON: dict[str, str | None] = {
    "not_registered": msg.NOT_REGISTERED,
    "blocked_by_recipient": msg.BLOCKED_BY_RECIPIENT,
    "blacklisted": msg.BLACK_LIST,
    "spam": msg.SPAMMING,
    "censorship": msg.CENSORSHIP,
    "invalid_number": msg.INVALID_RECIPIENT,
    "prohibited_operator": msg.PROHIBITED_OPERATOR,
    "unsupported_device": msg.UNSUPPORTED_DEVICE,
    "opted_out": msg.BLOCKED_BY_RECIPIENT,  # inferred: closest word
    "system_failure": None,
    "timed_out": None,
    "ttl_expired": None,
    "rejected_by_viber": None,
    "insufficient_balance": None,
    "not_reachable": None,
}

# The SMS API's SMPP-style words.
SMS = {
    canonical.SCHEDULED: msg.SMS_ENROUTE,
    canonical.PENDING: msg.SMS_ENROUTE,
    canonical.SENT: msg.SMS_ENROUTE,
    canonical.DELIVERED: msg.SMS_DELIVERED,
    canonical.READ: msg.SMS_DELIVERED,
    canonical.REPLIED: msg.SMS_DELIVERED,
    canonical.UNDELIVERED: msg.SMS_UNDELIVERED,
    canonical.EXPIRED: msg.SMS_EXPIRED,
    canonical.REJECTED: msg.SMS_REJECTED,
    canonical.FAILED: msg.SMS_UNDELIVERED,
}


def _main(state: State) -> str:
    return MAIN[state.status] if state.status else msg.PENDING  # nothing happened yet: still queued


def viber(view: MessageView, with_sms: bool) -> tuple[str, str | None, str | None]:
    """(status, additionStatus, smsStatus) of a Viber message as /vibers/status reports it.

    smsStatus stays null until the SMS leg starts, and always for messages sent without senderSms.
    """
    addition = BY_STATUS.get(view.status) or (BY_REASON[view.reason] if view.reason else None)
    sms = _main(view.fallback_state) if with_sms and view.fallback_state.status else None
    return _main(view.state), addition, sms


def sms(view: MessageView) -> str:
    return SMS[view.status] if view.status else msg.SMS_ENROUTE
