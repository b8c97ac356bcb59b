"""What every provider declares, and the door its routes use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, Response, g

from simulator.core.doors import ProviderDoor
from simulator.core.engine import ProviderHooks
from simulator.core.errors import SimError

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

    @property
    def prefix(self) -> str:
        return f"/{self.name}"


def door() -> ProviderDoor:
    """The current request's door: bound by the pipeline to its namespace and provider."""
    return g.sim_door
