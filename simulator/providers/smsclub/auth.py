"""Bearer tokens and the per-client rate limit, checked before anything else (Yii2 behaviours order)."""

from __future__ import annotations

import re

from flask import request

from simulator.core.doors import AccountDoor
from simulator.core.errors import Unauthorized
from simulator.core.throttle import Limit
from simulator.providers.base import credentials, door

# doc: seed 004 "not more than 9 requests per second from one client"
RATE_LIMIT = Limit(9, 1.0)
# inferred: Yii2 HttpBearerAuth::$pattern; any other header value is an unknown credential
_BEARER = re.compile(r"^Bearer\s+(.*?)$")


def presented() -> dict[str, str]:
    """The token the request presents, unchecked."""
    match = _BEARER.match(request.headers.get("Authorization") or "")
    return {"token": match.group(1)} if match else {}


def client() -> AccountDoor:
    """The door of the account behind the request's token, counted against its rate limit."""
    if request.headers.get("Authorization") is None:
        raise Unauthorized("missing")
    token = credentials().get("token")
    if token is None:  # a header that is no bearer token
        raise Unauthorized("malformed")
    account_door = door().authenticate(token=token)
    account_door.throttle(f"token:{token}", RATE_LIMIT)
    return account_door
