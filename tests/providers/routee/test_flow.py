"""Routee over real HTTP: token -> send -> track through every status -> callbacks -> token expiry."""

from __future__ import annotations

import base64
import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.receiver import Receiver

BASIC = ("5756a411e4b06a33d50517c7", "vb6QpjCIOG")  # doc: get-authenticated example credentials
SENDER = "5a7b1f0e2e4b0a1b2c3d4e5f"
SMS = {"body": "hi", "to": "+306912345678", "from": "Routee"}  # doc: reference/send-single-sms request


def _token(base: str) -> str:
    response = requests.post(
        f"{base}/routee/oauth/token", auth=BASIC, data={"grant_type": "client_credentials"}, timeout=5
    )
    assert response.status_code == 200
    return response.json()["access_token"]


def _bearer(client, credentials: tuple[str, str] = BASIC) -> dict:
    """A fresh token through the Flask client, as an Authorization header."""
    basic = base64.b64encode(":".join(credentials).encode()).decode()
    response = client.post(
        "/routee/oauth/token", headers={"Authorization": f"Basic {basic}"}, data={"grant_type": "client_credentials"}
    )
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def _advance(base: str, duration: str) -> None:
    assert requests.post(f"{base}/_sim/clock", json={"advance": duration}, timeout=5).status_code == 200


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.url = receiver.start()
    yield receiver
    receiver.stop()


def test_full_flow_token_send_track_every_status_callbacks_and_expiry(live_server, engine, receiver):
    base = live_server.url
    bearer = {"Authorization": f"Bearer {_token(base)}"}
    sent = requests.post(
        f"{base}/routee/viber",
        headers=bearer,
        timeout=5,
        json={
            "senderInfoTrackingId": SENDER,
            "to": "+306900000002",
            "body": {"text": "hi"},
            "ttl": 3600,
            "callbackUrl": receiver.url,
        },
    )
    assert sent.status_code == 200 and sent.json()["status"]["status"] == "QUEUED"
    tracking_url = f"{base}/routee/viber/tracking/{sent.json()['trackingId']}"
    seen = []
    for step in ("0s", "1s", "1s", "28s"):  # magic-read: sent at 1 s, delivered at 2 s, read at 30 s
        _advance(base, step)
        seen.append(requests.get(tracking_url, headers=bearer, timeout=5).json()["status"]["status"])
    assert seen == ["QUEUED", "SENT", "DELIVERED", "SEEN"]
    engine.sender.wait_idle()
    posts = [json.loads(item.body) for item in receiver.received]
    assert [post["status"]["name"] for post in posts] == ["QUEUED", "SENT", "DELIVERED", "SEEN"]
    assert posts[-1]["originatingService"] == "Viber" and posts[-1]["ttl"] == 3600
    assert posts[2]["status"]["reason"] == {
        "detailedStatus": "Delivered",
        "description": "The message was delivered to its recipient.",
    }
    _advance(base, "3600s")
    expired = requests.get(tracking_url, headers=bearer, timeout=5)
    assert expired.status_code == 401 and expired.json()["error_description"].startswith("Access token expired: ")


def test_token_with_bad_credentials_answers_spring_error_page_stamped_by_simulated_clock(client, engine):
    engine.operator_door().clock.advance(90)
    basic = base64.b64encode(b"5756a411e4b06a33d50517c7:wrong").decode()
    response = client.post(
        "/routee/oauth/token", headers={"Authorization": f"Basic {basic}"}, data={"grant_type": "client_credentials"}
    )
    body = response.get_json()
    assert response.status_code == 401
    assert list(body) == ["timestamp", "status", "error", "message", "path"]
    assert body["timestamp"] == int(engine.operator_door().now() * 1000)
    assert body["path"] == "/oauth/token"
    # sdk: randinterval/Routee-Java-SDK RouteeAuthentication turns a 401 into error + " " + message
    assert body["error"] + " " + body["message"] == "Unauthorized Bad credentials"


def test_on_completion_strategy_posts_only_the_outcome(client, engine, receiver):
    bearer = _bearer(client)
    response = client.post(
        "/routee/viber",
        headers=bearer,
        json={
            "senderInfoTrackingId": SENDER,
            "to": "+306900000005",
            "body": {"text": "hi"},
            "callback": {"url": receiver.url, "strategy": "OnCompletion"},
        },
    )
    assert response.status_code == 200
    engine.operator_door().clock.advance(5)
    engine.sender.wait_idle()
    posts = [json.loads(item.body) for item in receiver.received]
    assert [(p["status"]["name"], p["status"]["reason"]["detailedStatus"]) for p in posts] == [
        ("UNDELIVERED", "Not Viber User")
    ]


def test_failed_callback_is_retried_on_the_simulated_clock(client, engine):
    receiver = Receiver(statuses=[500])
    url = receiver.start()
    try:
        bearer = _bearer(client)
        client.post(
            "/routee/viber",
            headers=bearer,
            json={
                "senderInfoTrackingId": SENDER,
                "to": "+306900000101",
                "body": {"text": "hi"},
                "callback": {"url": url, "strategy": "OnCompletion"},
            },
        )
        engine.operator_door().clock.advance(1)
        engine.sender.wait_idle()
        assert len(receiver.received) == 1
        engine.operator_door().clock.advance(10)
        engine.sender.wait_idle()
        names = [json.loads(item.body)["status"]["name"] for item in receiver.received]
        assert names == ["UNSENT", "UNSENT"]
        attempts = [(a["attempt"], a["status"]) for a in engine.operator_door().journal("webhook")]
        assert attempts == [(1, 500), (2, 200)]
    finally:
        receiver.stop()


def test_tracking_of_another_account_is_not_found(client):
    mine = _bearer(client)
    sent = client.post(
        "/routee/viber",
        headers=mine,
        json={"senderInfoTrackingId": SENDER, "to": "+306912345678", "body": {"text": "hi"}},
    ).get_json()
    theirs = _bearer(client, ("sim-routee-empty", "sim-routee-empty-secret"))
    response = client.get(f"/routee/viber/tracking/{sent['trackingId']}", headers=theirs)
    assert response.status_code == 404 and response.get_json()["code"] == "404019006"


def test_campaign_pages_follow_spring_paging(client, engine):
    bearer = _bearer(client)
    numbers = [f"+3069123456{index:02d}" for index in range(5)]
    created = client.post(
        "/routee/viber/campaign",
        headers=bearer,
        json={"senderInfoTrackingId": SENDER, "to": numbers, "body": {"text": "hi"}, "campaignName": "c"},
    ).get_json()
    url = f"/routee/viber/tracking/campaign/{created['trackingId']}"
    pages = [client.get(url, headers=bearer, query_string={"page": n, "size": 2}).get_json() for n in range(3)]
    assert [[item["to"] for item in page["content"]] for page in pages] == [numbers[0:2], numbers[2:4], numbers[4:]]
    assert [(p["first"], p["last"], p["totalPages"], p["totalElements"]) for p in pages] == [
        (True, False, 3, 5),
        (False, False, 3, 5),
        (False, True, 3, 5),
    ]
    fallback = client.get(url, headers=bearer, query_string={"page": "x", "size": "-1"}).get_json()
    assert (fallback["number"], fallback["size"]) == (0, 20)


def test_scheduled_campaign_stays_queued_until_its_date(client, engine):
    bearer = _bearer(client)
    created = client.post(
        "/routee/viber/campaign",
        headers=bearer,
        json={
            "senderInfoTrackingId": SENDER,
            "to": ["+306912345678"],
            "body": {"text": "hi"},
            "scheduledDate": "2026-01-05T08:00:00Z",
        },
    ).get_json()
    assert created["state"] == "Scheduled"
    url = f"/routee/viber/tracking/campaign/{created['trackingId']}"
    engine.operator_door().clock.advance(1800)
    assert client.get(url, headers=bearer).get_json()["content"][0]["status"]["status"] == "QUEUED"
    engine.operator_door().clock.advance(3600)
    fresh = _bearer(client)  # the first expired
    status = client.get(url, headers=fresh).get_json()["content"][0]["status"]
    assert status["status"] == "DELIVERED"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)
SEND_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "senderInfoTrackingId": st.sampled_from([SENDER, "nope", ""]) | JSON_VALUES,
        "to": st.sampled_from(["+306912345678", "306912345678", "+30"]) | JSON_VALUES,
        "body": st.fixed_dictionaries(
            {},
            optional={
                "text": st.text(max_size=1100) | JSON_VALUES,
                "imageURL": st.sampled_from(["https://e.com/a.png", "x"]),
                "action": JSON_VALUES
                | st.fixed_dictionaries({"caption": st.text(max_size=40), "targetUrl": st.text()}),
                "viberFile": JSON_VALUES,
                "viberVideo": JSON_VALUES,
            },
        )
        | JSON_VALUES,
        "ttl": JSON_VALUES,
        "callback": JSON_VALUES,
        "callbackUrl": JSON_VALUES,
        "isSessionMessage": JSON_VALUES,
    },
)


SMS_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "from": st.sampled_from(["Routee", "306912345678", "", "TooLongSender1"]) | JSON_VALUES,
        "body": st.text(max_size=1700) | JSON_VALUES,
        "to": st.sampled_from(["+306912345678", "306912345678", "+30"]) | JSON_VALUES,
        "flash": JSON_VALUES,
        "label": JSON_VALUES,
        "callback": JSON_VALUES | st.fixed_dictionaries({"url": st.text(max_size=20), "strategy": st.text()}),
        "ttl": JSON_VALUES,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=SEND_FIELDS | SMS_FIELDS | JSON_VALUES,
    path=st.sampled_from(["/routee/viber", "/routee/viber/campaign", "/routee/sms"]),
)
def test_any_send_body_gets_a_routee_answer_never_a_500(client, body, path):
    bearer = _bearer(client)
    response = client.post(path, headers=bearer, json=body)
    assert response.status_code in (200, 400, 404)
    answer = response.get_json()
    assert set(answer) >= ({"trackingId"} if response.status_code == 200 else {"code", "developerMessage"})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.binary(max_size=200),
    authorization=st.text(max_size=60),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", ""]),
)
def test_any_raw_request_gets_a_routee_answer_never_a_500(client, raw, authorization, content_type):
    for path in ("/routee/oauth/token", "/routee/viber", "/routee/sms"):
        try:
            response = client.post(
                path, data=raw, headers={"Authorization": authorization, "Content-Type": content_type}
            )
        except ValueError:  # werkzeug's test client refuses header values a real client cannot send
            return
        assert response.status_code in (200, 400, 401, 403)
        assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
        body = response.get_json()
        assert "error" in body or "code" in body or "access_token" in body


# SMS (doc: reference/send-single-sms, reference/smstrackingsingle, docs/callbacks)


def test_sms_sent_tracked_to_delivered_with_its_callbacks_received(live_server, engine, receiver):
    base = live_server.url
    bearer = {"Authorization": f"Bearer {_token(base)}"}
    balance_url = f"{base}/routee/accounts/me/balance"
    before = requests.get(balance_url, headers=bearer, timeout=5).json()["balance"]
    sent = requests.post(
        f"{base}/routee/sms",
        headers=bearer,
        timeout=5,
        json=SMS | {"callback": {"url": receiver.url, "strategy": "OnChange"}},
    )
    assert sent.status_code == 200 and sent.json()["status"] == "Queued"
    tracking_url = f"{base}/routee/sms/tracking/single/{sent.json()['trackingId']}"
    seen = []
    for step in ("0s", "1s", "2s"):  # the default scenario: sent after 1 s, delivered after 3 s
        _advance(base, step)
        [item] = requests.get(tracking_url, headers=bearer, timeout=5).json()
        seen.append(item["status"]["status"])
    assert seen == ["Queued", "Sent", "Delivered"]
    assert item["messageId"] == sent.json()["trackingId"] and item["price"] == 0.035
    engine.sender.wait_idle()
    posts = [json.loads(received.body) for received in receiver.received]
    assert [post["status"]["name"] for post in posts] == ["Queued", "Sent", "Delivered"]
    assert {(post["messageId"], post["smsId"]) for post in posts} == {(item["messageId"], item["smsId"])}
    assert posts[-1]["status"]["reason"]["detailedStatus"] == "Delivered"
    after = requests.get(balance_url, headers=bearer, timeout=5).json()["balance"]
    assert round(before - after, 6) == 0.035


def test_sms_of_two_parts_tracks_and_calls_back_each_part_on_completion(client, engine, receiver):
    bearer = _bearer(client)
    body = SMS | {"body": "x" * 161}  # 161 GSM characters: 2 parts of 153
    sent = client.post(
        "/routee/sms", headers=bearer, json=body | {"callback": {"url": receiver.url, "strategy": "OnCompletion"}}
    ).get_json()
    assert sent["bodyAnalysis"]["parts"] == 2
    engine.operator_door().clock.advance(5)
    items = client.get(f"/routee/sms/tracking/single/{sent['trackingId']}", headers=bearer).get_json()
    assert [(item["part"], item["parts"], item["status"]["status"]) for item in items] == [
        (1, 2, "Delivered"),
        (2, 2, "Delivered"),
    ]
    engine.sender.wait_idle()
    posts = [json.loads(received.body) for received in receiver.received]
    assert sorted((post["part"], post["smsId"], post["status"]["name"]) for post in posts) == [
        (item["part"], item["smsId"], "Delivered") for item in items
    ]
    viber = client.get(f"/routee/viber/tracking/{sent['trackingId']}", headers=bearer)
    assert viber.status_code == 404 and viber.get_json()["code"] == "404019006"


def test_sms_callback_refused_is_retried_five_times_then_dropped(client, engine):
    receiver = Receiver(statuses=[500] * 10)
    url = receiver.start()
    try:
        client.post(
            "/routee/sms",
            headers=_bearer(client),
            json=SMS | {"callback": {"url": url, "strategy": "OnCompletion"}},
        )
        for seconds in (3, 10, 30, 60, 300, 900, 3600):  # delivered at 3 s, then each retry's delay
            engine.operator_door().clock.advance(seconds)
            engine.sender.wait_idle()
        attempts = [(entry["attempt"], entry["status"]) for entry in engine.operator_door().journal("webhook")]
        assert attempts == [(attempt, 500) for attempt in range(1, 7)]
    finally:
        receiver.stop()


def test_balance_without_token_is_401_with_a_token_of_any_scope_is_200(client):
    assert client.get("/routee/accounts/me/balance").status_code == 401
    sms_only = _bearer(client, ("sim-routee-sms-only", "sim-routee-sms-secret"))
    answer = client.get("/routee/accounts/me/balance", headers=sms_only)
    assert answer.status_code == 200 and list(answer.get_json()) == ["balance", "currency"]
