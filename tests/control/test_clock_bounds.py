"""Durations and instants entering through the control API are bounded: a 400 in our format, the clock unchanged,
and nothing a request stores can make a later read fail."""

from __future__ import annotations

import pytest

D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}
D7_SMS = {
    "messages": [{"channel": "sms", "recipients": ["+971501234567"], "content": "hi"}],
    "message_globals": {"originator": "SignOTP"},
}


@pytest.mark.parametrize(
    "raw",
    ['{"advance": NaN}', '{"advance": Infinity}', f'{{"advance": {10**30}}}', '{"advance": "99999999999d"}'],
    ids=["nan", "infinity", "ten-to-the-30", "eleven-digit-days"],
)
def test_advance_clock_by_unusable_duration_is_400_and_clock_unchanged(client, raw):
    before = client.get("/_sim/clock").get_json()
    response = client.post("/_sim/clock", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_clock_request"
    assert client.get("/_sim/clock").get_json() == before


@pytest.mark.parametrize(
    "body",
    [
        {"set": "9999-12-31T00:00:00Z"},
        {"freeze": "9999-12-31T00:00:00Z"},
        {"set": "8999-12-31T00:00:00Z", "advance": "1000d"},
        {"freeze": "1969-12-31T00:00:00Z"},
    ],
    ids=["set-9999", "freeze-9999", "set-then-advance-past-9000", "before-1970"],
)
def test_move_clock_outside_its_range_is_400_and_clock_unchanged(client, body):
    before = client.get("/_sim/clock").get_json()
    response = client.post("/_sim/clock", json=body)
    assert response.status_code == 400
    assert "between 1970-01-01 and 9000-01-01" in response.get_json()["error"]["message"]
    assert client.get("/_sim/clock").get_json() == before


def test_read_after_send_near_the_end_of_time_and_clock_reset_answers_200(client):
    """Today's main: a send at 9999-12-31, an advance and a clock reset leave the journal at 500."""
    for step in (
        lambda: client.post("/_sim/clock", json={"set": "9999-12-31T23:59:58Z"}),
        lambda: client.post("/d7/messages/v1/send", json=D7_SMS, headers=D7_AUTH),
        lambda: client.post("/_sim/clock", json={"advance": "5s"}),
        lambda: client.post("/_sim/clock", json={"reset": True}),
    ):
        assert step().status_code < 500
    for path in ("/_sim/journal", "/_sim/messages", "/_sim/clock", "/_sim/inbox/"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    "raw",
    [
        '{"faults": [{"provider": "d7", "latency": NaN}]}',
        '{"faults": [{"provider": "d7", "jitter": Infinity}]}',
        f'{{"faults": [{{"provider": "d7", "latency": {10**400}}}]}}',
    ],
    ids=["latency-nan", "jitter-infinity", "latency-400-digits"],
)
def test_put_fault_with_unusable_duration_is_400(client, raw):
    response = client.put("/_sim/faults", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_request"
    assert client.post("/d7/messages/v1/send", json=D7_SMS, headers=D7_AUTH).status_code == 200
