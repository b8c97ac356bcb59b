"""SMS Club over real HTTP: auth, throttling, paired parameters, and no input that breaks the envelope."""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import advance

TOKEN = "sim-smsclub-demo-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UNAUTHORIZED = (
    b'{"name":"Unauthorized","message":"Your request was made with invalid credentials.","code":0,"status":401}'
)
ONE = {"sender": "Tesst", "phones": ["380989361121"], "message": "x"}


def url(server, path: str) -> str:
    return f"{server.url}/smsclub{path}"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer nope"},
    ],
    ids=["missing", "no-scheme", "basic-scheme", "empty-token", "unknown-token"],
)
@pytest.mark.parametrize("path", ["/vibers/send", "/vibers/status", "/sms/send", "/sms/balance"], ids=str)
def test_request_without_valid_token_is_401(live_server, headers, path):
    response = requests.post(url(live_server, path), json=ONE, headers=headers, timeout=5)
    assert response.status_code == 401
    assert response.content == UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"


def test_get_chats_without_token_is_401(live_server):
    response = requests.get(url(live_server, "/vibers/chats"), timeout=5)
    assert (response.status_code, response.content) == (401, UNAUTHORIZED)


def test_request_with_demo_token_is_accepted(live_server):
    response = requests.post(url(live_server, "/sms/balance"), headers=AUTH, timeout=5)
    assert response.status_code == 200
    assert response.json()["success_request"]["info"]["currency"] == "UAH"


def test_send_tenth_request_in_a_second_is_throttled_and_next_second_passes(live_server, engine):
    with requests.Session() as session:
        codes = [
            session.post(
                url(live_server, "/vibers/status"), json={"messageIds": []}, headers=AUTH, timeout=5
            ).status_code
            for _ in range(9)
        ]
        tenth = session.post(url(live_server, "/vibers/send"), json=ONE, headers=AUTH, timeout=5)
        advance(engine, 1.0)
        next_second = session.post(url(live_server, "/vibers/send"), json=ONE, headers=AUTH, timeout=5)
    assert codes == [200] * 9
    assert tenth.status_code == 429
    assert tenth.content == b'{"name":"Too Many Requests","message":"Rate limit exceeded.","code":0,"status":429}'
    assert tenth.headers["X-Rate-Limit-Limit"] == "9"
    assert next_second.status_code == 200


def test_throttle_counts_each_token_apart(live_server):
    other = {"Authorization": "Bearer sim-smsclub-empty-token"}
    for _ in range(9):
        requests.post(url(live_server, "/sms/balance"), headers=AUTH, timeout=5)
    assert requests.post(url(live_server, "/sms/balance"), headers=other, timeout=5).status_code == 200
    assert requests.post(url(live_server, "/sms/balance"), headers=AUTH, timeout=5).status_code == 429


def test_unknown_token_is_not_throttled_but_unauthorized(live_server):
    codes = {
        requests.post(url(live_server, "/sms/balance"), headers={"Authorization": "Bearer x"}, timeout=5).status_code
        for _ in range(12)
    }
    assert codes == {401}


BUTTON = "The button field {button_txt} and its URL {button_url} must be filled both or not filled in at all"
SMS_PAIR = 'Fields: "Alpha-name (SMS)" and "Message text (SMS)" should be filled together or not filled at all'
DATES = "Date parameters must be present or absent together"
PLAN = 1767693600  # 2026-01-06 12:00 Kyiv


@pytest.mark.parametrize(
    ("extra", "key", "message"),
    [
        ({"button_txt": "Go"}, "button", BUTTON),
        ({"button_url": "https://smsclub.mobi/"}, "button", BUTTON),
        ({"button_txt": "Go", "button_url": ""}, "button", BUTTON),
        ({"senderSms": "Shop Zakaz"}, "SMS", SMS_PAIR),
        ({"messageSms": "text"}, "SMS", SMS_PAIR),
        ({"senderSms": "", "messageSms": "text"}, "SMS", SMS_PAIR),
        ({"mgr_plan_date": PLAN}, "date", DATES),
        ({"mgr_end_time": PLAN}, "date", DATES),
    ],
    ids=[
        "button-text-only",
        "button-url-only",
        "button-url-empty",
        "sender-sms-only",
        "message-sms-only",
        "sender-sms-empty",
        "plan-date-only",
        "end-time-only",
    ],
)
def test_send_with_half_a_pair_is_400(live_server, extra, key, message):
    response = requests.post(url(live_server, "/vibers/send"), json={**ONE, **extra}, headers=AUTH, timeout=5)
    assert response.status_code == 400
    assert response.json() == {"errorRequest": {"errors": {key: [message]}}}


@pytest.mark.parametrize(
    "extra",
    [
        {"button_txt": "Go", "button_url": "https://smsclub.mobi/"},
        {"picture_url": "http://im.smsclub.mobi/viber_img/HTISBLXHz_.jpg"},
        {"picture_url": "", "button_txt": "", "button_url": ""},
        {"senderSms": "Shop Zakaz", "messageSms": "text"},
        {"mgr_plan_date": PLAN, "mgr_end_time": PLAN + 3600},
    ],
    ids=["button-pair", "picture-alone", "all-empty", "sms-pair", "date-pair"],
)
def test_send_with_whole_pairs_is_200(live_server, extra):
    response = requests.post(url(live_server, "/vibers/send"), json={**ONE, **extra}, headers=AUTH, timeout=5)
    assert response.status_code == 200, response.text
    assert response.json()["successfulRequest"]["requestData"]["messages"][0]["number"] == "380989361121"


def test_send_with_every_pair_broken_lists_all_errors(live_server):
    body = {**ONE, "button_txt": "Go", "senderSms": "Shop Zakaz", "mgr_end_time": PLAN}
    response = requests.post(url(live_server, "/vibers/send"), json=body, headers=AUTH, timeout=5)
    assert response.status_code == 400
    assert list(response.json()["errorRequest"]["errors"]) == ["button", "SMS", "date"]


def _is_smsclub_body(status: int, raw: bytes) -> bool:
    document = json.loads(raw.decode("utf-8"))
    if status == 200:
        return set(document) in ({"successfulRequest"}, {"success_request"})
    if set(document) in ({"errorRequest"}, {"error_request"}):
        return True
    return set(document) == {"name", "message", "code", "status"} and document["status"] == status


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
send_keys = st.sampled_from(
    [
        "sender",
        "phones",
        "message",
        "lifetime",
        "picture_url",
        "button_txt",
        "button_url",
        "senderSms",
        "messageSms",
        "mgr_plan_date",
        "mgr_end_time",
        "is_2way",
        "chat_id",
        "messageIds",
        "phone",
        "src_addr",
        "id_sms",
        "data_message",
    ]
)
bodies = st.one_of(
    st.dictionaries(send_keys, json_values, max_size=8).map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=64),
    st.text(max_size=64).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
content_types = st.sampled_from(
    ["application/json", "application/json; charset=UTF-8", "text/plain", "application/x-www-form-urlencoded", ""]
)
paths = st.sampled_from(
    [
        "/vibers/send",
        "/vibers/status",
        "/vibers/chat",
        "/sms/send",
        "/v2/sms/send",
        "/sms/status",
        "/sms/balance",
        "/sms/originator",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, body=bodies, content_type=content_types)
def test_any_body_gets_an_smsclub_answer(live_server, engine, path, body, content_type):
    advance(engine, 1.0)  # stay under the rate limit: this test is about bodies
    headers = {**AUTH, "Content-Type": content_type} if content_type else AUTH
    response = requests.post(url(live_server, path), data=body, headers=headers, timeout=5)
    assert response.status_code < 500 or response.status_code == 503, response.content
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert _is_smsclub_body(response.status_code, response.content), response.content


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chat_id=st.text(max_size=20), page=st.text(max_size=8))
def test_any_chat_query_gets_an_smsclub_answer(live_server, engine, chat_id, page):
    advance(engine, 1.0)
    response = requests.get(
        url(live_server, "/vibers/chat"), params={"chat_id": chat_id, "page": page}, headers=AUTH, timeout=5
    )
    assert response.status_code in (200, 400)
    assert _is_smsclub_body(response.status_code, response.content), response.content


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"a":', "Syntax error."),
        (b'{"a": NaN}', "Syntax error."),
        (b"\xff\xfe{}", "Malformed UTF-8 characters, possibly incorrectly encoded."),
        (b'{"a": "\x01"}', "Control character error, possibly incorrectly encoded."),
        (b'{"a": "\\ud800"}', "Unknown JSON decoding error."),
        (b"[" * 600 + b"]" * 600, "The maximum stack depth has been exceeded."),
    ],
    ids=["truncated", "nan", "not-utf8", "control-char", "lone-surrogate", "too-deep"],
)
def test_send_with_json_php_refuses_is_400(live_server, body, reason):
    headers = {**AUTH, "Content-Type": "application/json"}
    response = requests.post(url(live_server, "/vibers/send"), data=body, headers=headers, timeout=5)
    assert response.status_code == 400
    assert response.json() == {
        "name": "Bad Request",
        "message": f"Invalid JSON data in request body: {reason}",
        "code": 0,
        "status": 400,
    }


def test_send_as_form_fields_is_read_like_php_post(live_server):
    form = {"sender": "Tesst", "phones[]": ["380989361121", "380989361126"], "message": "x"}
    response = requests.post(url(live_server, "/vibers/send"), data=form, headers=AUTH, timeout=5)
    assert response.status_code == 200
    numbers = [item["number"] for item in response.json()["successfulRequest"]["requestData"]["messages"]]
    assert numbers == ["380989361121", "380989361126"]


def test_options_request_is_405_with_smsclub_body(live_server):
    response = requests.options(url(live_server, "/vibers/send"), headers=AUTH, timeout=5)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
