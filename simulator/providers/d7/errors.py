"""D7 error envelopes ({"detail": ...}). Only render() knows their shapes."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response

from simulator.core.errors import InsufficientBalance, NotFound, ScenarioError, SimError, Throttled, Unauthorized
from simulator.providers.d7 import messages as m
from simulator.providers.d7.responses import plain, reply


@dataclass(frozen=True)
class Problem:
    """One pydantic v1 error item, without its location."""

    msg: str
    type: str
    ctx: dict | None = None

    def item(self, loc: list) -> dict:
        item = {"loc": loc, "msg": self.msg, "type": self.type}
        if self.ctx is not None:
            item["ctx"] = self.ctx
        return item


class D7Error(SimError):
    """An error D7 answers with: a status and the value of "detail"."""

    def __init__(self, status: int, detail: object) -> None:
        super().__init__(status, detail)
        self.status = status
        self.detail = detail

    def __str__(self) -> str:  # written when logged, not when raised: most are answered and forgotten
        return f"{self.status} {self.detail!r}"


def coded(status: int, code: str, message: str) -> D7Error:
    return D7Error(status, {"code": code, "message": message})


def unauthorized() -> D7Error:
    return coded(401, m.AUTH_CODE, m.AUTH_MESSAGE)


def viber_log_not_found() -> D7Error:
    return coded(404, m.VIBER_LOG_NOT_FOUND_CODE, m.VIBER_LOG_NOT_FOUND_MESSAGE)


def message_log_not_found() -> D7Error:
    return coded(404, m.MESSAGE_LOG_NOT_FOUND_CODE, m.MESSAGE_LOG_NOT_FOUND_MESSAGE)


def insufficient_credit() -> D7Error:
    return coded(402, m.INSUFFICIENT_CREDIT_CODE, m.INSUFFICIENT_CREDIT_MESSAGE)


def account_blocked() -> D7Error:
    return coded(403, m.ACCOUNT_BLOCKED_CODE, m.ACCOUNT_BLOCKED_MESSAGE)


def invalid_originator() -> D7Error:
    return coded(400, m.INVALID_ORIGINATOR_CODE, m.INVALID_ORIGINATOR_MESSAGE)


def invalid_recipients() -> D7Error:
    return coded(400, m.INVALID_RECIPIENTS_CODE, m.INVALID_RECIPIENTS_MESSAGE)


def invalid(items: list[dict]) -> D7Error:
    """422 with pydantic v1 items [{loc, msg, type, ctx?}]."""
    return D7Error(422, items)


def body_not_decodable() -> D7Error:
    return D7Error(400, m.BODY_PARSE_ERROR)


# How a scenario-injected send error looks at D7.
_SCENARIO_ERRORS = {
    "no_money": insufficient_credit,
    "account_blocked": account_blocked,
    "invalid_sender": invalid_originator,
    "invalid_text": lambda: coded(400, m.INVALID_CONTENT_CODE, m.INVALID_CONTENT_MESSAGE),
    "no_valid_numbers": invalid_recipients,
    "invalid_image": lambda: coded(400, m.INVALID_IMAGE_CODE, m.INVALID_IMAGE_MESSAGE),
    "throttled": lambda: D7Error(429, m.TOO_MANY_REQUESTS),
    "unavailable": lambda: D7Error(503, m.SERVICE_UNAVAILABLE),
}


def _as_d7(error: SimError) -> D7Error | None:
    if isinstance(error, D7Error):
        return error
    if isinstance(error, Unauthorized):
        return unauthorized()
    if isinstance(error, InsufficientBalance):
        return insufficient_credit()
    if isinstance(error, Throttled):
        return D7Error(429, m.TOO_MANY_REQUESTS)
    if isinstance(error, NotFound):
        return D7Error(404, m.NOT_FOUND)
    if isinstance(error, ScenarioError) and error.kind in _SCENARIO_ERRORS:
        return _SCENARIO_ERRORS[error.kind]()
    return None  # provider_error and anything unforeseen: a server crash


def render(error: SimError) -> Response:
    d7 = _as_d7(error)
    if d7 is None:
        return internal_error()
    headers = {"Retry-After": str(max(1, round(error.retry_after)))} if isinstance(error, Throttled) else None
    return reply({"detail": d7.detail}, d7.status, headers)


def not_found() -> Response:
    return reply({"detail": m.NOT_FOUND}, 404)  # inferred: FastAPI default


def method_not_allowed(allowed: list[str]) -> Response:
    # inferred: Starlette lists the route's own methods; Flask adds OPTIONS, which D7 does not answer.
    methods = ", ".join(method for method in allowed if method != "OPTIONS")
    return reply({"detail": m.METHOD_NOT_ALLOWED}, 405, {"Allow": methods})


def internal_error() -> Response:
    return plain(m.INTERNAL_ERROR, 500)
