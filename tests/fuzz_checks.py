"""Schemathesis checks the fuzz tests share: no exception text, and errors in the expected envelope."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

EXCEPTION_TEXT = re.compile(
    r"Traceback|File \"/|\b(?:Key|Type|Value|Attribute|Recursion|Index|Unicode\w*|Runtime|Name|Overflow|OS)Error\b"
)


def body_json(response) -> object:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def no_exception_text(ctx, response, case) -> None:
    text = response.content.decode("utf-8", "replace")
    assert not EXCEPTION_TEXT.search(text), f"exception text in the answer: {text[:300]!r}"


def in_envelope(is_envelope: Callable[[object], bool], always: bool = False) -> Callable:
    """A check: every error answer (every answer, with `always`) is in the envelope `is_envelope` recognises."""

    def check(ctx, response, case) -> None:
        if always or response.status_code >= 400:
            assert is_envelope(body_json(response)), f"{response.status_code} {response.content[:300]!r}"

    return check
