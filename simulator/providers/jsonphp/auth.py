"""The API key travels in the body's `auth` field (doc: seeds 000/001), never in a header."""

from __future__ import annotations

from simulator.core.accounts import Account
from simulator.core.errors import Unauthorized
from simulator.providers.base import services

PROVIDER = "jsonphp"


def authenticate(body: dict) -> Account:
    """The account owning `auth`; Unauthorized (rendered "Access denied") for a missing, non-string,
    unknown or blocked key (spec §2: a blocked account is refused the same way, inferred)."""
    key = body.get("auth")
    if not isinstance(key, str):
        raise Unauthorized("missing" if key is None else "malformed")
    account = services().authenticate(PROVIDER, auth=key)
    if account.blocked:
        raise Unauthorized("forbidden", key)
    return account
