"""GET /_sim/messages (filters, paging), one message, latest, forced status and injected replies."""

from __future__ import annotations

import pytest

from simulator.core.doors import Draft
from simulator.core.engine import Engine
from tests.conftest import advance, demo_door
from tests.control.conftest import error_code, send


def submit(engine: Engine, message_id: str, to: str = "380501234567", provider: str = "fake", **kw) -> None:
    demo_door(engine, provider).submit([Draft(message_id, "sms", to, **kw)])


def test_list_messages_with_filters_returns_matching_newest_first(client, services, engine):
    submit(engine, "a", text="first code 1")
    advance(engine, 2)
    submit(engine, "b", to="+380 50 999 00 00", text="second")
    response = client.get("/_sim/messages")
    assert response.status_code == 200
    assert [m["id"] for m in response.json["messages"]] == ["b", "a"]
    assert response.json["total"] == 2
    assert [m["id"] for m in client.get("/_sim/messages?to=380509990000").json["messages"]] == ["b"]
    assert [m["id"] for m in client.get("/_sim/messages?contains=code").json["messages"]] == ["a"]
    assert [m["id"] for m in client.get("/_sim/messages?status=sent").json["messages"]] == ["a"]
    assert client.get("/_sim/messages?provider=d7").json["total"] == 0


def test_list_messages_since_instant_skips_older(client, services, engine):
    submit(engine, "old")
    advance(engine, 60)
    submit(engine, "new")
    since = client.get("/_sim/messages/new").json["created_at"]
    assert [m["id"] for m in client.get(f"/_sim/messages?since={since}").json["messages"]] == ["new"]


def test_list_messages_paging_returns_slices_and_total(client, services, engine):
    for index in range(5):
        submit(engine, f"m{index}")
        advance(engine, 1)
    page = client.get("/_sim/messages?limit=2&offset=2").json
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [m["id"] for m in page["messages"]] == ["m2", "m1"]


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=abc", "limit=1001", "offset=-1", "status=lost", "since=yesterday", "stauts=sent"],
    ids=["zero-limit", "text-limit", "huge-limit", "negative-offset", "unknown-status", "bad-since", "typo"],
)
def test_list_messages_bad_query_answers_400(client, query):
    response = client.get(f"/_sim/messages?{query}")
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


def test_get_message_shows_history_upcoming_and_why_scenario_matched(client, services, engine):
    submit(engine, "x1", to="380990000002")
    advance(engine, 1)
    body = client.get("/_sim/messages/fake:x1").json
    assert body["status"] == "pending"
    assert body["scenario"] == {"name": "undelivered", "matched_by": body["scenario"]["matched_by"]}
    assert body["scenario"]["matched_by"].startswith("match in ")
    assert [(s["status"], s["reason"]) for s in body["upcoming"]] == [("undelivered", "not_reachable")]
    advance(engine, 1)
    body = client.get("/_sim/messages/x1").json
    assert [s["status"] for s in body["history"]] == ["pending", "undelivered"]
    assert body["legal_next"] == []


def test_get_message_unknown_answers_404(client):
    response = client.get("/_sim/messages/nope")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_get_message_bare_id_of_two_providers_answers_409_with_keys(client, engine):
    submit(engine, "same")
    submit(engine, "same", provider="d7")
    response = client.get("/_sim/messages/same")
    assert response.status_code == 409
    assert sorted(response.json["error"]["keys"]) == ["d7:same", "fake:same"]


def test_latest_message_matching_filter_is_newest(client, services, engine):
    submit(engine, "one", to="380501111111")
    advance(engine, 1)
    submit(engine, "two", to="380502222222")
    assert client.get("/_sim/messages/latest").json["id"] == "two"
    assert client.get("/_sim/messages/latest?to=380501111111").json["id"] == "one"
    assert client.get("/_sim/messages/latest?provider=d7").status_code == 404


def test_force_status_legal_transition_moves_message_and_journals_it(client, engine):
    submit(engine, "f")
    response = client.post("/_sim/messages/f/status", json={"status": "undelivered", "reason": "blacklisted"})
    assert response.status_code == 200
    assert (response.json["status"], response.json["reason"]) == ("undelivered", "blacklisted")
    assert response.json["upcoming"] == []
    transitions = [e for e in engine.operator_door().journal("transition") if e["message"] == "fake:f"]
    assert transitions[-1]["status"] == "undelivered"


def test_force_status_illegal_transition_answers_409_with_table(client, services, engine):
    submit(engine, "g")
    advance(engine, 5)
    response = client.post("/_sim/messages/g/status", json={"status": "pending"})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "illegal_transition"
    assert error["allowed"] == ["expired", "read", "replied"]
    assert error["transitions"]["delivered"] == ["expired", "read", "replied"]
    assert "delivered -> pending" in error["message"]


@pytest.mark.parametrize(
    "body",
    [{}, {"status": "lost"}, {"status": "sent", "reason": "tired"}, {"status": 3}, {"status": "sent", "x": 1}],
    ids=["empty", "unknown-status", "unknown-reason", "number", "extra-key"],
)
def test_force_status_bad_body_answers_400(client, engine, body):
    submit(engine, "h")
    response = client.post("/_sim/messages/h/status", json=body)
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


def test_force_status_non_object_body_answers_400(client, engine):
    submit(engine, "h")
    response = client.post("/_sim/messages/h/status", data="[1]", content_type="application/json")
    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


def test_reply_with_text_and_media_marks_message_replied(client, services, engine):
    submit(engine, "r")
    advance(engine, 5)
    media = {"url": "https://example.com/a.jpg", "filename": "a.jpg", "filesize": 10}
    response = client.post("/_sim/messages/r/reply", json={"text": "Дякую", "media": media})
    assert response.status_code == 200
    assert response.json["status"] == "replied"
    assert response.json["replies"][0]["text"] == "Дякую"
    assert response.json["replies"][0]["media"] == media


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": None},
        {"media": {"url": "x"}},
        {"text": 5},
        {"media": {"url": "u", "filename": "f", "filesize": -1}},
    ],
    ids=["empty", "null-text", "incomplete-media", "number-text", "negative-size"],
)
def test_reply_bad_body_answers_400(client, engine, body):
    submit(engine, "r")
    response = client.post("/_sim/messages/r/reply", json=body)
    assert response.status_code == 400


def test_messages_sent_through_provider_are_listed(client):
    message_id = send(client, to="380501234567", text="через провайдера")
    body = client.get(f"/_sim/messages/fake:{message_id}").json
    assert (body["text"], body["account"], body["channel"]) == ("через провайдера", "demo", "sms")
