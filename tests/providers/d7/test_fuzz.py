"""No input makes D7 answer a 500 or anything but D7's own JSON."""

from __future__ import annotations

import json

import phonenumbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.providers.d7.helpers import AUTH

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.lists(json_values, max_size=3),
    st.dictionaries(st.text(max_size=5), json_values, max_size=3),
)
# Bodies close to valid ones, with any field replaced by anything (or left out).
message = st.fixed_dictionaries(
    {},
    optional={
        "channel": anything | st.sampled_from(["viber", "sms"]),
        "recipients": anything | st.lists(st.from_regex(r"\+?[0-9]{5,16}", fullmatch=True), max_size=3),
        "content": anything | st.text(max_size=1200),
        "label": anything | st.sampled_from(["PROMOTION", "TRANSACTION"]),
        "data_coding": anything | st.sampled_from(["text", "unicode", "auto"]),
        "image": anything,
        "video": anything,
        "button_caption": anything,
    },
)
globals_ = st.fixed_dictionaries(
    {},
    optional={
        "originator": anything | st.just("INFO2WAY"),
        "call_back_url": anything,
        "report_url": anything,
        "schedule_time": anything
        | st.from_regex(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]", fullmatch=True),
        "num_lookup": anything,
    },
)
# libphonenumber's example numbers (valid, so the send goes through) among digits of any length (mostly refused).
EXAMPLES = sorted(
    phonenumbers.format_number(phonenumbers.example_number(region), phonenumbers.PhoneNumberFormat.E164)
    for region in phonenumbers.SUPPORTED_REGIONS
)
numbers = st.lists(st.sampled_from(EXAMPLES) | st.from_regex(r"\+?[0-9]{5,16}", fullmatch=True), min_size=1, max_size=3)
# Valid bodies with free text, numbers and options: these reach the business rules and the store.
valid = st.fixed_dictionaries(
    {
        "messages": st.lists(
            st.fixed_dictionaries(
                {
                    "channel": st.sampled_from(["viber", "sms"]),
                    "recipients": numbers,
                    "content": st.text(max_size=300),
                    "label": st.sampled_from(["PROMOTION", "TRANSACTION"]),
                },
                optional={
                    "data_coding": st.sampled_from(["text", "unicode", "auto"]),
                    "client_ref": st.text(max_size=5),
                },
            ),
            min_size=1,
            max_size=2,
        ),
        "message_globals": st.fixed_dictionaries(
            {"originator": st.text(min_size=1, max_size=15)},
            optional={
                "schedule_time": st.none() | st.integers(0, 2**40),
                "call_back_url": st.none(),
                "tag": st.text(max_size=5),
            },
        ),
    }
)
bodies = st.one_of(
    valid,
    json_values,
    st.fixed_dictionaries(
        {}, optional={"messages": anything | st.lists(message, max_size=3), "message_globals": anything | globals_}
    ),
)
SEND_PATHS = st.sampled_from(["/d7/viber/v1/send", "/d7/messages/v1/send"])


def assert_d7_answer(response) -> None:
    assert response.status_code != 500, response.get_data()
    assert response.headers["Content-Type"] == "application/json"
    body = json.loads(response.get_data())
    if response.status_code == 200:
        assert list(body) in (
            ["request_id", "status", "created_at"],
            ["request_id", "total_recipients", "channel", "messages"],
        )
    else:
        assert list(body) == ["detail"]


@FUZZ
@given(path=SEND_PATHS, body=bodies)
def test_send_any_json_body_gives_d7_answer(client, path, body) -> None:
    assert_d7_answer(client.post(path, data=json.dumps(body), headers={**AUTH, "Content-Type": "application/json"}))


@FUZZ
@given(
    path=SEND_PATHS,
    raw=st.binary(max_size=200),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", "application/vnd+json", ""]
    ),
)
def test_send_any_bytes_gives_d7_answer(client, path, raw, content_type) -> None:
    headers = {**AUTH, "Content-Type": content_type} if content_type else AUTH
    assert_d7_answer(client.post(path, data=raw, headers=headers))


@FUZZ
@given(
    log=st.sampled_from(["viber-log", "message-log"]),
    request_id=st.text(
        st.characters(blacklist_characters="/?#%", blacklist_categories=("Cs",)), min_size=1, max_size=40
    ),
    token=st.sampled_from([AUTH["Authorization"], "Bearer nope", ""]),
)
def test_report_any_request_id_gives_d7_answer(client, log, request_id, token) -> None:
    assert_d7_answer(client.get(f"/d7/report/v1/{log}/{request_id}", headers={"Authorization": token}))
