"""What every provider declares, and the door its routes use."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, Response, g

from simulator.core.doors import ProviderDoor, ProviderHooks
from simulator.core.errors import SimError
from simulator.providers.openapi import Api, document

NAMESPACE_HEADER = "X-Sim-Namespace"
SCENARIO_HEADER = "X-Simulator-Scenario"


def _nothing_presented() -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class ProviderSpec:
    name: str  # also the URL prefix: /<name>
    title: str
    blueprint: Blueprint
    hosts: tuple[str, ...]  # the real hosts; a request whose Host is one of them is routed here
    credential_keys: tuple[str, ...]  # the account credential names, as the provider calls them
    render_error: Callable[[SimError], Response]
    not_found: Callable[[], Response]
    method_not_allowed: Callable[[list[str]], Response]
    internal_error: Callable[[], Response]
    accounts_file: Path
    hooks: ProviderHooks = field(default_factory=ProviderHooks)
    # The credentials the current request presents, unchecked (for namespace bindings).
    presented: Callable[[], dict[str, str]] = _nothing_presented
    api: Api | None = None  # its operations, for the OpenAPI document (providers/openapi.py)

    @property
    def prefix(self) -> str:
        return f"/{self.name}"

    def openapi(self, version: str) -> dict | None:
        """The provider's OpenAPI document (providers/openapi.py); None when it declares no operations."""
        return document(self.name, self.title, version, self.api) if self.api is not None else None

    @classmethod
    def from_roles(
        cls, package: str, title: str, hosts: tuple[str, ...], credential_keys: tuple[str, ...]
    ) -> ProviderSpec:
        """The spec of a provider package laid out by roles (DESIGN §2): `routes.blueprint`, the
        renderers in `errors`, `auth.presented`, `openapi.API`, `callbacks.build`/`RETRY` if it calls back,
        and `accounts.yaml` beside them. The package's last name is the provider's name."""
        errors = importlib.import_module(f"{package}.errors")
        try:
            callbacks = importlib.import_module(f"{package}.callbacks")
        except ModuleNotFoundError:
            hooks = ProviderHooks()
        else:
            hooks = ProviderHooks(callbacks=callbacks.build, retry=callbacks.RETRY)
        root = Path(importlib.import_module(package).__file__).parent
        return cls(
            name=package.rpartition(".")[2],
            title=title,
            blueprint=importlib.import_module(f"{package}.routes").blueprint,
            hosts=hosts,
            credential_keys=credential_keys,
            render_error=errors.render,
            not_found=errors.not_found,
            method_not_allowed=errors.method_not_allowed,
            internal_error=errors.internal_error,
            accounts_file=root / "accounts.yaml",
            hooks=hooks,
            presented=importlib.import_module(f"{package}.auth").presented,
            api=importlib.import_module(f"{package}.openapi").API,
        )


def door() -> ProviderDoor:
    """The current request's door: bound by the pipeline to its namespace and provider."""
    return g.sim_door


def credentials() -> dict[str, str]:
    """The credentials the current request presents (its provider's `auth.presented`), worked out once: the
    pipeline binds a namespace by them, the route authenticates with them, the journal masks their echoes."""
    kept = g._get_current_object()  # one proxy lookup
    found = kept.get("sim_presented")
    if found is None:
        found = kept.sim_presented = kept.sim_provider.presented()
    return found
