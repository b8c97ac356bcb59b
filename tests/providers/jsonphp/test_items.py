"""Each data[] item is answered on its own, in order, with its own success or error."""

from __future__ import annotations

import json

import pytest

from simulator.providers.jsonphp import messages
from tests.providers.jsonphp.conftest import JSON, KEY, URL, sms, status, viber

PIPELINE = {
    "type": "pipeline",
    "pipeline": ["viber", "sms"],
    "id": 7,
    "phone": 380971234567,
    "viber": {"type": "text", "signature": "ViberTest", "message": "Code 1234"},
    "sms": {"signature": "SMSTest", "message": "Code 1234"},
}


def error(text: str, client_id: object = 100500) -> dict:
    return {"success": False, "error": text, "data": {"id": client_id}}


@pytest.mark.parametrize(
    ("one", "text"),
    [
        (sms(phone="12345"), messages.INVALID_PHONE),
        (sms(phone=True), messages.INVALID_PHONE),
        (sms(phone=None), messages.INVALID_PHONE),
        (sms(sms_message=""), messages.EMPTY_MESSAGE),
        (sms(sms_message="   "), messages.EMPTY_MESSAGE),
        (sms(sms_message=42), messages.EMPTY_MESSAGE),
        (sms(sms_signature="Nope"), messages.ALPHA_NAME),
        (sms(sms_signature=None), messages.ALPHA_NAME),
        (sms(sms_lifetime=-1), messages.INVALID_REQUEST),
        (sms(hook=5), messages.INVALID_REQUEST),
        (viber(viber_type="button"), messages.INVALID_REQUEST),
        (viber(viber_type="image", viber_message=None), messages.INVALID_IMAGE),
        (viber(viber_type="text+link", viber_button="Go"), messages.INVALID_REQUEST),
        (viber(viber_message=""), messages.EMPTY_MESSAGE),
        (viber(viber_signature="SMSTest2"), messages.ALPHA_NAME),
        ({**viber(type="viber+sms"), "sms_signature": "Nope", "sms_message": "x"}, messages.ALPHA_NAME),
        ({**viber(type="viber+sms"), "sms_signature": "SMSTest"}, messages.EMPTY_MESSAGE),
        ({"type": "rcs", "id": 100500, "phone": 380971234567, "rcs_signature": "AlphaRCS"}, messages.EMPTY_MESSAGE),
        ({"type": "telegram", "id": 100500, "phone": 380971234567, "message": ""}, messages.EMPTY_MESSAGE),
        ({"type": "voice", "id": 100500, "phone": 380971234567, "message": "x", "voice": "female"}, "Invalid request"),
        ({**PIPELINE, "id": 100500, "pipeline": ["viber", "fax"]}, messages.INVALID_REQUEST),
        ({**PIPELINE, "id": 100500, "pipeline": ["viber", "rcs"]}, messages.INVALID_REQUEST),
        ({**PIPELINE, "id": 100500, "viber": {"type": "text", "signature": "X", "message": "m"}}, messages.ALPHA_NAME),
        ({"type": "call/otp", "id": 100500, "phone": "abc"}, messages.INVALID_PHONE),
        ({"type": "status", "id": 100500}, messages.NOT_FOUND),
        ({"type": "Sms", "id": 100500}, messages.UNKNOWN_TYPE),
    ],
    ids=[
        "sms-short-phone",
        "sms-bool-phone",
        "sms-null-phone",
        "sms-empty-text",
        "sms-blank-text",
        "sms-number-text",
        "sms-unregistered-alpha",
        "sms-no-alpha",
        "sms-negative-lifetime",
        "sms-hook-not-string",
        "viber-legacy-button-type",
        "viber-image-without-image",
        "viber-link-without-link",
        "viber-empty-text",
        "viber-unregistered-alpha",
        "viber-sms-unregistered-sms-alpha",
        "viber-sms-without-sms-text",
        "rcs-without-text",
        "telegram-empty",
        "voice-params-not-object",
        "pipeline-unknown-channel",
        "pipeline-channel-without-options",
        "pipeline-unregistered-viber-alpha",
        "call-otp-bad-phone",
        "status-unknown-id",
        "type-is-case-sensitive",
    ],
)
def test_item_invalid_field_answers_item_error_with_id(item, one: dict, text: str) -> None:
    assert item(one) == error(text)


@pytest.mark.parametrize(
    "one",
    [5, "sms", None, [sms()], {"id": 1}, {"type": ["sms"], "id": 1}],
    ids=["number", "string", "null", "list", "no-type", "type-not-string"],
)
def test_item_not_a_typed_object_answers_error_without_id_or_with_it(item, one: object) -> None:
    answer = item(one)
    assert answer["success"] is False
    if isinstance(one, dict):
        assert answer == error(messages.UNKNOWN_TYPE, 1)
    else:
        assert answer == {"success": False, "error": messages.INVALID_REQUEST}


def test_batch_mixed_items_each_answered_in_order(call) -> None:
    body = call(
        sms(1),
        {"type": "balance"},
        sms(2, sms_signature="Nope"),
        "garbage",
        viber("v-3"),
        status(1),
        {"type": "hlr", "phone": "380671234567"},
        status(99),
        {"type": "unknown", "id": 4.5},
    )
    assert body["success"] is True
    answers = body["data"]
    assert [a["success"] for a in answers] == [True, True, False, False, True, True, True, False, False]
    assert answers[0]["data"] == {"id": 1, "msg_id": 123456789, "data": 1, "parts": 1}
    assert answers[1]["data"] == {"amount": 29.8783, "currency": "UAH"}  # after one SMS at 1.29
    assert answers[2] == error(messages.ALPHA_NAME, 2)
    assert answers[3] == {"success": False, "error": messages.INVALID_REQUEST}
    assert answers[4]["data"] == {"id": "v-3", "msg_id": 123456790, "data": 1, "parts": 1}
    assert answers[5]["data"] == {"id": 1, "type": "sms", "status": "ACCEPTED"}
    assert answers[6]["data"]["network"]["origin"]["name"] == "Kyivstar"
    assert answers[7] == error(messages.NOT_FOUND, 99)
    assert answers[8] == error(messages.UNKNOWN_TYPE, 4.5)


@pytest.mark.parametrize(
    "client_id",
    [100500, "i_65f1c2.3", 0, -7, 12.5, "ід"],
    ids=["int", "string", "zero", "negative", "float", "unicode"],
)
def test_send_and_status_echo_client_id_with_its_json_type(call, client_id: object) -> None:
    sent, reported = call(sms(client_id), status(client_id))["data"]
    assert sent["data"]["id"] == client_id and type(sent["data"]["id"]) is type(client_id)
    assert reported["data"]["id"] == client_id and type(reported["data"]["id"]) is type(client_id)


@pytest.mark.parametrize(
    "client_id",
    [2**63, 1e300, True, None, [1], {"a": 1}],
    ids=["beyond-int64", "float-with-exponent", "bool", "null", "list", "object"],
)
def test_send_id_php_cannot_echo_is_invalid_request(item, client_id: object) -> None:
    answer = item(sms(client_id))
    assert answer["success"] is False and answer["error"] == messages.INVALID_REQUEST
    assert "data" not in answer


def test_status_by_gateway_msg_id_and_loose_client_id_finds_message(call) -> None:
    call(sms(100500))
    by_msg_id, by_string_id = call(status(123456789), status("100500"))["data"]
    assert by_msg_id["data"] == {"id": 123456789, "type": "sms", "status": "ACCEPTED"}
    assert by_string_id["data"] == {"id": "100500", "type": "sms", "status": "ACCEPTED"}


def test_status_reused_client_id_reports_latest_message(call, engine) -> None:
    call(sms(1))
    engine.namespace().clock.advance(5)
    call(viber(1))
    assert call(status(1))["data"][0]["data"] == {"id": 1, "type": "viber", "status": "ACCEPTED"}


def test_status_other_accounts_message_is_not_found(app, client, call) -> None:
    from simulator.core.accounts import Account

    engine = app.extensions["simulator"].engine
    other = Account("jsonphp", "other", {"auth": "other-key"}, 100.0, "UAH", ("SMSTest",))
    engine.accounts.replace("jsonphp", [*engine.accounts.of("jsonphp"), other])
    call(sms(1))
    assert call(status(1), status(123456789), auth="other-key")["data"] == [
        error(messages.NOT_FOUND, 1),
        error(messages.NOT_FOUND, 123456789),
    ]


def test_balance_after_sends_is_reduced_by_their_prices(call) -> None:
    long_text = "x" * 161  # two GSM-7 parts
    answers = call(sms(1, sms_message=long_text), viber(2), {"type": "balance"})["data"]
    assert answers[0]["data"]["parts"] == 2
    assert answers[2]["data"] == {"amount": round(31.1683 - 2 * 1.29 - 0.95, 4), "currency": "UAH"}


def test_send_more_than_balance_answers_insufficient_funds_and_keeps_money(call) -> None:
    answers = call(*[sms(n) for n in range(25)], {"type": "balance"})["data"]
    accepted = [a for a in answers[:25] if a["success"]]
    assert len(accepted) == 24  # 24 * 1.29 = 30.96 <= 31.1683
    assert answers[24] == error(messages.INSUFFICIENT_FUNDS, 24)
    assert answers[25]["data"]["amount"] == round(31.1683 - 24 * 1.29, 4)


def test_call_otp_answers_four_digit_code_and_price(call) -> None:
    answer = call({"type": "call/otp", "id": 12345, "phone": 380991234567})["data"][0]["data"]
    assert list(answer) == ["id", "code", "price"]
    assert answer["id"] == 12345 and len(answer["code"]) == 4 and answer["code"].isdigit()
    assert answer["price"] == 0.5


def test_call_otp_without_id_answers_code_and_price_only(call) -> None:
    # sdk: Prihod/alphasms-client VoiceOTPRequest sends {"type":"call/otp","phone":...} without an id
    answer = call({"type": "call/otp", "phone": 380971234567})["data"][0]
    assert answer["success"] is True and list(answer["data"]) == ["code", "price"]


def test_hlr_number_outside_ukraine_is_invalid_phone(item) -> None:
    assert item({"type": "hlr", "phone": "48123456789"}) == {"success": False, "error": messages.INVALID_PHONE}


def test_hlr_not_ported_number_has_null_ported_network(item) -> None:
    data = item({"type": "hlr", "phone": 380631234567})["data"]
    assert data["ported"] is False and data["network"]["ported"] is None
    assert data["mccmnc"] == 25506 and data["imsi"] == 255060000000000


def test_envelope_empty_data_list_answers_empty_list(call) -> None:
    assert call() == {"success": True, "data": []}


def test_msg_id_start_from_account_settings_is_used(app, call) -> None:
    from dataclasses import replace

    engine = app.extensions["simulator"].engine
    demo = engine.accounts.demo("jsonphp")
    engine.accounts.replace("jsonphp", [replace(demo, settings={"msg_id_start": 500})])
    assert [a["data"]["msg_id"] for a in call(sms(1), sms(2))["data"]] == [500, 501]


def test_envelope_charset_in_content_type_is_accepted(client) -> None:
    body = json.dumps({"auth": KEY, "data": [{"type": "balance"}]})
    response = client.post(URL, data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.get_json()["success"] is True


def test_envelope_body_over_limit_answers_invalid_request(client) -> None:
    response = client.post(URL, data=b"x" * (16 * 1024 * 1024 + 1), headers=JSON)
    assert (response.status_code, response.get_data()) == (200, b'{"success":false,"error":"Invalid request"}')
