"""No input gives a 500 or a body the real json.php would not send (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.app import create_app
from simulator.providers.jsonphp import messages
from simulator.providers.jsonphp.routes import HANDLERS
from tests.conftest import make_settings
from tests.providers.jsonphp.conftest import KEY, URL

TOP_ERRORS = {messages.ACCESS_DENIED, messages.INVALID_REQUEST, messages.TOO_MANY_REQUESTS}
ITEM_ERRORS = {
    messages.ALPHA_NAME,
    messages.INVALID_REQUEST,
    messages.UNKNOWN_TYPE,
    messages.NOT_FOUND,
    messages.INVALID_PHONE,
    messages.EMPTY_MESSAGE,
    messages.INSUFFICIENT_FUNDS,
}
FIELDS = [
    "id", "phone", "sms_signature", "sms_message", "sms_lifetime", "viber_type", "viber_signature", "viber_message",
    "viber_image", "viber_link", "viber_button", "viber_lifetime", "rcs_signature", "rcs_message", "message",
    "telegram_lifetime", "voice", "dtmf", "pipeline", "viber", "rcs", "sms", "telegram", "hook", "type",
]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
plausible = st.one_of(
    json_values,
    st.sampled_from([380971234567, "380971234567", "+380990000101", "SMSTest", "ViberTest", "AlphaRCS", "text"]),
    st.sampled_from(["image", "text+link", "https://example.org/a.png", 100500, "i_1", 60, ["sms"], ["viber", "sms"]]),
    st.fixed_dictionaries({"type": st.just("text"), "signature": st.just("ViberTest"), "message": st.text()}),
)
items = st.one_of(
    json_values,
    st.builds(
        lambda kind, extra: {"type": kind, **extra},
        st.sampled_from([*HANDLERS, "price", ""]),
        st.dictionaries(st.sampled_from(FIELDS), plausible, max_size=8),
    ),
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "auth": st.one_of(st.just(KEY), json_values),
        "data": st.one_of(st.lists(items, max_size=6), json_values),
    },
)


@pytest.fixture(scope="module")
def fuzz_client():
    return create_app(make_settings()).test_client()


def check(raw: bytes, status: int, sent: object) -> None:
    """The body is one of the provider's envelopes, PHP-encoded, one answer per item."""
    assert status == 200, raw
    assert raw.isascii()
    body = json.loads(raw)
    php = json.dumps(body, separators=(",", ":")).replace("/", "\\/").encode()
    assert raw == php  # compact, \uXXXX and \/ escapes, nothing else
    if body["success"] is False:
        assert list(body) == ["success", "error"] and body["error"] in TOP_ERRORS
        return
    assert list(body) == ["success", "data"] and body["success"] is True
    assert isinstance(sent, dict) and len(body["data"]) == len(sent["data"])
    for answer in body["data"]:
        if answer["success"] is True:
            assert list(answer) == ["success", "data"] and isinstance(answer["data"], dict)
        else:
            assert list(answer)[:2] == ["success", "error"] and answer["error"] in ITEM_ERRORS
            assert list(answer.get("data", {"id": 0})) == ["id"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(envelope=envelopes)
def test_post_any_json_envelope_gets_provider_body(fuzz_client, envelope: dict) -> None:
    response = fuzz_client.post(URL, data=json.dumps(envelope), headers={"Content-Type": "application/json"})
    check(response.get_data(), response.status_code, envelope)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    content_type=st.sampled_from(["application/json", "text/plain", "", "application/json; charset=utf-8"]),
    method=st.sampled_from(["POST", "GET", "PUT", "DELETE", "PATCH"]),
)
def test_send_any_bytes_gets_provider_body(fuzz_client, raw: bytes, content_type: str, method: str) -> None:
    response = fuzz_client.open(URL, method=method, data=raw, headers={"Content-Type": content_type})
    try:
        sent = json.loads(raw)
    except ValueError:
        sent = None
    check(response.get_data(), response.status_code, sent)
