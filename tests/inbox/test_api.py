"""The inbox's read-only views and pages, and the control API calls its page makes, through the Flask test client."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.core import statuses
from simulator.core.lifecycle import Media
from simulator.core.webhooks import Delivery, RetryPolicy
from tests.conftest import advance, demo_door
from tests.inbox.conftest import send
from tests.receiver import Receiver

API = "/_sim/inbox/api"
CONTROL = "/_sim"  # where the page sends every change


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]


def test_list_messages_newest_first_with_every_column(client, engine):
    send(engine, "m-1", recipient="380501111111", text="first")
    advance(engine, 2)
    send(engine, "m-2", recipient="380502222222", text="second", provider="smsclub", channel="sms", sender="Tesst")
    body = client.get(f"{API}/messages").get_json()
    assert [m["key"] for m in body["messages"]] == ["smsclub:m-2", "d7:m-1"]
    assert (body["total"], body["matching"], body["counts"]) == (2, 2, {"pending": 1, "sent": 1})
    newest = body["messages"][0]
    assert newest == {
        "key": "smsclub:m-2",
        "provider": "smsclub",
        "id": "m-2",
        "channel": "sms",
        "recipient": "380502222222",
        "sender": "Tesst",
        "text": "second",
        "status": "pending",
        "reason": None,
        "fallback_status": None,
        "replies": 0,
        "scenario": "smsclub-default",
        "matched_by": "match in smsclub-statuses.yaml",
        "cost": 0.0,
        "currency": "UAH",
        "cost_text": "0.00 UAH",
        "created_at": "2026-01-05T07:00:02.000Z",
    }
    assert body["clock"] == {"now": "2026-01-05T07:00:02.000Z", "timestamp": 1767596402.0, "frozen": True}


def test_list_messages_created_at_one_instant_newest_first(client, engine):
    for index in range(3):
        send(engine, f"m-{index}")
    assert [m["id"] for m in client.get(f"{API}/messages").get_json()["messages"]] == ["m-2", "m-1", "m-0"]


def test_list_long_text_is_cut_for_the_list_only(client, engine):
    send(engine, text="x" * 500)
    listed = client.get(f"{API}/messages").get_json()["messages"][0]["text"]
    assert len(listed) == 160 and listed.endswith("…")
    assert client.get(f"{API}/messages/d7:m-1").get_json()["message"]["text"] == "x" * 500


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("provider=smsclub", ["smsclub:b"]),
        ("status=sent", ["d7:a"]),
        ("recipient=2222", ["smsclub:b"]),
        ("provider=d7&status=pending", []),
        ("provider=&status=&recipient=", ["smsclub:b", "d7:a"]),
        ("limit=1", ["smsclub:b"]),
    ],
    ids=["provider", "status", "recipient-substring", "combined-none", "empty-means-all", "limit"],
)
def test_list_filters_narrow_the_messages(client, engine, query, expected):
    send(engine, "a", recipient="380501111111")
    advance(engine, 1)
    send(engine, "b", recipient="380502222222", provider="smsclub")
    body = client.get(f"{API}/messages?{query}").get_json()
    assert [m["key"] for m in body["messages"]] == expected
    assert body["total"] == 2


def _three_messages(engine) -> None:
    """d7:a "Your code is 4711" (sent by t+2), smsclub:b "Your order shipped" and d7:c "Code 99" (pending)."""
    send(engine, "a", recipient="380501111111", text="Your code is 4711")
    advance(engine, 2)
    send(engine, "b", recipient="380502222222", text="Your order shipped", provider="smsclub", channel="sms")
    send(engine, "c", recipient="380503333333", text="Code 99")


@pytest.mark.parametrize(
    ("query", "expected", "counts"),
    [
        ("contains=Your", ["smsclub:b", "d7:a"], {"pending": 1, "sent": 1}),
        ("contains=code", ["d7:a"], {"sent": 1}),  # case-sensitive, as the control API's `contains`
        ("contains=Your&provider=d7", ["d7:a"], {"sent": 1}),
        ("contains=Your&status=pending", ["smsclub:b"], {"pending": 1, "sent": 1}),
        ("contains=Your&recipient=2222", ["smsclub:b"], {"pending": 1}),
        ("contains=nowhere", [], {}),
        ("contains=", ["d7:c", "smsclub:b", "d7:a"], {"pending": 2, "sent": 1}),
    ],
    ids=["text", "case-sensitive", "with-provider", "with-status", "with-recipient", "no-match", "empty-means-all"],
)
def test_list_text_search_narrows_and_combines_with_the_filters(client, engine, query, expected, counts):
    _three_messages(engine)
    body = client.get(f"{API}/messages?{query}").get_json()
    assert [m["key"] for m in body["messages"]] == expected
    assert (body["matching"], body["total"], body["counts"]) == (len(expected), 3, counts)


def test_list_text_search_finds_what_the_control_api_finds(client, engine):
    _three_messages(engine)
    listed = client.get(f"{API}/messages?contains=Your&provider=d7").get_json()["messages"]
    controlled = client.get(f"{CONTROL}/messages?contains=Your&provider=d7").get_json()["messages"]
    assert [m["key"] for m in listed] == [m["key"] for m in controlled] == ["d7:a"]


@pytest.mark.parametrize(
    ("query", "counts"),
    [
        ("", {"pending": 2, "sent": 1}),
        ("provider=d7", {"pending": 1, "sent": 1}),
        ("provider=smsclub", {"pending": 1}),
        ("status=sent", {"pending": 2, "sent": 1}),
        ("provider=d7&status=sent", {"pending": 1, "sent": 1}),
        ("recipient=3333", {"pending": 1}),
        ("provider=routee", {}),
    ],
    ids=["all", "provider", "other-provider", "status-ignored", "provider-and-status", "recipient", "none"],
)
def test_list_status_counts_count_within_every_filter_but_status(client, engine, query, counts):
    _three_messages(engine)
    assert client.get(f"{API}/messages?{query}").get_json()["counts"] == counts


def test_list_status_counts_follow_the_clock_within_the_filter(client, engine):
    _three_messages(engine)
    advance(engine, 1)
    assert client.get(f"{API}/messages?provider=d7").get_json()["counts"] == {"sent": 1, "delivered": 1}
    assert client.get(f"{API}/messages?contains=Code").get_json()["counts"] == {"sent": 1}


def test_list_status_counts_without_text_filter_come_from_the_counters(client, engine, monkeypatch):
    _three_messages(engine)
    monkeypatch.setattr(engine.store, "_matcher", lambda *args: pytest.fail("counted by reading messages"))
    monkeypatch.setattr(engine.store, "_select", lambda space, where, *rest: (0, []))  # only the page reads
    assert client.get(f"{API}/messages?provider=d7").get_json()["counts"] == {"pending": 1, "sent": 1}


@pytest.mark.parametrize(
    ("provider", "channel", "cost", "shown"),
    [
        ("d7", "sms", 0.0001, "0.0001 USD"),
        ("d7", "viber", 0.0004 * 3, "0.0012 USD"),
        ("smsclub", "sms", 1.05, "1.05 UAH"),
        ("jsonphp", "sms", 1.5, "1.50 UAH"),
        ("routee", "viber", 0.0, "0.00 EUR"),
        ("d7", "sms", 1e-9, "0.000000001 USD"),
    ],
    ids=["d7-tenth-of-a-cent", "float-noise", "two-decimals", "trailing-zero-to-two", "zero", "never-rounded-to-zero"],
)
def test_list_cost_shows_the_accounts_currency_and_the_decimals_it_needs(
    client, engine, provider, channel, cost, shown
):
    send(engine, provider=provider, channel=channel, cost=cost)
    listed = client.get(f"{API}/messages").get_json()["messages"][0]
    assert (listed["cost"], listed["cost_text"]) == (cost, shown)
    detail = client.get(f"{API}/messages/{listed['key']}").get_json()["message"]
    assert (detail["currency"], detail["cost_text"]) == (listed["currency"], shown)


def test_list_cost_of_an_account_no_longer_configured_has_no_currency(client, engine):
    send(engine, cost=0.0001)
    engine.operator_door().replace_accounts("d7", [])
    listed = client.get(f"{API}/messages").get_json()["messages"][0]
    assert (listed["currency"], listed["cost_text"]) == (None, "0.0001")


def test_inbox_page_keeps_the_search_text_escaped_in_its_box(client, engine):
    send(engine)
    search = '"><script>alert(1)</script>'
    page = client.get("/_sim/inbox/", query_string={"contains": search}).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("colour=red", "colour"),
        ("contains=" + "x" * 1001, "contains"),
    ],
    ids=["unknown-status", "zero-limit", "text-limit", "unknown-filter", "search-too-long"],
)
def test_list_bad_filter_is_a_clear_400(client, query, field):
    error = _error(client.get(f"{API}/messages?{query}"), 400)
    assert error["code"] == "invalid_request" and error["field"] == field and field in error["message"]


def test_list_poll_without_change_is_a_304(client, engine):
    send(engine)
    first = client.get(f"{API}/messages")
    again = client.get(f"{API}/messages", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    advance(engine, 1)
    changed = client.get(f"{API}/messages", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["messages"][0]["status"] == "sent"


def test_namespaces_are_separate(client, engine):
    send(engine, "mine", namespace="team-a")
    send(engine, "other")
    assert [m["id"] for m in client.get(f"{API}/messages?namespace=team-a").get_json()["messages"]] == ["mine"]
    names = [n["name"] for n in client.get(f"{CONTROL}/namespaces").get_json()["namespaces"]]
    assert names == ["default", "team-a"]


@pytest.mark.parametrize("name", ["n" * 65, "../../etc", "<script>", "a\x00b"], ids=["long", "path", "html", "nul"])
def test_malformed_namespace_is_a_clear_400(client, name):
    assert _error(client.get(f"{API}/messages", query_string={"namespace": name}), 400)["code"] == "invalid_namespace"


def test_message_detail_shows_history_upcoming_and_legal_targets(client, engine):
    send(engine)
    advance(engine, 1)
    message = client.get(f"{API}/messages/d7:m-1").get_json()["message"]
    assert [(s["status"], s["at"]) for s in message["history"]] == [
        ("pending", "2026-01-05T07:00:00.000Z"),
        ("sent", "2026-01-05T07:00:01.000Z"),
    ]
    assert [s["status"] for s in message["upcoming"]] == ["delivered"]
    assert message["legal_targets"] == statuses.legal_targets("sent")
    assert (message["account"], message["fallback"], message["reply_list"]) == ("demo", None, [])


def test_message_detail_shows_the_sms_fallback_leg(client, engine):
    send(engine, recipient="38099000000006", lifetime=60)
    advance(engine, 62)
    message = client.get(f"{API}/messages/d7:m-1").get_json()["message"]
    assert (message["status"], message["reason"], message["scenario"]) == (
        "expired",
        "ttl_expired",
        "magic-expired-sms-fallback",
    )
    fallback = message["fallback"]
    assert fallback["channel"] == "sms"
    assert [s["status"] for s in fallback["history"]] == ["pending", "sent"]
    assert [s["status"] for s in fallback["upcoming"]] == ["delivered"]


def test_message_detail_lists_webhook_attempts_and_its_requests(client, engine):
    receiver = Receiver(statuses=[503])
    url = receiver.start()
    try:
        send(engine)
        engine._deliver(engine.namespace(), Delivery(url, b'{"status":"pending"}'), RetryPolicy(), "d7:m-1", 1)
        services, operator = demo_door(engine, "d7"), engine.operator_door()
        operator.record("request", provider="d7", method="POST", path="/d7/send", query="", headers={}, body="{}",
                        status=200, response='{"id":"m-1"}', started=services.now())  # fmt: skip
        operator.record("request", provider="d7", method="GET", path="/d7/report/other", query="", headers={},
                        body="", status=200, response="{}", started=services.now())  # fmt: skip
        engine.sender.wait_idle()
        message = client.get(f"{API}/messages/d7:m-1").get_json()["message"]
    finally:
        receiver.stop()
    (hook,) = message["webhooks"]
    assert (hook["url"], hook["attempt"], hook["status"], hook["error"]) == (url, 1, 503, None)
    assert hook["latency_ms"] >= 0 and hook["body"] == '{"status":"pending"}'
    assert [r["path"] for r in message["requests"]] == ["/d7/send"]


def test_unknown_message_is_a_404(client):
    error = _error(client.get(f"{API}/messages/d7:nope"), 404)
    assert error == {"code": "not_found", "message": "no message 'd7:nope' in namespace 'default'"}


@pytest.mark.parametrize(
    ("payload", "text", "media"),
    [
        ({"text": "Thanks!"}, "Thanks!", None),
        (
            {"media": {"url": "https://files.example.com/a.jpg", "filename": "a.jpg", "filesize": 68934}},
            None,
            {"url": "https://files.example.com/a.jpg", "filename": "a.jpg", "filesize": 68934},
        ),
        (
            {"text": "Invoice", "media": {"url": "http://x.test/i.pdf", "filename": "i.pdf", "filesize": 0}},
            "Invoice",
            {"url": "http://x.test/i.pdf", "filename": "i.pdf", "filesize": 0},
        ),
    ],
    ids=["text", "media", "text-and-media"],
)
def test_reply_injected_shows_in_the_message(client, engine, payload, text, media):
    send(engine)
    advance(engine, 3)
    assert client.post(f"{CONTROL}/messages/d7:m-1/reply", json=payload).status_code == 200
    message = client.get(f"{API}/messages/d7:m-1").get_json()["message"]
    assert message["status"] == "replied"
    assert message["reply_list"] == [{"at": "2026-01-05T07:00:03.000Z", "text": text, "media": media}]
    assert message["replies"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"text": 5}, "text"),
        ({"media": {"filename": "a.jpg", "filesize": 1}}, "media.url"),
        ({"media": {"url": "javascript:alert(1)", "filename": "a", "filesize": 1}}, "media.url"),
        ({"media": {"url": "https://x.test/a", "filename": "", "filesize": 1}}, "media.filename"),
        ({"media": {"url": "https://x.test/a", "filename": "a", "filesize": "big"}}, "media.filesize"),
        ({"media": {"url": "https://x.test/a", "filename": "a", "filesize": -1}}, "media.filesize"),
        ({"text": "hi", "from": "me"}, "from"),
    ],
    ids=["empty", "blank", "too-long", "not-a-string", "no-url", "script-url", "no-filename", "size-text",
         "size-negative", "unknown-key"],
)  # fmt: skip
def test_reply_bad_input_is_a_clear_400(client, engine, payload, field):
    send(engine)
    error = _error(client.post(f"{CONTROL}/messages/d7:m-1/reply", json=payload), 400)
    assert (error["code"], error["field"]) == ("invalid_request", field)
    assert engine.operator_door().find("d7:m-1").replies == ()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(b"{", "application/json"), (b"[1]", "application/json"), (b"text=hi", "application/x-www-form-urlencoded")],
    ids=["broken-json", "json-array", "form-post"],
)
def test_reply_non_json_object_is_a_clear_400(client, engine, data, content_type):
    send(engine)
    error = _error(client.post(f"{CONTROL}/messages/d7:m-1/reply", data=data, content_type=content_type), 400)
    assert error["code"] == "invalid_json"


def test_reply_to_unknown_message_is_a_404(client):
    assert _error(client.post(f"{CONTROL}/messages/d7:nope/reply", json={"text": "hi"}), 404)["code"] == "not_found"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["text", "media", "url", "filename", "filesize", "x"]), inner, max_size=4)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=JSON_VALUES)
def test_reply_any_json_is_answered_200_or_400(client, engine, payload):
    if engine.operator_door().find("d7:fuzz") is None:
        send(engine, "fuzz")
    response = client.post(
        f"{CONTROL}/messages/d7:fuzz/reply", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code in (200, 400)


def test_force_legal_status_with_reason(client, engine):
    send(engine)
    forced = client.post(
        f"{CONTROL}/messages/d7:m-1/status", json={"status": "undelivered", "reason": "not_registered"}
    )
    assert forced.status_code == 200
    body = client.get(f"{API}/messages/d7:m-1").get_json()["message"]
    assert (body["status"], body["reason"], body["legal_targets"], body["upcoming"]) == (
        "undelivered",
        "not_registered",
        [],
        [],
    )


def test_force_illegal_transition_is_refused_with_the_allowed_ones(client, engine):
    send(engine)
    advance(engine, 3)
    error = _error(client.post(f"{CONTROL}/messages/d7:m-1/status", json={"status": "pending"}), 409)
    assert error["code"] == "illegal_transition" and error["allowed"] == ["expired", "read", "replied"]
    assert error["message"] == (
        "delivered -> pending is not a legal transition; allowed from delivered: expired, read, replied"
    )
    assert engine.operator_door().find("d7:m-1").status == "delivered"


def test_force_from_a_final_status_says_it_is_final(client, engine):
    send(engine, recipient="38099000000007")
    advance(engine, 1)
    error = _error(client.post(f"{CONTROL}/messages/d7:m-1/status", json={"status": "delivered"}), 409)
    assert error["message"].endswith("allowed from rejected: none, it is final")


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "status"), ({"status": "lost"}, "status"), ({"status": "sent", "reason": "bored"}, "reason")],
    ids=["missing", "unknown-status", "unknown-reason"],
)
def test_force_bad_input_is_a_clear_400(client, engine, payload, field):
    send(engine)
    assert _error(client.post(f"{CONTROL}/messages/d7:m-1/status", json=payload), 400)["field"] == field


def test_clock_advance_moves_statuses_and_freeze_toggles(client, engine):
    send(engine)
    clock = client.post(f"{CONTROL}/clock", json={"advance": "5s"}).get_json()
    assert clock["now"] == "2026-01-05T07:00:05.000Z"
    assert client.get(f"{API}/messages").get_json()["messages"][0]["status"] == "delivered"
    assert client.post(f"{CONTROL}/clock", json={"unfreeze": True}).get_json()["frozen"] is False
    assert client.post(f"{CONTROL}/clock", json={"freeze": True}).get_json()["frozen"] is True


def test_clock_is_per_namespace(client, engine):
    send(engine, namespace="team-a")
    client.post(f"{CONTROL}/clock?namespace=team-a", json={"advance": "1h"})
    assert engine.namespace("team-a").clock.timestamp() - engine.namespace().clock.timestamp() == 3600


@pytest.mark.parametrize(
    "payload",
    [{}, {"advance": "soon"}, {"advance": -1}, {"freeze": False}, {"rewind": "5s"}],
    ids=["empty", "bad-duration", "negative", "freeze-false", "unknown"],
)  # fmt: skip
def test_clock_bad_input_is_a_clear_400(client, payload):
    error = _error(client.post(f"{CONTROL}/clock", json=payload), 400)
    assert error["code"] == "invalid_clock_request" and error["message"]


def test_reset_forgets_only_that_namespace(client, engine):
    send(engine, namespace="team-a")
    send(engine)
    assert client.post(f"{CONTROL}/reset?namespace=team-a", json={}).get_json() == {"reset": "team-a"}
    assert engine.operator_door("team-a").views() == []
    assert len(engine.operator_door().views()) == 1


def test_inbox_page_embeds_text_escaped(client, engine):
    send(engine, text="</script><script>alert(1)</script><img src=x onerror=alert(2)>")
    page = client.get("/_sim/inbox/").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page


def test_inbox_page_refuses_a_namespace_name_that_could_carry_markup(client):
    response = client.get("/_sim/inbox/", query_string={"namespace": '"><img src=x onerror=alert(1)>'})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_namespace"
    assert response.mimetype == "application/json"  # never rendered as a page


def test_message_page_of_unknown_message_is_an_html_404(client):
    response = client.get("/_sim/inbox/messages/d7:nope")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "no message &#39;d7:nope&#39; in namespace &#39;default&#39;" in response.get_data(as_text=True)


def test_inbox_page_with_bad_filter_is_an_html_400(client):
    response = client.get("/_sim/inbox/?status=lost")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "status: Must be one of" in response.get_data(as_text=True)


def test_inbox_static_files_are_served_from_the_package(client):
    for name in ("inbox.css", "inbox.js", "list.js", "message.js"):
        assert client.get(f"/_sim/inbox/static/{name}").status_code == 200


def test_scenario_reply_with_media_shows_up_when_due(client, engine):
    send(engine, recipient="38099000000004")
    advance(engine, 120)
    replies = client.get(f"{API}/messages/d7:m-1").get_json()["message"]["reply_list"]
    assert [r["text"] for r in replies] == ["Please wait", "Correct invoice"]
    assert replies[1]["media"]["filename"] == "invoice.pdf"


def test_injected_media_reply_survives_the_round_trip(engine, client):
    send(engine)
    engine.operator_door().reply("d7:m-1", None, Media("https://x.test/p.png", "p.png", 10))
    (reply,) = client.get(f"{API}/messages/d7:m-1").get_json()["message"]["reply_list"]
    assert reply["text"] is None and reply["media"]["filename"] == "p.png"
