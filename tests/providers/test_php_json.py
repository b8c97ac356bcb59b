"""The body is read as PHP's json_decode reads it."""

from __future__ import annotations

import pytest

from simulator.providers import php_json


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b'{"a":NaN}',
        b'{"a":Infinity}',
        b'{"a":-Infinity}',
        b'{"a":"\\ud800"}',
        b"\xef\xbb\xbf{}",
        b'{"a":"\xff"}',
        b"[" * 513 + b"]" * 513,
        b"[" * 100_000,
    ],
    ids=["empty", "truncated", "nan", "inf", "minus-inf", "lone-surrogate", "bom", "bad-utf8", "deep", "huge"],
)
def test_decode_what_php_rejects_raises(raw: bytes) -> None:
    with pytest.raises(ValueError):
        php_json.decode(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [(b' {"a":1,"a":2} ', {"a": 2}), (b'"\\ud83d\\ude00"', "\U0001f600"), (b"[[]]", [[]])],
    ids=["duplicate-key-last-wins", "surrogate-pair", "nested"],
)
def test_decode_what_php_accepts_returns_value(raw: bytes, value: object) -> None:
    assert php_json.decode(raw) == value


def test_decode_nesting_of_512_levels_is_accepted() -> None:
    decoded = php_json.decode(b"[" * 512 + b"]" * 512)
    depth = 0
    while isinstance(decoded, list) and decoded:
        decoded, depth = decoded[0], depth + 1
    assert depth == 511  # 512 lists: the innermost is empty


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"{", php_json.SYNTAX),
        (b'{"a":NaN}', php_json.SYNTAX),
        (b'{"a":"\x01"}', php_json.CTRL_CHAR),
        (b'{"a":"\xff"}', php_json.UTF8),
        (b'{"a":"\\ud800"}', php_json.UTF16),
        (b'{"\\udfff":1}', php_json.UTF16),
        (b"[" * 513 + b"]" * 513, php_json.DEPTH),
        (b"[" * 100_000, php_json.DEPTH),
        (b"\xef\xbb\xbf{}", php_json.SYNTAX),  # PHP does not skip a byte order mark
    ],
    ids=["truncated", "nan", "control-character", "bad-utf8", "lone-surrogate", "surrogate-key", "deep", "huge", "bom"],
)
def test_decode_what_php_rejects_names_php_error(raw: bytes, error: str) -> None:
    with pytest.raises(php_json.DecodeError) as caught:
        php_json.decode(raw)
    assert caught.value.error == error
