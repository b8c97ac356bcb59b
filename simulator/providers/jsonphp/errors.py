"""json.php errors. Failures are either per item (inside a top-level success) or of the whole
request (top-level `success:false`, no `data`); render() alone knows the whole-request shapes."""

from __future__ import annotations

from flask import Response

from simulator.core.errors import InsufficientBalance, ScenarioError, SimError, Unauthorized
from simulator.providers.jsonphp import messages
from simulator.providers.jsonphp.responses import refused
from simulator.providers.wire import bytes_response


class ItemFailed(Exception):
    """One `data[]` item fails; the others are still answered."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class RequestRefused(SimError):
    """The whole request fails with `{"success":false,"error":...}`."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


# Scenario error kinds that fail one item, and the text of each.
ITEM_KINDS: dict[str, str] = {
    "no_money": messages.INSUFFICIENT_FUNDS,
    "invalid_sender": messages.ALPHA_NAME,
    "invalid_text": messages.INVALID_TEXT,
    "no_valid_numbers": messages.INVALID_PHONE,
    "invalid_image": messages.INVALID_IMAGE,
}
# The others fail the whole request: a blocked account is refused like a bad key (spec §2), a
# throttled one gets a top-level error, and a crashed or unreachable backend answers from PHP/nginx.
REQUEST_KINDS: dict[str, str] = {
    "account_blocked": messages.ACCESS_DENIED,
    "throttled": messages.TOO_MANY_REQUESTS,
}


def item_failure(error: SimError) -> ItemFailed | None:
    """The item-level failure for a domain error raised while sending one item, if it is one."""
    if isinstance(error, InsufficientBalance):
        return ItemFailed(messages.INSUFFICIENT_FUNDS)
    if isinstance(error, ScenarioError) and error.kind in ITEM_KINDS:
        return ItemFailed(ITEM_KINDS[error.kind])
    return None


def not_found() -> Response:
    # inferred: only /api/json.php is the script; anything else is nginx's own 404 page
    return bytes_response(messages.NOT_FOUND_PAGE, 404, content_type=messages.HTML)


def method_not_allowed(allowed: list[str]) -> Response:
    return refused(messages.INVALID_REQUEST)  # inferred: the script answers any method itself


def internal_error() -> Response:
    # inferred: a PHP fatal error with display_errors off is an empty 500
    return bytes_response(b"", 500, content_type="text/html; charset=UTF-8")


def unavailable() -> Response:
    return bytes_response(messages.UNAVAILABLE_PAGE, 503, content_type=messages.HTML)


def render(error: SimError) -> Response:
    if isinstance(error, RequestRefused):
        return refused(error.error)
    if isinstance(error, Unauthorized):
        return refused(messages.ACCESS_DENIED)
    if isinstance(error, ScenarioError) and error.kind in REQUEST_KINDS:
        return refused(REQUEST_KINDS[error.kind])
    if isinstance(error, ScenarioError) and error.kind == "unavailable":
        return unavailable()
    return internal_error()
