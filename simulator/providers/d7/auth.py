"""D7 bearer tokens: `Authorization: Bearer <api_token>` on every call, no token exchange."""

from __future__ import annotations

from flask import request

from simulator.core.doors import AccountDoor
from simulator.core.errors import Unauthorized
from simulator.providers.base import credentials, door
from simulator.providers.d7 import errors


def token(header: str | None) -> str | None:
    """The token in an Authorization header, or None.

    inferred: the scheme is matched case-insensitively. sdk: direct7-go-sdk sends the header twice after
    its first GET, which arrives joined as "Bearer t,Bearer t", so only the first value counts.
    """
    if not header:
        return None
    scheme, _, value = header.split(",", 1)[0].strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def presented() -> dict[str, str]:
    """The token the request presents, unchecked."""
    value = token(request.headers.get("Authorization"))
    return {"api_token": value} if value else {}


def account() -> AccountDoor:
    """The door of the account of the request's token; the documented 401 otherwise."""
    try:
        return door().authenticate(api_token=credentials().get("api_token"))
    except Unauthorized:
        raise errors.unauthorized() from None
