"""Bearer tokens and the per-client rate limit, checked before anything else (Yii2 behaviours order)."""

from __future__ import annotations

import re

from flask import request

from simulator.core.accounts import Account
from simulator.core.errors import Unauthorized
from simulator.core.throttle import Limit
from simulator.providers.base import services

# doc: seed 004 "not more than 9 requests per second from one client"
RATE_LIMIT = Limit(9, 1.0)
# inferred: Yii2 HttpBearerAuth::$pattern; any other header value is an unknown credential
_BEARER = re.compile(r"^Bearer\s+(.*?)$")


def client() -> Account:
    """The account behind the request's token, counted against its rate limit."""
    header = request.headers.get("Authorization")
    if header is None:
        raise Unauthorized("missing")
    match = _BEARER.match(header)
    if match is None:
        raise Unauthorized("malformed")
    token = match.group(1)
    account = services().authenticate("smsclub", token=token)
    services().throttle(f"smsclub:token:{token}", RATE_LIMIT)
    return account
