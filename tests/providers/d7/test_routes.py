"""D7 endpoints in-process: auth parsing, check order, body shapes, accounts and money."""

from __future__ import annotations

import json

import pytest

from tests.conftest import advance, make_settings, of_provider
from tests.providers.d7.helpers import AUTH, TOKEN, sms_body, viber_body

ACCOUNTS = """
d7:
  - name: demo
    credentials: {api_token: sim-d7-demo-token}
    balance: 100.0
  - name: other
    credentials: {api_token: other-token}
  - name: poor
    credentials: {api_token: poor-token}
    balance: 0.0004
  - name: blocked
    credentials: {api_token: blocked-token}
    blocked: true
  - name: picky
    credentials: {api_token: picky-token}
    senders: [INFO2WAY]
  - name: fidelity
    credentials: {api_token: fidelity-token}
    settings: {viber_report_channel: sms}
"""


@pytest.fixture
def settings(tmp_path):
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(ACCOUNTS)
    return make_settings(accounts=str(accounts))


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def send_viber(client, body: dict, headers: dict | None = None):
    return client.post("/d7/viber/v1/send", json=body, headers=headers or AUTH)


def viber_report(client, request_id: str, headers: dict | None = None):
    return client.get(f"/d7/report/v1/viber-log/{request_id}", headers=headers or AUTH)


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (f"Bearer {TOKEN}", 200),
        (f"bearer {TOKEN}", 200),
        (f"Bearer {TOKEN},Bearer {TOKEN}", 200),  # sdk: direct7-go-sdk sends the header twice
        (f"Basic {TOKEN}", 401),
        ("Bearer ", 401),
        (TOKEN, 401),
    ],
    ids=["bearer", "lower-case-scheme", "go-sdk-doubled", "basic", "empty-token", "no-scheme"],
)
def test_balance_authorization_header_variants_status(client, header, status) -> None:
    assert client.get("/d7/messages/v1/balance", headers={"Authorization": header}).status_code == status


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{", {}, 422),  # FastAPI decodes the body before the bearer dependency runs
        (json.dumps(viber_body("+971500000001")).encode(), {}, 401),
        (b'{"messages": 5}', {}, 401),  # model validation comes after the dependency
        (b'{"messages": 5}', AUTH, 422),
    ],
    ids=["bad-json-no-token", "good-body-no-token", "bad-model-no-token", "bad-model-token"],
)
def test_send_viber_check_order_follows_fastapi(client, body, headers, status) -> None:
    response = client.post("/d7/viber/v1/send", data=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == status


def test_real_host_header_serves_real_paths(client) -> None:
    response = client.get("/report/v1/viber-log/x", headers={**AUTH, "Host": "api.d7networks.com"})
    assert response.status_code == 404
    assert response.get_data().startswith(b'{"detail":{"code":"VIBER_MESSAGE_LOG_NOT_EXISTS"')


def test_send_viber_connector_shape_per_message_originator_and_string_recipients_accepted(client) -> None:
    # public: microsoft/PowerPlatformConnectors D7Messaging - originator per message, recipients a string
    body = {
        "messages": [
            {
                "recipients": "+971500000001, 380501234567",
                "content": "hi",
                "label": "PROMOTION",
                "originator": "INFO2WAY",
                "channel": "viber",
            }
        ]
    }
    request_id = send_viber(client, body).json["request_id"]
    rows = viber_report(client, request_id).json["messages"]
    assert [row["recipient"] for row in rows] == ["+971500000001", "+380501234567"]


@pytest.mark.parametrize(
    ("globals_", "loc"),
    [(None, ["body", "message_globals"]), ({}, ["body", "message_globals", "originator"])],
    ids=["no-globals", "globals-without-originator"],
)
def test_send_viber_without_any_originator_gives_422(client, globals_, loc) -> None:
    body = {"messages": [{"recipients": ["+971500000001"], "content": "hi", "label": "PROMOTION"}]}
    if globals_ is not None:
        body["message_globals"] = globals_
    response = send_viber(client, body)
    assert response.status_code == 422
    assert response.json == {"detail": [{"loc": loc, "msg": "field required", "type": "value_error.missing"}]}


@pytest.mark.parametrize(
    ("change", "loc", "kind"),
    [
        ({"recipients": [None]}, ["body", "messages", 0, "recipients", 0], "type_error.none.not_allowed"),
        ({"recipients": [{"a": 1}]}, ["body", "messages", 0, "recipients", 0], "type_error.str"),
        ({"recipients": []}, ["body", "messages", 0, "recipients"], "value_error.list.min_items"),
        ({"recipients": 5}, ["body", "messages", 0, "recipients"], "type_error.list"),
        ({"content": None}, ["body", "messages", 0, "content"], "type_error.none.not_allowed"),
        ({"content": ["x"]}, ["body", "messages", 0, "content"], "type_error.str"),
        ({"video": {"duration": "long"}}, ["body", "messages", 0, "video", "duration"], "type_error.integer"),
        ({"label": "TRANSACTION", "button_caption": "Go"}, ["body", "messages", 0, "button_caption"], "value_error"),
    ],
    ids=[
        "none-recipient",
        "dict-recipient",
        "no-recipients",
        "int-recipients",
        "null-content",
        "list-content",
        "video-duration",
        "transaction-button",
    ],
)
def test_send_viber_bad_field_gives_pydantic_item(client, change, loc, kind) -> None:
    body = viber_body("+971500000001")
    body["messages"][0].update(change)
    response = send_viber(client, body)
    assert response.status_code == 422
    assert (response.json["detail"][0]["loc"], response.json["detail"][0]["type"]) == (loc, kind)


def test_send_viber_numbers_where_strings_expected_coerced_like_pydantic(client) -> None:
    body = viber_body(971500000001)
    body["messages"][0]["content"] = 12345
    request_id = send_viber(client, body).json["request_id"]
    assert viber_report(client, request_id).json["messages"][0]["recipient"] == "+971500000001"


def test_send_viber_many_messages_report_rows_in_request_order(client) -> None:
    body = viber_body("+971500000001", "+971500000102")
    body["messages"].append({**body["messages"][0], "recipients": ["+380501234567"]})
    report = viber_report(client, send_viber(client, body).json["request_id"]).json
    assert report["total_recipients"] == 3
    assert [row["recipient"] for row in report["messages"]] == ["+971500000001", "+971500000102", "+380501234567"]
    assert len({row["msg_id"] for row in report["messages"]}) == 3


def test_viber_report_other_accounts_request_gives_404(client) -> None:
    request_id = send_viber(client, viber_body("+971500000001")).json["request_id"]
    assert viber_report(client, request_id, bearer("other-token")).status_code == 404


def test_send_viber_charges_balance_by_country_price(client) -> None:
    send_viber(client, viber_body("+971500000001", "+380501234567"))
    assert client.get("/d7/messages/v1/balance", headers=AUTH).get_data() == b'{"balance":99.9988}'


def test_send_viber_without_enough_credit_gives_402_and_stores_nothing(client, services) -> None:
    response = send_viber(client, viber_body("+971500000001", "+971500000102"), bearer("poor-token"))
    assert response.status_code == 402
    assert of_provider(services, "d7") == []
    assert client.get("/d7/messages/v1/balance", headers=bearer("poor-token")).get_data() == b'{"balance":0.0004}'


@pytest.mark.parametrize(
    ("token", "status", "code"),
    [("blocked-token", 403, "ACCOUNT_BLOCKED"), ("picky-token", 400, "INVALID_ORIGINATOR")],
    ids=["blocked-account", "unapproved-originator"],
)
def test_send_sms_refused_account_gives_coded_error(client, token, status, code) -> None:
    response = client.post("/d7/messages/v1/send", json=sms_body("+971500000001"), headers=bearer(token))
    assert response.status_code == status
    assert response.json["detail"]["code"] == code


def test_viber_report_fidelity_account_prints_seed_channel_sms(client) -> None:
    request_id = send_viber(client, viber_body("+971500000001"), bearer("fidelity-token")).json["request_id"]
    assert viber_report(client, request_id, bearer("fidelity-token")).json["channel"] == "sms"


def test_sms_report_scheduled_message_sent_when_due(client, engine) -> None:
    body = sms_body("+971500000001", schedule_time="2026-01-05T09:10:00+02:00")  # 10 minutes after the frozen now
    request_id = client.post("/d7/messages/v1/send", json=body, headers=AUTH).json["request_id"]

    def status() -> tuple[str, str]:
        row = client.get(f"/d7/report/v1/message-log/{request_id}", headers=AUTH).json["messages"][0]
        return row["status"], row["schedule_time"]

    assert status() == ("scheduled", "2026-01-05T09:10:00+02:00")
    advance(engine, 600)
    assert status()[0] == "sent"
    advance(engine, 3)
    assert status()[0] == "delivered"


@pytest.mark.parametrize(
    ("value", "ok"),
    [("yes", True), (0, True), ("maybe", False), (2, False)],
    ids=["yes", "zero", "maybe", "two"],
)
def test_send_sms_num_lookup_parsed_like_pydantic_bool(client, value, ok) -> None:
    response = client.post("/d7/messages/v1/send", json=sms_body("+971500000001", num_lookup=value), headers=AUTH)
    assert response.status_code == (200 if ok else 422)


def test_unknown_path_under_prefix_gives_fastapi_404(client) -> None:
    response = client.get("/d7/report/v1/nothing", headers=AUTH)
    assert (response.status_code, response.get_data()) == (404, b'{"detail":"Not Found"}')


def test_options_request_gives_405_not_flask_automatic_answer(client) -> None:
    response = client.open("/d7/messages/v1/send", method="OPTIONS")
    assert (response.status_code, response.headers["Allow"]) == (405, "POST")


@pytest.mark.parametrize(
    ("recipient", "status"),
    [
        ("+30 694 123 4567", 200),
        ("971500000001", 200),
        ("+971 50 000000 05", 200),
        ("+38000123", 400),
        ("0501234567", 400),
    ],
    ids=["greek-spaced", "without-plus", "magic-too-long-for-uae", "too-short", "national-form"],
)
def test_send_sms_recipient_checked_by_libphonenumber_status(client, recipient, status) -> None:
    response = client.post("/d7/messages/v1/send", json=sms_body(recipient), headers=AUTH)
    assert response.status_code == status


def test_send_viber_magic_number_invalid_for_libphonenumber_follows_its_scenario(client, engine) -> None:
    request_id = send_viber(client, viber_body("+971 50 000000 05")).json["request_id"]  # README: not a Viber user
    advance(engine, 2)
    (row,) = viber_report(client, request_id).json["messages"]
    assert (row["recipient"], row["country"], row["status"]) == ("+9715000000005", "AE", "undelivered")


def send_messages(client, *messages: dict):
    body = {"messages": list(messages), "message_globals": {"originator": "SignOTP"}}
    return client.post("/d7/messages/v1/send", json=body, headers=AUTH)


@pytest.mark.parametrize(
    ("path", "message", "detail"),
    [
        (
            "/d7/messages/v1/send",
            {"channel": None, "recipients": ["+971500000001"], "content": "hi"},
            {
                "loc": ["body", "messages", 0, "channel"],
                "msg": "none is not an allowed value",
                "type": "type_error.none.not_allowed",
            },
        ),
        (
            "/d7/messages/v1/send",
            {"channel": "SMS", "recipients": ["+971500000001"], "content": "hi"},
            {
                "loc": ["body", "messages", 0, "channel"],
                "msg": "value is not a valid enumeration member; permitted: 'sms', 'viber'",
                "type": "type_error.enum",
                "ctx": {"enum_values": ["sms", "viber"]},
            },
        ),
        (
            "/d7/viber/v1/send",
            {"channel": "sms", "recipients": ["+971500000001"], "content": "hi", "label": "PROMOTION"},
            {
                "loc": ["body", "messages", 0, "channel"],
                "msg": "value is not a valid enumeration member; permitted: 'viber'",
                "type": "type_error.enum",
                "ctx": {"enum_values": ["viber"]},
            },
        ),
    ],
    ids=["messages-null-channel", "messages-upper-case", "viber-endpoint-sms-channel"],
)
def test_send_channel_the_endpoint_cannot_store_gives_422_and_stores_nothing(client, services, path, message, detail):
    body = {"messages": [message], "message_globals": {"originator": "SignOTP"}}
    response = client.post(path, json=body, headers=AUTH)
    assert (response.status_code, response.json) == (422, {"detail": [detail]})
    assert of_provider(services, "d7") == []


def test_send_messages_viber_channel_stored_and_reported_as_viber(client, engine, services) -> None:
    request_id = send_messages(client, {"channel": "viber", "recipients": ["+971500000002"], "content": "hi"}).json[
        "request_id"
    ]
    advance(engine, 30)  # magic-read: read at 30 s, which D7's Viber words show as delivered
    (view,) = of_provider(services, "d7")
    assert (view.message.channel, view.status) == ("viber", "read")
    report = client.get(f"/d7/report/v1/message-log/{request_id}", headers=AUTH).json
    assert (report["channel"], report["messages"][0]["status"]) == ("viber", "delivered")
    assert viber_report(client, request_id).status_code == 404  # the viber-log lists /viber/v1/send requests


def test_send_messages_mixed_channels_each_row_in_its_channels_words(client, engine) -> None:
    request_id = send_messages(
        client,
        {"recipients": ["+971500000005"], "content": "hi"},
        {"channel": "viber", "recipients": ["+971500000005"], "content": "hi"},
    ).json["request_id"]
    advance(engine, 2)  # magic-not-viber-user: undelivered at 2 s
    rows = client.get(f"/d7/report/v1/message-log/{request_id}", headers=AUTH).json["messages"]
    assert [row["status"] for row in rows] == ["un_delivered", "undelivered"]
