"""SMS Club behaviour over time, through the Flask client with the frozen clock."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.core import statuses as canonical
from simulator.providers.smsclub import statuses
from tests.conftest import advance

AUTH = {"Authorization": "Bearer sim-smsclub-demo-token"}
ONE = {"sender": "Tesst", "phones": ["380989361121"], "message": "x"}


def post(client, path: str, body: dict | None = None, headers: dict | None = None):
    return client.post(f"/smsclub{path}", json=body if body is not None else {}, headers=headers or AUTH)


def status_of(client, message_id: str) -> dict:
    return post(client, "/vibers/status", {"messageIds": [message_id]}).get_json()["successfulRequest"]["requestData"][
        message_id
    ]


def send(client, body: dict) -> dict:
    response = post(client, "/vibers/send", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["successfulRequest"]["requestData"]


def test_status_map_covers_every_canonical_status_and_reason():
    assert set(statuses.MAIN) == set(canonical.ALL)
    assert set(statuses.SMS) == set(canonical.ALL)
    assert set(statuses.BY_REASON) == set(canonical.REASONS)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "Pending"), (2, "Sent"), (5, "Delivered")],
    ids=["at-once", "after-2s", "after-5s"],
)
def test_status_default_timeline_moves_on_with_the_clock(client, engine, seconds, expected):
    send(client, ONE)
    advance(engine, seconds)
    assert status_of(client, "5769")["status"] == expected


@pytest.mark.parametrize(
    ("number", "seconds", "expected"),
    [
        ("380990000001", 10, ("Delivered", "Read")),
        ("380990000003", 1, ("Rejected", "Spamming")),
        ("380990000004", 2, ("Undeliverable", "Blocked by the recipient")),
        ("380990000005", 2, ("Undeliverable", "Mailing lists are not supported")),
        ("380990000006", 1, ("Rejected", "Censorship")),
        ("380990000007", 1, ("Rejected", "Prohibited operator")),
        ("380990012349", 2, ("Undeliverable", "Not registered")),
    ],
    ids=["read", "spam", "blocked", "tablet", "censorship", "operator", "no-viber"],
)
def test_status_magic_number_reports_its_additional_status(client, engine, number, seconds, expected):
    send(client, {**ONE, "phones": [number]})
    advance(engine, seconds)
    row = status_of(client, "5769")
    assert (row["status"], row["additionStatus"], row["smsStatus"]) == (*expected, None)


def test_status_viber_sms_not_registered_falls_back_to_sms(client, engine):
    send(client, {**ONE, "phones": ["380990012349"], "senderSms": "Shop Zakaz", "messageSms": "sms"})
    seen = []
    for seconds in (1, 1, 2, 3):
        advance(engine, seconds)
        seen.append(status_of(client, "5769")["smsStatus"])
    assert seen == [None, "Pending", "Sent", "Delivered"]


def test_status_scheduled_send_stays_pending_until_its_start(client, engine):
    start = engine.namespace().clock.timestamp() + 3600  # 10:00 Kyiv
    send(client, {**ONE, "mgr_plan_date": int(start), "mgr_end_time": int(start) + 600})
    advance(engine, 3600)
    assert status_of(client, "5769")["status"] == "Pending"
    advance(engine, 5)
    assert status_of(client, "5769")["status"] == "Delivered"


def test_status_of_another_accounts_message_is_left_out(client):
    send(client, ONE)
    other = {"Authorization": "Bearer sim-smsclub-empty-token"}
    body = post(client, "/vibers/status", {"messageIds": ["5769"]}, other).get_json()
    assert body == {"successfulRequest": {"requestData": []}}


def test_send_charges_each_message_and_balance_shows_it(client):
    send(client, {**ONE, "phones": ["380989361121", "380989361126"]})
    send(client, {**ONE, "senderSms": "Shop Zakaz", "messageSms": "sms"})
    info = post(client, "/sms/balance").get_json()["success_request"]["info"]
    assert info == {"money": "996.4900", "currency": "UAH"}  # 1000 - 2 * 0.82 - (0.82 + 1.05)


def test_send_refused_for_money_charges_nothing(client, services, engine):
    account = engine.accounts.demo("smsclub")
    services.set_balance(account, 0.5)
    assert post(client, "/vibers/send", ONE).status_code == 464
    assert services.balance(account) == 0.5


def test_chat_shows_scenario_reply_as_incoming(client, engine):
    data = send(client, {**ONE, "phones": ["380990000002"], "is_2way": True})
    chat_id = data["messages"][0]["chat_id"]
    advance(engine, 29)
    before = client.get("/smsclub/vibers/chat", query_string={"chat_id": chat_id}, headers=AUTH).get_json()
    advance(engine, 1)
    after = client.get("/smsclub/vibers/chat", query_string={"chat_id": chat_id}, headers=AUTH).get_json()
    assert [m["type"] for m in before["successfulRequest"]["requestData"]["chat"]["messages"]] == ["outcoming"]
    messages = after["successfulRequest"]["requestData"]["chat"]["messages"]
    assert [m["type"] for m in messages] == ["outcoming", "incoming"]
    assert messages[1]["date"] == "2026-01-05 09:00:30"


def test_chat_shows_reply_injected_through_core(client, services, engine):
    data = send(client, {**ONE, "is_2way": True})
    advance(engine, 60)
    services.reply(f"smsclub:{data['messages'][0]['id']}", "Дякую!")
    send(client, {"message": "Будь ласка", "is_2way": True, "chat_id": data["messages"][0]["chat_id"]})
    chat = client.get("/smsclub/vibers/chat", query_string={"chat_id": "2765"}, headers=AUTH).get_json()
    messages = chat["successfulRequest"]["requestData"]["chat"]["messages"]
    assert [(m["text"], m["type"]) for m in messages] == [
        ("x", "outcoming"),
        ("Дякую!", "incoming"),
        ("Будь ласка", "outcoming"),
    ]


def test_chat_of_another_account_is_not_found(client):
    send(client, {**ONE, "is_2way": True})
    other = {"Authorization": "Bearer sim-smsclub-empty-token"}
    response = client.get("/smsclub/vibers/chat", query_string={"chat_id": "2765"}, headers=other)
    assert response.status_code == 400


def test_chat_history_pages_hold_thirty_messages(client, engine):
    send(client, {**ONE, "is_2way": True})
    for number in range(31):
        advance(engine, 1)
        send(client, {"message": f"m{number}", "is_2way": True, "chat_id": "2765"})

    def page(n: int) -> list[str]:
        body = client.get("/smsclub/vibers/chat", query_string={"chat_id": "2765", "page": n}, headers=AUTH).get_json()
        return [m["text"] for m in body["successfulRequest"]["requestData"]["chat"]["messages"]]

    assert len(page(1)) == 30
    assert page(2) == ["m29", "m30"]
    assert page(3) == []


@pytest.fixture
def strict_app(app):
    """The demo account without the compatibility paths of the vendor's PHP examples."""
    accounts = app.extensions["simulator"].engine.accounts
    demo = accounts.demo("smsclub")
    strict = dataclasses.replace(demo, settings={**demo.settings, "client_compat": False})
    accounts.replace("smsclub", [strict if a.name == demo.name else a for a in accounts.of("smsclub")])
    return app


def test_status_body_on_send_path_without_compat_is_validated_as_send(strict_app):
    response = strict_app.test_client().post("/smsclub/vibers/send", json={"messageIds": ["1"]}, headers=AUTH)
    assert response.status_code == 400
    assert list(response.get_json()["errorRequest"]["errors"]) == ["sender", "phones", "message"]


def test_post_chat_without_compat_is_405(strict_app):
    response = strict_app.test_client().post("/smsclub/vibers/chat", json=ONE, headers=AUTH)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


@pytest.mark.parametrize(
    ("kind", "status", "key"),
    [
        ("no_money", 464, "noMoney"),
        ("account_blocked", 460, "account"),
        ("invalid_sender", 461, "sender"),
        ("invalid_text", 462, "text"),
        ("no_valid_numbers", 463, "anyCorrectPhones"),
        ("invalid_image", 400, "upload_img"),
        ("provider_error", 465, "systemError"),
    ],
    ids=lambda value: str(value),
)
def test_send_to_error_magic_number_answers_provider_error(client, kind, status, key):
    number = {"invalid_image": "380990000400"}.get(kind, f"380990000{status}")
    response = post(client, "/vibers/send", {**ONE, "phones": [number]})
    assert response.status_code == status
    assert list(response.get_json()["errorRequest"]["errors"]) == [key]


@pytest.mark.parametrize(
    ("number", "status", "name"),
    [("380990000429", 429, "Too Many Requests"), ("380990000503", 503, "Service Unavailable")],
    ids=["throttled", "unavailable"],
)
def test_send_to_framework_error_magic_number_answers_yii_error(client, number, status, name):
    response = post(client, "/vibers/send", {**ONE, "phones": [number]})
    assert response.status_code == status
    assert response.get_json()["name"] == name


def test_sms_send_with_error_magic_number_uses_sms_envelope(client):
    body = {"phone": ["380990000464"], "message": "x", "src_addr": "VashZakaz"}
    response = post(client, "/sms/send", body)
    assert response.status_code == 400
    assert response.get_json() == {
        "error_request": {"info": {"noMoney": "Not enough money. It is necessary to refill the balance"}}
    }


def test_send_ids_continue_across_requests_and_skip_nothing_accepted(client):
    first = send(client, ONE)
    second = send(client, {**ONE, "phones": ["380989361121", "380989361126"]})
    assert [m["id"] for m in first["messages"] + second["messages"]] == ["5769", "5770", "5771"]


@pytest.mark.parametrize(
    ("count", "status"),
    [(100, 200), (101, 400)],
    ids=["at-the-limit", "over-the-limit"],
)
def test_sms_status_with_many_ids_is_refused_only_past_100(client, count, status):
    # doc: https://smsclub.mobi/en/api id_sms "the limit is not more than 100"
    response = post(client, "/sms/status", {"id_sms": [str(number) for number in range(count)]})
    assert response.status_code == status


@pytest.mark.parametrize(
    "phone",
    ["0980000001", "380980000001", "+380980000001", " 0980000001 "],
    ids=["national", "international", "international-plus", "national-spaced"],
)
def test_viber_send_to_ukrainian_number_answers_its_international_form(client, phone):
    # sdk: github smsclub/php json_sms/send_personal.php sends national numbers (0980000001)
    assert send(client, {**ONE, "phones": [phone]})["messages"] == [{"number": "380980000001", "id": "5769"}]


@pytest.mark.parametrize(
    "phone",
    ["098936112", "09893611211", "00989361121", "1989361121"],
    ids=["national-too-short", "national-too-long", "double-zero", "no-leading-zero"],
)
def test_viber_send_to_malformed_national_number_answers_463(client, phone):
    assert post(client, "/vibers/send", {**ONE, "phones": [phone]}).status_code == 463
