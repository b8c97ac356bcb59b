"""Provider bodies are encoded by one kept C encoder per option set: the same text json.dumps writes."""

from __future__ import annotations

import json

import pytest

from simulator.providers.wire import json_bytes

PAYLOADS = [
    {"request_id": "r1", "total": 2, "messages": [{"cost": 0.0123, "status": None, "ok": True, "big": 1e20}]},
    {"text": 'Привіт / \u2028 😀 "quoted" \\ back', 1: "int key", 2.5: "float key", None: "null key"},
    "a bare string / ü",
    3,
    -0.0,
    [],
    {},
    [[], [{}], [[1, [2, [3]]]]],
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("ensure_ascii", [False, True])
@pytest.mark.parametrize("separators", [(",", ":"), (", ", ": ")])
def test_bodies_are_what_json_dumps_writes(payload, ensure_ascii, separators):
    expected = json.dumps(payload, ensure_ascii=ensure_ascii, separators=separators, allow_nan=False).encode()
    assert json_bytes(payload, ensure_ascii=ensure_ascii, separators=separators) == expected


@pytest.mark.parametrize("payload", [float("nan"), {"x": float("inf")}, {1j: 1}, {"x": object()}])
def test_what_json_dumps_refuses_is_refused_alike(payload):
    with pytest.raises((ValueError, TypeError)) as expected:
        json.dumps(payload, allow_nan=False)
    with pytest.raises(type(expected.value), match=str(expected.value)):
        json_bytes(payload)
