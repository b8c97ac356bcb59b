"""Phone numbers by libphonenumber's metadata: the shared parser, and the country D7 and Routee report."""

from __future__ import annotations

import base64

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from simulator.app import create_app
from simulator.providers import numbers
from tests.conftest import make_settings


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+380 50 123 45 67", None, ("380501234567", "UA")),
        ("380501234567", None, ("380501234567", "UA")),
        ("+30 694 123 4567", None, ("306941234567", "GR")),
        ("+65 8123 4567", None, ("6581234567", "SG")),
        ("+90 532 123 45 67", None, ("905321234567", "TR")),
        ("+7 916 123-45-67", None, ("79161234567", "RU")),
        ("+7 701 234 5678", None, ("77012345678", "KZ")),
        ("+1 (613) 555-0123", None, ("16135550123", "CA")),
        ("+800 1234 5678", None, ("80012345678", None)),
        ("0980000001", "UA", ("380980000001", "UA")),
        ("380980000001", "UA", ("380980000001", "UA")),
        ("971500000001", "UA", ("971500000001", "AE")),
        ("+971500000001", "UA", ("971500000001", "AE")),
        ("+380 90 000000 05", None, ("3809000000005", "UA")),
        ("+971 50 000000 05", None, ("9715000000005", "AE")),
        ("+971500000112", None, ("971500000112", "AE")),
        ("380990000460", None, ("380990000460", "UA")),
        ("+306900000105", None, ("306900000105", "GR")),
    ],
    ids=[
        "ua-spaced",
        "ua-without-plus",
        "greece",
        "singapore",
        "turkey",
        "russia",
        "kazakhstan-shares-plus-7",
        "canada-shares-plus-1",
        "non-geographic",
        "ua-national",
        "ua-international-with-region",
        "foreign-without-plus-with-region",
        "foreign-with-plus-with-region",
        "magic-too-long-for-ukraine",
        "magic-too-long-for-uae",
        "d7-reserved",
        "smsclub-reserved",
        "routee-reserved",
    ],
)
def test_parse_valid_or_reserved_number_gives_digits_and_country(text, region, expected) -> None:
    found = numbers.parse(text, region)
    assert (found.digits, found.country) == expected
    assert found.e164 == "+" + expected[0]


@pytest.mark.parametrize(
    "text",
    ["+9715097526xx", "+38000123", "+38050123456789012", "+9999999999", "0980000001", "", "+", 380501234567, None],
    ids=[
        "letters",
        "too-short",
        "too-long",
        "no-such-country",
        "national-without-region",
        "empty",
        "plus",
        "int",
        "none",
    ],
)
def test_parse_invalid_number_gives_none(text) -> None:
    assert numbers.parse(text) is None


def test_country_of_invalid_number_gives_none() -> None:
    assert (numbers.country("+306941234567"), numbers.country("+38000123")) == ("GR", None)


# No number of these tells them apart from Morocco / Guadeloupe: libphonenumber places their examples there.
SHARED_PLANS = {"EH", "MF"}
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS - SHARED_PLANS)
KINDS = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _example(region: str) -> str:
    """libphonenumber's example number of `region` that it places in `region`: the mobile one if it can."""
    for kind in KINDS:
        number = phonenumbers.example_number_for_type(region, kind)
        if number is not None and phonenumbers.region_code_for_number(number) == region:
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    raise AssertionError(f"no example number of {region}")


D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}
ROUTEE_BASIC = "Basic " + base64.b64encode(b"5756a411e4b06a33d50517c7:vb6QpjCIOG").decode()
ROUTEE_SENDER = "5a7b1f0e2e4b0a1b2c3d4e5f"


@pytest.fixture(scope="module")
def reported() -> dict[str, dict[str, str | None]]:
    """The country each provider reports per recipient, for every region's example: one D7 SMS request, one
    Routee campaign, each read back from its report."""
    client = create_app(make_settings()).test_client()
    examples = [_example(region) for region in REGIONS]

    body = {
        "messages": [{"channel": "sms", "recipients": examples, "content": "hi"}],
        "message_globals": {"originator": "SignOTP"},
    }
    request_id = client.post("/d7/messages/v1/send", json=body, headers=D7_AUTH).json["request_id"]
    rows = client.get(f"/d7/report/v1/message-log/{request_id}", headers=D7_AUTH).json["messages"]

    token = client.post(
        "/routee/oauth/token", headers={"Authorization": ROUTEE_BASIC}, data={"grant_type": "client_credentials"}
    ).json["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    campaign = {"senderInfoTrackingId": ROUTEE_SENDER, "to": examples, "body": {"text": "hi"}, "campaignName": "all"}
    tracking_id = client.post("/routee/viber/campaign", json=campaign, headers=bearer).json["trackingId"]
    items = client.get(
        f"/routee/viber/tracking/campaign/{tracking_id}", headers=bearer, query_string={"size": 2000}
    ).json["content"]
    return {
        "d7": {row["recipient"]: row["country"] for row in rows},
        "routee": {item["to"]: item["country"] for item in items},
    }


@pytest.mark.parametrize("provider", ["d7", "routee"], ids=["d7", "routee"])
@pytest.mark.parametrize("region", REGIONS, ids=REGIONS)
def test_send_to_example_number_of_region_reports_its_country(reported, provider, region) -> None:
    assert reported[provider][_example(region)] == region
