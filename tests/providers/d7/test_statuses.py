"""Every canonical status and reason has a D7 word, and only documented words come out."""

from __future__ import annotations

import pytest

from simulator.core import statuses as canonical
from simulator.providers.d7 import statuses

# doc: seed 002_704e79d5efa74dcf.txt (Viber) plus scheduled (inferred); doc: docs/SMS/Get-Status (SMS)
DOCUMENTED = {
    "viber": {"sent", "delivered", "undelivered", "scheduled"},
    "sms": {"delivered", "sent", "scheduled", "un_delivered", "not_reachable", "spam_content", "insufficient_credit"},
}
TABLES = {
    "viber": (statuses.VIBER_STATUSES, statuses.VIBER_REASONS),
    "sms": (statuses.SMS_STATUSES, statuses.SMS_REASONS),
}


@pytest.mark.parametrize("channel", ["viber", "sms"])
def test_tables_every_canonical_status_and_reason_mapped(channel) -> None:
    by_status, by_reason = TABLES[channel]
    assert set(by_status) == set(canonical.ALL)
    assert set(by_reason) == set(canonical.REASONS)


@pytest.mark.parametrize("channel", ["viber", "sms"])
def test_word_any_status_and_reason_gives_documented_word(channel) -> None:
    words = {
        statuses.word(channel, status, reason) for status in canonical.ALL for reason in (None, *canonical.REASONS)
    }
    assert words <= DOCUMENTED[channel]


@pytest.mark.parametrize(
    ("channel", "status", "reason", "expected"),
    [
        ("viber", None, None, "sent"),
        ("viber", canonical.PENDING, None, "sent"),
        ("viber", canonical.READ, None, "delivered"),
        ("viber", canonical.EXPIRED, "ttl_expired", "undelivered"),
        ("sms", canonical.UNDELIVERED, None, "un_delivered"),
        ("sms", canonical.UNDELIVERED, "not_reachable", "not_reachable"),
        ("sms", canonical.REJECTED, "spam", "spam_content"),
        ("sms", canonical.FAILED, "insufficient_balance", "insufficient_credit"),
        ("sms", canonical.DELIVERED, "spam", "delivered"),
        ("sms", canonical.SCHEDULED, None, "scheduled"),
    ],
    ids=[
        "viber-not-started",
        "viber-pending",
        "viber-read",
        "viber-expired",
        "sms-undelivered",
        "sms-not-reachable",
        "sms-spam",
        "sms-no-credit",
        "sms-reason-ignored-when-delivered",
        "sms-scheduled",
    ],
)
def test_word_status_gives_d7_word(channel, status, reason, expected) -> None:
    assert statuses.word(channel, status, reason) == expected
