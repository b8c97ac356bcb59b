"""Provider date and duration fields far in the future: the provider's own validation error, or stored so that
every later read still answers (the simulated clock ends at 9000-01-01, core/clock.py)."""

from __future__ import annotations

import base64
import json

D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}
ROUTEE_BASIC = base64.b64encode(b"5756a411e4b06a33d50517c7:vb6QpjCIOG").decode()
ROUTEE_SENDER = "5a7b1f0e2e4b0a1b2c3d4e5f"
END_OF_TIME = "9999-12-31T23:59:59Z"


def _reads_answer(client) -> None:
    for path in ("/_sim/messages", "/_sim/messages/latest", "/_sim/journal", "/_sim/inbox/"):
        assert client.get(path).status_code in (200, 404), path


def test_send_d7_sms_scheduled_at_the_end_of_time_is_422_and_reads_answer(client):
    body = {
        "messages": [{"channel": "sms", "recipients": ["+971501234567"], "content": "hi"}],
        "message_globals": {"originator": "SignOTP", "schedule_time": END_OF_TIME},
    }
    response = client.post("/d7/messages/v1/send", json=body, headers=D7_AUTH)
    assert response.status_code == 422
    [item] = response.get_json()["detail"]
    assert item["loc"] == ["body", "message_globals", "schedule_time"]
    assert item["type"] == "value_error"
    _reads_answer(client)


def test_send_routee_campaign_scheduled_at_the_end_of_time_is_400_and_reads_answer(client):
    token = client.post(
        "/routee/oauth/token",
        headers={"Authorization": f"Basic {ROUTEE_BASIC}"},
        data={"grant_type": "client_credentials"},
    ).get_json()["access_token"]
    body = {"senderInfoTrackingId": ROUTEE_SENDER, "to": ["+306912345678"], "body": {"text": "hi"}}
    response = client.post(
        "/routee/viber/campaign",
        json={**body, "scheduledDate": END_OF_TIME},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.get_json() == {
        "code": "400000000",
        "developerMessage": "Validation Error!",
        "properties": {"scheduledDate": "must be a date before 9000-01-01T00:00:00Z"},
    }
    _reads_answer(client)


def test_send_jsonphp_viber_with_endless_lifetime_keeps_reads_answering(client):
    """Expiry at the lifetime (magic-expired) 9e18 seconds away can never happen: it is not kept."""
    item = {
        "type": "viber",
        "id": 1,
        "phone": 380900000010,
        "viber_type": "text",
        "viber_signature": "ViberTest",
        "viber_message": "Hi",
        "viber_lifetime": 9 * 10**18,
    }
    envelope = {"auth": "sim-jsonphp-demo-key", "data": [item]}
    response = client.post("/jsonphp/api/json.php", data=json.dumps(envelope), content_type="application/json")
    assert response.get_json()["data"][0]["success"] is True
    _reads_answer(client)
    upcoming = client.get("/_sim/messages/latest").get_json()["upcoming"]
    assert [step["status"] for step in upcoming] == ["sent"]
