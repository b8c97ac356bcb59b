"""Lone UTF-16 surrogates (valid JSON escapes, not text) get the provider's own answer, never a 500, and
nothing stored through a provider makes a later read fail."""

from __future__ import annotations

import base64

import pytest

ROUTEE_BASIC = base64.b64encode(b"5756a411e4b06a33d50517c7:vb6QpjCIOG").decode()
SENDER = "5a7b1f0e2e4b0a1b2c3d4e5f"
D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}


def _routee_auth(client) -> dict:
    response = client.post(
        "/routee/oauth/token",
        headers={"Authorization": f"Basic {ROUTEE_BASIC}"},
        data={"grant_type": "client_credentials"},
    )
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/routee/viber", '{"senderInfoTrackingId":"%s","to":"+306912345678","body":{"text":"hi \\ud800"}}'),
        (
            "/routee/viber/campaign",
            '{"senderInfoTrackingId":"%s","to":["+306912345678"],"campaignName":"c\\udc00","body":{"text":"hi"}}',
        ),
        ("/routee/viber", '{"senderInfoTrackingId":"%s","to":"+306912345678","body":{"text":"hi"},"x\\ud800":1}'),
    ],
    ids=["viber-text", "campaign-name", "unknown-key"],
)
def test_send_routee_lone_surrogate_is_400_validation_and_nothing_stored(client, path, raw):
    response = client.post(path, data=raw % SENDER, content_type="application/json", headers=_routee_auth(client))
    assert response.status_code == 400
    assert response.get_json() == {"code": "400000000", "developerMessage": "Validation Error!"}
    assert client.get("/_sim/messages").get_json()["total"] == 0


def test_send_d7_lone_surrogates_everywhere_keeps_report_and_reads_answering(client):
    raw = (
        '{"messages":[{"channel":"sms","recipients":["+971501234567"],"content":"hi \\ud800","msg_type":"t\\ud800"}],'
        '"message_globals":{"originator":"SignOTP","report_url":"http://127.0.0.1:9/\\ud800","tag":"t\\udfff"}}'
    )
    response = client.post("/d7/messages/v1/send", data=raw, content_type="application/json", headers=D7_AUTH)
    assert response.status_code == 200
    request_id = response.get_json()["request_id"]
    assert client.get(f"/d7/report/v1/message-log/{request_id}", headers=D7_AUTH).status_code == 200
    for path in ("/_sim/messages", "/_sim/messages/latest", "/_sim/journal", "/_sim/requests"):
        assert client.get(path).status_code == 200, path
