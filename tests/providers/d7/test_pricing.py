"""Countries, parts and prices of D7 messages."""

from __future__ import annotations

import pytest

from simulator.providers.d7 import pricing


@pytest.mark.parametrize(
    ("country", "channel", "price"),
    [("AE", "viber", 0.0004), ("AE", "sms", 0.0001), ("GR", "viber", 0.001), (None, "sms", 0.0005)],
    ids=["uae-viber-seed", "uae-sms-doc", "unlisted-country-default", "no-country-default"],
)
def test_price_of_country_and_channel_gives_list_price(country, channel, price) -> None:
    assert pricing.price(country, channel) == price


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
