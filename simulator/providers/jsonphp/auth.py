"""The API key travels in the body's `auth` field (doc: seeds 000/001), never in a header."""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.doors import AccountDoor
from simulator.core.errors import Unauthorized
from simulator.providers import php_json
from simulator.providers.base import door


def presented() -> dict[str, str]:
    """The `auth` key the request's body presents, unchecked."""
    try:
        body = php_json.decode(request.get_data(cache=True))
    except (ValueError, RequestEntityTooLarge):
        return {}
    key = body.get("auth") if isinstance(body, dict) else None
    return {"auth": key} if isinstance(key, str) else {}


def authenticate(body: dict) -> AccountDoor:
    """The door of the account owning `auth`; Unauthorized (rendered "Access denied") for a missing,
    non-string, unknown or blocked key (spec §2: a blocked account is refused the same way, inferred)."""
    key = body.get("auth")
    if not isinstance(key, str):
        raise Unauthorized("missing" if key is None else "malformed")
    account_door = door().authenticate(auth=key)
    if account_door.account.blocked:
        raise Unauthorized("forbidden", key)
    return account_door
