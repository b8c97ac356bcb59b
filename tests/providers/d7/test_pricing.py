"""Countries, parts and prices of D7 messages."""

from __future__ import annotations

import pytest

from simulator.providers.d7 import pricing


@pytest.mark.parametrize(
    ("recipient", "country"),
    [("+971500000001", "AE"), ("+380501234567", "UA"), ("+12025550100", "US"), ("+9999999999", None)],
    ids=["uae", "ukraine", "us-one-digit-code", "unknown"],
)
def test_country_of_number_gives_iso_code(recipient, country) -> None:
    assert pricing.country_of(recipient)[0] == country


@pytest.mark.parametrize(
    ("text", "coding", "parts"),
    [
        ("x" * 160, "text", 1),
        ("x" * 161, "text", 2),
        ("€" * 80, "text", 1),  # extension characters count twice
        ("€" * 81, "text", 2),
        ("x" * 70, "unicode", 1),
        ("x" * 71, "unicode", 2),
        ("x" * 200, "unicode", 4),  # doc example: 4 parts
        ("привіт" * 12, "auto", 2),
        ("hello", "auto", 1),
        ("", "text", 1),
    ],
    ids=[
        "gsm-160",
        "gsm-161",
        "gsm-ext-160",
        "gsm-ext-162",
        "ucs-70",
        "ucs-71",
        "ucs-200",
        "auto-ucs",
        "auto-gsm",
        "empty",
    ],
)
def test_sms_parts_by_length_and_coding(text, coding, parts) -> None:
    assert pricing.sms_parts(text, coding) == parts
