"""Routee OAuth: application credentials (Basic) buy a bearer token that expires on the simulated clock.

doc: https://docs.routee.net/docs/get-authenticated and reference/authentication. Tokens are records in
the namespace's store: {account, scopes, expires_at}.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from flask import request

from simulator.core.accounts import Account
from simulator.core.doors import AccountDoor
from simulator.core.errors import Unauthorized
from simulator.providers.base import door
from simulator.providers.routee import errors
from simulator.providers.routee import messages as m

ALL_SCOPES = ("sms", "viber", "all")  # doc: viber transactional API reference; token needs the Viber scope
DEFAULT_PERMISSIONS = ("MT_ROLE_SMS", "MT_ROLE_VIBER", "MT_ROLE_REPORT")  # inferred: names undocumented


@dataclass(frozen=True)
class Token:
    value: str
    account: Account
    scopes: tuple[str, ...]
    expires_in: int


def _basic_credentials() -> tuple[str | None, str | None]:
    scheme, _, encoded = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    application_id, sep, secret = decoded.partition(":")
    return (application_id, secret) if sep else (None, None)


def presented() -> dict[str, str]:
    """The application credentials or the bearer token the request presents, unchecked."""
    application_id, secret = _basic_credentials()
    if application_id is not None:
        return {"application_id": application_id, "application_secret": secret}
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    return {"token": value.strip()} if scheme.lower() == "bearer" and value.strip() else {}


def _allowed_scopes(account: Account) -> tuple[str, ...]:
    return tuple(account.settings.get("scopes", ALL_SCOPES))


def issue(grant_type: str | None, scope: str | None) -> Token:
    """A new token for the request's Basic credentials; Spring's error page or OAuth2 errors otherwise."""
    application_id, secret = _basic_credentials()
    try:
        account = door().authenticate(application_id=application_id, application_secret=secret).account
    except Unauthorized:
        raise errors.bad_credentials() from None
    if not grant_type:
        raise errors.OAuthError(400, m.MISSING_GRANT)
    if grant_type != m.GRANT_TYPE:
        raise errors.OAuthError(400, m.UNSUPPORTED_GRANT, grant=grant_type)
    allowed = _allowed_scopes(account)
    requested = tuple(scope.split()) if scope and scope.strip() else allowed
    refused = [item for item in requested if item not in allowed]
    if refused:
        raise errors.OAuthError(400, m.INVALID_SCOPE, scope=refused[0])
    expires_in = int(account.settings.get("token_lifetime", m.EXPIRES_IN))
    token = Token(door().ids.uuid4(), account, requested, expires_in)
    door().put_record(
        "token",
        token.value,
        {"account": account.name, "scopes": list(requested), "expires_at": door().now() + expires_in},
    )
    door().issued(token.value, account)
    return token


def permissions(account: Account) -> list[str]:
    return list(account.settings.get("permissions", DEFAULT_PERMISSIONS))


def account(scope: str | None = None) -> AccountDoor:
    """The door of the account of the request's bearer token, which must be known, unexpired and hold `scope`."""
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise errors.unauthorized(m.FULL_AUTHENTICATION)
    record = door().get_record("token", value)
    found = door().account_door(record["account"]) if record else None
    if found is None:
        raise errors.unauthorized(m.INVALID_TOKEN, token=value)
    if door().now() >= record["expires_at"]:
        raise errors.unauthorized(m.EXPIRED_TOKEN, token=value)
    if scope and scope not in record["scopes"] and "all" not in record["scopes"]:
        raise errors.OAuthError(403, m.ACCESS_DENIED)
    return found
