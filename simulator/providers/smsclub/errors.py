"""SMS Club errors. Each class carries data; only render() knows the three envelopes.

- Viber API: {"errorRequest":{"errors":{<key>:[<message>]}}} with 400 or 460-468 [seed 004].
- SMS JSON API: {"error_request":{"info":{<key>:<message>}}} (inferred mirror of success_request).
- Framework errors (auth, rate limit, routing, bad JSON): Yii2 HttpException bodies (inferred).
"""

from __future__ import annotations

import math

from flask import Response

from simulator.core.errors import InsufficientBalance, ScenarioError, SimError, Throttled, Unauthorized
from simulator.providers.smsclub import messages as msg
from simulator.providers.smsclub.responses import reply


class SmsClubError(SimError):
    """An answer in one of SMS Club's own error shapes."""


class ViberError(SmsClubError):
    def __init__(self, status: int, errors: dict[str, list[str]]) -> None:
        super().__init__(f"{status} {errors}")
        self.status = status
        self.errors = errors

    @classmethod
    def one(cls, status: int, key: str, message: str) -> ViberError:
        return cls(status, {key: [message]})


class SmsApiError(SmsClubError):
    def __init__(self, info: dict[str, str], status: int = 400) -> None:
        super().__init__(f"{status} {info}")
        self.status = status
        self.info = info


class HttpError(SmsClubError):
    """A Yii2 HttpException: {"name","message","code":0,"status"}."""

    def __init__(self, status: int, name: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.name = name
        self.message = message
        self.headers = headers


# The business errors of /vibers/send: (HTTP status, key, message) [seed 004 HTTP table + error examples].
ACCOUNT_BLOCKED = (460, msg.KEY_ACCOUNT, msg.ACCOUNT_UNAVAILABLE)
BAD_SENDER = (461, msg.KEY_SENDER, msg.SENDER_INCORRECT)
BAD_TEXT = (462, msg.KEY_TEXT, msg.TEXT_INCORRECT)
NO_VALID_PHONES = (463, msg.KEY_PHONES_NONE_VALID, msg.NO_VALID_NUMBERS)
NO_MONEY = (464, msg.KEY_NO_MONEY, msg.NO_MONEY)
SYSTEM_ERROR = (465, msg.KEY_SYSTEM, msg.SYSTEM_ERROR)
BAD_SENDER_SMS = (466, msg.KEY_SENDER_SMS, msg.SENDER_SMS_INCORRECT)
BAD_TEXT_SMS = (467, msg.KEY_MESSAGE_SMS, msg.TEXT_INCORRECT)
NO_MONEY_SMS = (468, msg.KEY_NO_MONEY, msg.NO_MONEY)  # inferred: 468 is "not enough money for VIBER + SMS"
IMAGE_FAILED = (400, msg.KEY_IMAGE, msg.IMAGE_FAILED)  # inferred: no dedicated HTTP status


def viber(entry: tuple[int, str, str]) -> ViberError:
    return ViberError.one(*entry)


def sms_api(entry: tuple[int, str, str]) -> SmsApiError:
    """The same business error in the SMS API's envelope (always HTTP 400: inferred)."""
    _, key, message = entry
    return SmsApiError({key: message})


def http(status: int, name_and_message: tuple[str, str], headers: dict[str, str] | None = None) -> HttpError:
    return HttpError(status, *name_and_message, headers)


def unauthorized() -> HttpError:
    return http(401, msg.UNAUTHORIZED, {"WWW-Authenticate": msg.BEARER_CHALLENGE})


def too_many_requests(limit: int, retry_after: float) -> HttpError:
    # inferred: Yii2 RateLimiter headers
    headers = {
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": "0",
        "X-Rate-Limit-Reset": str(max(1, math.ceil(retry_after))),
    }
    return http(429, msg.TOO_MANY_REQUESTS, headers)


def invalid_json(reason: str) -> HttpError:
    return HttpError(400, msg.BAD_REQUEST, msg.INVALID_JSON.format(reason=reason))


# Scenario-injected send errors (simulator.core.scenarios.ERROR_KINDS) as SMS Club answers them.
_SCENARIO_ERRORS = {
    "no_money": NO_MONEY,
    "account_blocked": ACCOUNT_BLOCKED,
    "invalid_sender": BAD_SENDER,
    "invalid_text": BAD_TEXT,
    "no_valid_numbers": NO_VALID_PHONES,
    "invalid_image": IMAGE_FAILED,
    "provider_error": SYSTEM_ERROR,
}


def for_scenario(kind: str, *, sms_api_envelope: bool = False) -> SmsClubError:
    if kind == "throttled":
        return too_many_requests(9, 1.0)
    if kind == "unavailable":
        return http(503, msg.UNAVAILABLE)
    entry = _SCENARIO_ERRORS.get(kind, SYSTEM_ERROR)
    return sms_api(entry) if sms_api_envelope else viber(entry)


def not_found() -> Response:
    return render(http(404, msg.NOT_FOUND))


def method_not_allowed(allowed: list[str]) -> Response:
    methods = ", ".join(method for method in allowed if method not in ("HEAD", "OPTIONS"))
    name, template = msg.METHOD_NOT_ALLOWED
    return render(HttpError(405, name, template.format(methods=methods), {"Allow": methods}))


def internal_error() -> Response:
    return render(http(500, msg.INTERNAL_ERROR))


def _translate(error: SimError) -> SmsClubError:
    """Domain errors raised by core, in SMS Club's words (the Viber envelope unless a route chose otherwise)."""
    if isinstance(error, SmsClubError):
        return error
    if isinstance(error, Unauthorized):
        return unauthorized()
    if isinstance(error, Throttled):
        return too_many_requests(error.limit, error.retry_after)
    if isinstance(error, InsufficientBalance):
        return viber(NO_MONEY)
    if isinstance(error, ScenarioError):
        return for_scenario(error.kind)
    return http(500, msg.INTERNAL_ERROR)


def render(error: SimError) -> Response:
    error = _translate(error)
    if isinstance(error, ViberError):
        return reply({"errorRequest": {"errors": error.errors}}, error.status)
    if isinstance(error, SmsApiError):
        return reply({"error_request": {"info": error.info}}, error.status)
    body = {"name": error.name, "message": error.message, "code": 0, "status": error.status}
    return reply(body, error.status, error.headers)
