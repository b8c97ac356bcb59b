"""GET/PUT /_sim/accounts: credentials, balances and senders, in the accounts-file format."""

from __future__ import annotations

from flask import Response, current_app, jsonify

from simulator.control.blueprint import control, json_body, operator, state
from simulator.control.errors import ControlError
from simulator.core.accounts import Account, parse
from simulator.core.doors import OperatorDoor
from simulator.core.errors import ConfigError

_ORIGINAL = "sim_control_original_accounts"


def resolve(key: str) -> Account:
    """An account from "<provider>:<account name>" or "<provider>:<any of its credential values>"."""
    provider, sep, rest = key.partition(":")
    accounts = operator().accounts(provider)
    found = next((a for a in accounts if sep and a.name == rest), None)
    found = found or next((a for a in accounts if sep and rest in a.credentials.values()), None)
    if found is None:
        raise ControlError(
            400, "unknown_credential", f"{key!r} names no account; use <provider>:<account name or credential>"
        )
    return found


def account_json(account: Account, door: OperatorDoor) -> dict:
    return {
        "name": account.name,
        "key": account.key,
        "credentials": dict(account.credentials),
        "balance": door.balance(account),
        "initial_balance": account.balance,
        "currency": account.currency,
        "senders": list(account.senders) if account.senders is not None else None,
        "blocked": account.blocked,
        "demo": account.demo,
        "settings": account.settings,
        "namespace": door.namespace_bindings.get(account.key),
        "scenario": door.scenario_bindings.get(account.key),
    }


def restore_original() -> None:
    """Undo PUT /_sim/accounts (a full reset calls this)."""
    original = current_app.extensions.pop(_ORIGINAL, None)
    for provider, accounts in (original or {}).items():
        operator().replace_accounts(provider, accounts)


@control.get("/accounts")
def get_accounts() -> Response:
    door = operator()
    accounts = {
        spec.name: [account_json(account, door) for account in door.accounts(spec.name)] for spec in state().providers
    }
    return jsonify({"namespace": door.namespace, "accounts": accounts})


@control.put("/accounts")
def put_accounts() -> Response:
    """Replace the accounts of each provider in the body; a given balance is also set in this namespace."""
    body = json_body()
    known = {spec.name for spec in state().providers}
    unknown = sorted(set(body) - known)
    if unknown or not body:
        raise ControlError(
            400, "invalid_request", f"map provider names ({', '.join(sorted(known))}) to lists of accounts"
        )
    try:
        parsed = parse(body, "body")
    except ConfigError as exc:
        raise ControlError(400, "invalid_request", f"{exc.path}: {exc.message}") from exc
    original = current_app.extensions.setdefault(_ORIGINAL, {})
    door = operator()
    for provider, accounts in parsed.items():
        original.setdefault(provider, door.accounts(provider))
        door.replace_accounts(provider, accounts)
        for raw, account in zip(body[provider], accounts, strict=True):
            if "balance" in raw:
                door.set_balance(account, account.balance)
    return get_accounts()
