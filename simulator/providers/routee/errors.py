"""Routee error envelopes. Only render() knows their shapes: {"code","developerMessage"[,"properties"]}
for API errors, {"error","error_description"} for OAuth, Spring Boot's error page for what Spring
refuses before any controller runs."""

from __future__ import annotations

from flask import Response, request

from simulator.core.errors import InsufficientBalance, ScenarioError, SimError
from simulator.providers.base import door
from simulator.providers.routee import messages as m
from simulator.providers.routee.responses import reply


class RouteeError(SimError):
    """An API error: HTTP status, 9-digit code, developer message, optional field -> message map."""

    def __init__(self, status: int, code_message: tuple[str, str], properties: dict | None = None) -> None:
        super().__init__(code_message[1])
        self.status = status
        self.code, self.message = code_message
        self.properties = properties


class OAuthError(SimError):
    """A Spring Security OAuth2 error: {"error","error_description"}."""

    def __init__(self, status: int, error_description: tuple[str, str], headers: dict | None = None, **fill) -> None:
        super().__init__(error_description[1])
        self.status = status
        self.error = error_description[0]
        self.description = error_description[1].format(**fill)
        self.headers = headers


class ErrorPage(SimError):
    """Spring Boot's error page, {"timestamp","status","error","message","path"}."""

    def __init__(self, status: int, error: str, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers


def bad_credentials() -> ErrorPage:
    """Unknown or missing client credentials on the token endpoint (sdk: see messages.BAD_CREDENTIALS)."""
    return ErrorPage(401, m.UNAUTHORIZED, m.BAD_CREDENTIALS, {"WWW-Authenticate": m.BASIC_CHALLENGE})


def invalid(properties: dict[str, str]) -> RouteeError:
    return RouteeError(400, m.VALIDATION, properties)


def unauthorized(error: tuple[str, str], **fill) -> OAuthError:
    # inferred: Spring's OAuth2AuthenticationEntryPoint adds a Bearer challenge
    challenge = f'Bearer realm="oauth", error="{error[0]}", error_description="{error[1].format(**fill)}"'
    return OAuthError(401, error, {"WWW-Authenticate": challenge}, **fill)


_SCENARIO_ERRORS = {
    "no_money": (400, m.INSUFFICIENT_BALANCE),
    "invalid_sender": (404, m.SENDER_NOT_FOUND),
    "invalid_image": (400, m.BAD_FILE),
    "throttled": (429, m.THROTTLED),
    "provider_error": (500, m.INTERNAL),
    "unavailable": (503, m.UNAVAILABLE),
}
_SCENARIO_PROPERTIES = {
    "invalid_text": {"body.text": m.SIZE.format(low=0, high=1000)},
    "no_valid_numbers": {"to": m.NOT_E164},
}
# inferred: an SMS has a sender id and a text where a Viber message has sender info and media
_SMS_SCENARIO_PROPERTIES = {
    "invalid_sender": {"from": m.INVALID_SENDER_ID},
    "invalid_text": {"body": m.SIZE.format(low=0, high=1600)},
    "invalid_image": {"body": m.SIZE.format(low=0, high=1600)},
    "no_valid_numbers": {"to": m.NOT_E164},
}


def _scenario(error: ScenarioError) -> Response:
    if error.kind == "account_blocked":
        return _oauth(OAuthError(403, m.ACCESS_DENIED))
    properties = _SMS_SCENARIO_PROPERTIES if _real_path().startswith("/sms") else _SCENARIO_PROPERTIES
    if error.kind in properties:
        return _api(invalid(properties[error.kind]))
    status, code_message = _SCENARIO_ERRORS.get(error.kind, (500, m.INTERNAL))
    return _api(RouteeError(status, code_message))


def _api(error: RouteeError) -> Response:
    body = {"code": error.code, "developerMessage": error.message}
    if error.properties is not None:
        body["properties"] = error.properties
    return reply(body, error.status)


def _oauth(error: OAuthError) -> Response:
    return reply({"error": error.error, "error_description": error.description}, error.status, error.headers)


def _real_path() -> str:
    """The request path as the real host sees it."""
    return request.path.removeprefix("/routee")


def _page(error: ErrorPage) -> Response:
    body = {
        "timestamp": int(door().now() * 1000),  # epoch milliseconds, on the simulated clock
        "status": error.status,
        "error": error.error,
        "message": error.message,
        "path": _real_path(),
    }
    return reply(body, error.status, error.headers)


def render(error: SimError) -> Response:
    if isinstance(error, RouteeError):
        return _api(error)
    if isinstance(error, OAuthError):
        return _oauth(error)
    if isinstance(error, ErrorPage):
        return _page(error)
    if isinstance(error, InsufficientBalance):
        return _api(RouteeError(400, m.INSUFFICIENT_BALANCE))
    if isinstance(error, ScenarioError):
        return _scenario(error)
    return internal_error()


def _spring(status: int, error: str) -> Response:
    # inferred: Spring Boot's default error body for routing errors
    return reply({"status": status, "error": error, "path": _real_path()}, status)


def not_found() -> Response:
    return _spring(404, m.NOT_FOUND)


def method_not_allowed(allowed: list[str]) -> Response:
    response = _spring(405, m.METHOD_NOT_ALLOWED)
    response.headers["Allow"] = ", ".join(method for method in allowed if method != "OPTIONS")
    return response


def internal_error() -> Response:
    return _api(RouteeError(500, m.INTERNAL))
