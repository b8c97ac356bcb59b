"""The official direct7 SDK (PyPI direct7==0.0.16) against the simulator on a loopback port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from direct7 import Client
from direct7.errors import (
    AuthenticationError,
    BadRequest,
    ClientError,
    InsufficientCreditError,
    NotFoundError,
    ServerError,
    ValidationError,
)

from tests.conftest import advance
from tests.providers.d7.helpers import TOKEN, receiver

GOLDEN = Path(__file__).parents[2] / "golden" / "d7"
UNKNOWN_ID = "ceba9fac-838c-44c7-b67d-03a4a6352058"  # doc: seed 002_704e79d5efa74dcf.txt example id


@pytest.fixture
def sdk(live_server) -> Iterator[Callable[..., Client]]:
    """Make SDK clients pointed at the simulator; their keep-alive sessions are closed afterwards."""
    made: list[Client] = []

    def make(token: str | None = TOKEN) -> Client:
        client = Client(api_token=token)
        client.host(live_server.url + "/d7")  # the SDK joins host and path as f"{host}{path}"
        made.append(client)
        return client

    yield make
    for client in made:
        client.session.close()


def test_send_viber_with_sdk_report_moves_from_sent_to_delivered(sdk, engine) -> None:
    client = sdk()
    sent = client.viber.send_viber_message(
        recipients=["+971500000001", "+380501234567"], content="Greetings", label="PROMOTION", originator="INFO2WAY"
    )
    assert sent["status"] == "accepted"

    report = client.viber.get_status(request_id=sent["request_id"])
    assert report["request_id"] == sent["request_id"]
    assert report["total_recipients"] == 2
    assert report["channel"] == "viber"
    assert [(row["recipient"], row["country"], row["status"]) for row in report["messages"]] == [
        ("+971500000001", "AE", "sent"),
        ("+380501234567", "UA", "sent"),
    ]

    advance(engine, 3)
    report = client.viber.get_status(request_id=sent["request_id"])
    assert [row["status"] for row in report["messages"]] == ["delivered", "delivered"]


def test_send_viber_with_sdk_undelivered_number_reports_undelivered(sdk, engine) -> None:
    client = sdk()
    sent = client.viber.send_viber_message(
        recipients=["+971500000102"], content="hi", label="TRANSACTION", originator="INFO2WAY"
    )
    advance(engine, 2)
    assert client.viber.get_status(request_id=sent["request_id"])["messages"][0]["status"] == "undelivered"


def test_send_sms_with_sdk_report_moves_from_sent_to_delivered(sdk, engine) -> None:
    client = sdk()
    sent = client.sms.send_messages(
        {"recipients": ["+971500000001"], "content": "Greetings from D7 API"},
        {"recipients": ["+971500000104"], "content": "Are you there?"},
        originator="SignOTP",
    )
    report = client.sms.get_status(request_id=sent["request_id"])
    assert report["channel"] == "sms"
    assert [row["status"] for row in report["messages"]] == ["sent", "sent"]
    assert [row["number_of_sms"] for row in report["messages"]] == [1, 1]

    advance(engine, 3)
    report = client.sms.get_status(request_id=sent["request_id"])
    assert [row["status"] for row in report["messages"]] == ["delivered", "not_reachable"]


def test_send_sms_with_sdk_report_url_receives_form_dlrs(sdk, engine) -> None:
    client = sdk()
    with receiver() as sink:
        sent = client.sms.send_messages(
            {"recipients": ["+971500000001"], "content": "hi"}, originator="SignOTP", report_url=sink.url
        )
        sink.wait_for(1)  # posts go out on a pool: let "sent" land before "delivered" is due
        advance(engine, 3)
        bodies = sink.bodies(2)
    report = client.sms.get_status(request_id=sent["request_id"])
    msg_id = report["messages"][0]["msg_id"]
    prefix = f"request_id={sent['request_id']}&msg_id={msg_id}&recipient=%2B971500000001&originator=SignOTP"
    assert bodies == [f"{prefix}&status=sent".encode(), f"{prefix}&status=delivered".encode()]


def test_get_status_with_bad_token_raises_authentication_error(sdk) -> None:
    with pytest.raises(AuthenticationError, match="Invalid API token"):
        sdk(token="wrong").viber.get_status(request_id=UNKNOWN_ID)


def test_send_without_token_raises_authentication_error(sdk) -> None:
    with pytest.raises(AuthenticationError):
        sdk(token=None).sms.send_messages({"recipients": ["+971500000001"], "content": "x"}, originator="X")


@pytest.mark.parametrize(
    ("channel", "golden"),
    [("viber", "viber-log/404_unknown_id.body"), ("sms", "message-log/404_unknown_id.body")],
    ids=["viber-log", "message-log"],
)
def test_get_status_with_unknown_id_raises_not_found_with_exact_body(sdk, channel, golden) -> None:
    expected = (GOLDEN / golden).read_bytes()
    client = sdk()
    with pytest.raises(NotFoundError) as raised:
        getattr(client, channel).get_status(request_id=UNKNOWN_ID)
    assert str(raised.value) == repr(expected)  # the SDK puts repr(response.content) in the message


@pytest.mark.parametrize(
    ("recipient", "label", "error"),
    [
        ("+971500000106", "PROMOTION", InsufficientCreditError),
        ("+971500000107", "PROMOTION", ServerError),
        ("+971500000108", "PROMOTION", BadRequest),
        ("+971500000111", "PROMOTION", ServerError),
        ("+971500000112", "PROMOTION", ClientError),
        ("+971500000001", "promotion", ValidationError),
        ("not a number", "PROMOTION", BadRequest),
    ],
    ids=[
        "no-credit-402",
        "server-error-500",
        "invalid-originator-400",
        "unavailable-503",
        "throttled-429",
        "lower-case-label-422",
        "invalid-recipient-400",
    ],
)
def test_send_viber_with_sdk_failing_send_raises_sdk_error(sdk, recipient, label, error) -> None:
    with pytest.raises(error):
        sdk().viber.send_viber_message(recipients=[recipient], content="hi", label=label, originator="INFO2WAY")
