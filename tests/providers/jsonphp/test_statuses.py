"""Every canonical status and reason has a json.php word."""

from __future__ import annotations

import pytest

from simulator.core import statuses as canonical
from simulator.providers.jsonphp import statuses

WORDS = {"SCHEDULED", "ACCEPTED", "ENROUTE", "DELIVERED", "READ", "REPLIED", "EXPIRED", "UNDELIVERABLE"}
WORDS |= {"REJECTED", "DISCARDED", "UNKNOWN"}


@pytest.mark.parametrize("status", canonical.ALL, ids=canonical.ALL)
def test_map_canonical_status_has_provider_word(status: str) -> None:
    assert statuses.STATUSES[status] in WORDS


@pytest.mark.parametrize("reason", canonical.REASONS, ids=canonical.REASONS)
def test_map_canonical_reason_has_provider_word(reason: str) -> None:
    assert statuses.REASONS[reason] in WORDS


def test_map_no_unknown_keys_exist() -> None:
    assert set(statuses.STATUSES) == set(canonical.ALL)
    assert set(statuses.REASONS) == set(canonical.REASONS)


@pytest.mark.parametrize(
    ("status", "reason", "word"),
    [
        (canonical.DELIVERED, None, "DELIVERED"),
        (canonical.DELIVERED, "blacklisted", "DELIVERED"),  # a reason only names a failure
        (canonical.UNDELIVERED, "blacklisted", "REJECTED"),
        (canonical.FAILED, "system_failure", "UNKNOWN"),
        (canonical.EXPIRED, None, "EXPIRED"),
        (None, None, "SCHEDULED"),
    ],
    ids=["delivered", "delivered-with-reason", "undelivered-blacklisted", "failed-system", "expired", "not-started"],
)
def test_word_status_and_reason_gives_provider_word(status: str | None, reason: str | None, word: str) -> None:
    assert statuses.word(status, reason) == word
