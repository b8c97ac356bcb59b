"""Accounts: credentials, balances and allowed senders per provider, loaded from YAML.

Each provider ships demo accounts in its own folder; `--accounts FILE` replaces them. A file maps
provider name -> list of accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError, fields
from marshmallow import validate as v

from simulator.core.errors import ConfigError, Unauthorized


class AccountSchema(Schema):
    name = fields.String(required=True, validate=v.Length(min=1))
    credentials = fields.Dict(keys=fields.String(), values=fields.String(), required=True, validate=v.Length(min=1))
    balance = fields.Float(load_default=1000.0)
    currency = fields.String(load_default="USD")
    senders = fields.List(fields.String(), load_default=None)  # None: any sender is allowed
    blocked = fields.Boolean(load_default=False)
    demo = fields.Boolean(load_default=False)
    settings = fields.Dict(load_default=dict)  # provider-specific knobs


@dataclass(frozen=True)
class Account:
    provider: str
    name: str
    credentials: dict[str, str]
    balance: float = 1000.0
    currency: str = "USD"
    senders: tuple[str, ...] | None = None
    blocked: bool = False
    demo: bool = False
    settings: dict = field(default_factory=dict)

    def allows_sender(self, sender: str | None) -> bool:
        return self.senders is None or sender in self.senders

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.name}"


def parse(document: object, source: str) -> dict[str, list[Account]]:
    if not isinstance(document, dict):
        raise ConfigError(source, "", "must map provider names to lists of accounts")
    result: dict[str, list[Account]] = {}
    for provider, items in document.items():
        if not isinstance(items, list):
            raise ConfigError(source, str(provider), "must be a list of accounts")
        accounts = []
        for index, item in enumerate(items):
            try:
                data = AccountSchema().load(item if isinstance(item, dict) else {"_": item})
            except ValidationError as exc:
                key = sorted(exc.messages, key=str)[0]
                detail = exc.messages[key]
                message = detail[0] if isinstance(detail, list) else str(detail)
                raise ConfigError(source, f"{provider}[{index}].{key}", str(message)) from exc
            senders = data.pop("senders")
            senders = tuple(senders) if senders is not None else None
            accounts.append(Account(provider=str(provider), senders=senders, **data))
        result[str(provider)] = accounts
    return result


def load_file(path: str | Path) -> dict[str, list[Account]]:
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML: {exc}") from exc
    return parse(document, str(path))


class Accounts:
    """The configured accounts of every provider; looked up by credentials."""

    def __init__(self, by_provider: dict[str, list[Account]]) -> None:
        self._by_provider = {provider: list(items) for provider, items in by_provider.items()}

    def of(self, provider: str) -> list[Account]:
        return list(self._by_provider.get(provider, []))

    def replace(self, provider: str, accounts: list[Account]) -> None:
        self._by_provider[provider] = list(accounts)

    def find(self, provider: str, **credentials: str | None) -> Account:
        """The account whose credentials equal the given ones; Unauthorized otherwise."""
        if any(value in (None, "") for value in credentials.values()):
            raise Unauthorized("missing")
        for account in self._by_provider.get(provider, []):
            if all(account.credentials.get(name) == value for name, value in credentials.items()):
                return account
        raise Unauthorized("unknown_credential", next(iter(credentials.values()), None))

    def matching(self, provider: str, **credentials: str | None) -> Account | None:
        """The account these credentials name, or None (no error: the caller only asks)."""
        try:
            return self.find(provider, **credentials)
        except Unauthorized:
            return None

    def by_name(self, provider: str, name: str) -> Account | None:
        return next((a for a in self._by_provider.get(provider, []) if a.name == name), None)

    def demo(self, provider: str) -> Account | None:
        accounts = self._by_provider.get(provider, [])
        return next((a for a in accounts if a.demo), accounts[0] if accounts else None)

    def providers(self) -> list[str]:
        return list(self._by_provider)
