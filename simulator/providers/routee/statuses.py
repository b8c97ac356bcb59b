"""Canonical statuses and reasons in Routee's words, one vocabulary per channel (the differences are data).

Viber: doc: https://docs.routee.net/docs/viber-messaging-statuses (statuses and detailed statuses, verbatim);
doc: failover-callbacks ("Delivered" / "The message was delivered to its recipient.").
SMS: doc: https://docs.routee.net/docs/statuses-callbacks (statuses and detailed statuses, verbatim);
doc: reference/smstrackingsingle (detailedStatus values); sdk: a mirror of reference/send-single-sms ("If the
SMS is not delivered within the validity period, then the SMS status will be "Undelivered", with
"detailedStatus": "Expired"").
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core import statuses as s

UNSENT_REASON = "insufficient_balance"


@dataclass(frozen=True)
class Vocabulary:
    words: dict[str, str]  # canonical status -> the word shown
    unsent: str  # the word for a message that failed for lack of balance
    reasons: dict[str, tuple[str, str]]  # canonical reason -> (detailedStatus, description)
    defaults: dict[str, tuple[str, str]]  # canonical status -> detail when the reason gives none
    fixed: frozenset[str]  # words whose detail is always the status's default (success)
    silent: frozenset[str]  # words shown without a detail (inferred: nothing to explain yet)
    completed: frozenset[str]  # the words an OnCompletion callback waits for

    def word(self, status: str | None, reason: str | None = None) -> str:
        if status == s.FAILED and reason == UNSENT_REASON:
            return self.unsent
        return self.words[status or s.PENDING]

    def reason_object(self, status: str | None, reason: str | None = None) -> dict | None:
        """The `reason` object a body shows, or None to leave it out."""
        found = self.detail(status, reason)
        return {"detailedStatus": found[0], "description": found[1]} if found else None

    def detail(self, status: str | None, reason: str | None = None) -> tuple[str, str] | None:
        """(detailedStatus, description), or None while there is nothing to explain."""
        shown = self.word(status, reason)
        if shown in self.silent:
            return None
        if shown in self.fixed:
            return self.defaults[status]
        return self.reasons.get(reason) or self.defaults[status]


# Viber
QUEUED, SENT, DELIVERED, SEEN = "QUEUED", "SENT", "DELIVERED", "SEEN"
UNDELIVERED, EXPIRED, FAILED, UNSENT = "UNDELIVERED", "EXPIRED", "FAILED", "UNSENT"

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

VIBER = Vocabulary(
    words={
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
    },
    unsent=UNSENT,  # doc: "UNSENT ... could not be sent due to insufficient balance"
    reasons={
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
        UNSENT_REASON: INSUFFICIENT_BALANCE,
    },
    # inferred: the failover example shows Delivered's
    defaults={
        s.DELIVERED: DELIVERED_REASON,
        s.READ: SEEN_REASON,
        s.REPLIED: SEEN_REASON,
        s.UNDELIVERED: SYSTEM_FAILURE,
        s.REJECTED: SYSTEM_FAILURE,
        s.EXPIRED: TTL_EXPIRED,
        s.FAILED: SYSTEM_FAILURE,
    },
    fixed=frozenset({DELIVERED, SEEN}),
    silent=frozenset({QUEUED, SENT}),
    completed=frozenset({DELIVERED, SEEN, UNDELIVERED, EXPIRED, FAILED, UNSENT}),  # inferred
)

# SMS: the statuses are Capitalised (doc: statuses-callbacks)
SMS_QUEUED, SMS_SENT, SMS_DELIVERED = "Queued", "Sent", "Delivered"
SMS_UNDELIVERED, SMS_FAILED, SMS_UNSENT = "Undelivered", "Failed", "Unsent"

# The descriptions of Sent, Delivered, Failed and Unsent are those of the statuses (doc: statuses-callbacks)
SMS_SENT_REASON = (
    "Sent",
    "The SMS was sent to its recipient but Routee doesn't know yet if it has been delivered or not.",
)
SMS_DELIVERED_REASON = ("Delivered", "The SMS was sent and it was delivered to its recipient.")
SMS_FAILED_REASON = ("Failed", "The SMS was not sent because Routee was unable to process it.")
SMS_UNSENT_REASON = ("Unsent", "The SMS was not sent due to insufficient balance.")  # inferred: a detail named so
UNDELIVERED_ON_HANDSET = (
    "Undelivered on Handset",
    "The destination handset you are trying to reach is switched off or otherwise unavailable.",
)
UNKNOWN_NUMBER = (
    "Unknown Number",
    "The destination number you are trying to reach is unknown and may no longer exist.",
)
CALL_BARRED = ("Call Barred", "The destination number you are trying to reach is blocked from receiving this message.")
UNKNOWN_STATUS = ("Unknown Status", "Undelivered for unknown reason.")
CARRIER_VIOLATION = (
    "Carrier Violation",
    "Your message was flagged as objectionable by the carrier. In order to protect their subscribers, many carriers "
    "have implemented content or spam filtering.",
)
SMS_EXPIRED = (
    "Expired",
    "TTL validity period expired. The message is not delivered to the recipient after multiple re-tries.",
)

SMS = Vocabulary(
    words={
        s.SCHEDULED: SMS_QUEUED,
        s.PENDING: SMS_QUEUED,
        s.SENT: SMS_SENT,
        s.DELIVERED: SMS_DELIVERED,
        s.READ: SMS_DELIVERED,  # inferred: an SMS has no read receipt
        s.REPLIED: SMS_DELIVERED,
        s.UNDELIVERED: SMS_UNDELIVERED,
        s.EXPIRED: SMS_UNDELIVERED,  # doc: an expired SMS is Undelivered, detailed status Expired
        s.REJECTED: SMS_UNDELIVERED,
        s.FAILED: SMS_FAILED,
    },
    unsent=SMS_UNSENT,  # doc: "Unsent (final) The SMS was not sent due to insufficient balance."
    # inferred: the closest SMS detail for each canonical reason
    reasons={
        "not_registered": UNKNOWN_NUMBER,
        "invalid_number": UNKNOWN_NUMBER,
        "blocked_by_recipient": CALL_BARRED,
        "opted_out": CALL_BARRED,
        "blacklisted": CALL_BARRED,
        "prohibited_operator": CALL_BARRED,
        "spam": CARRIER_VIOLATION,
        "censorship": CARRIER_VIOLATION,
        "rejected_by_viber": CARRIER_VIOLATION,
        "unsupported_device": UNDELIVERED_ON_HANDSET,
        "not_reachable": UNDELIVERED_ON_HANDSET,
        "system_failure": UNKNOWN_STATUS,
        "timed_out": SMS_EXPIRED,
        "ttl_expired": SMS_EXPIRED,
        UNSENT_REASON: SMS_UNSENT_REASON,
    },
    defaults={
        s.SENT: SMS_SENT_REASON,
        s.DELIVERED: SMS_DELIVERED_REASON,
        s.READ: SMS_DELIVERED_REASON,
        s.REPLIED: SMS_DELIVERED_REASON,
        s.UNDELIVERED: UNKNOWN_STATUS,
        s.EXPIRED: SMS_EXPIRED,
        s.REJECTED: CARRIER_VIOLATION,
        s.FAILED: SMS_FAILED_REASON,
    },
    fixed=frozenset({SMS_SENT, SMS_DELIVERED}),
    silent=frozenset({SMS_QUEUED}),
    # doc: "OnCompletion ... when a final status arrives"; the final ones are marked so in statuses-callbacks
    completed=frozenset({SMS_DELIVERED, SMS_UNDELIVERED, SMS_FAILED, SMS_UNSENT}),
)

VOCABULARIES = {"viber": VIBER, "sms": SMS}
