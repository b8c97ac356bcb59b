"""What every provider declares, and the request context its routes use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, Response, current_app, g, request

from simulator.core.errors import SimError
from simulator.core.services import ProviderHooks, Services

NAMESPACE_HEADER = "X-Sim-Namespace"
SCENARIO_HEADER = "X-Simulator-Scenario"


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

    @property
    def prefix(self) -> str:
        return f"/{self.name}"


def services() -> Services:
    """The engine as seen by the current request (its namespace and scenario override)."""
    if "sim_services" not in g:
        engine = current_app.extensions["simulator"].engine
        namespace = request.headers.get(NAMESPACE_HEADER) or "default"
        g.sim_services = engine.services(namespace, request.headers.get(SCENARIO_HEADER))
    return g.sim_services
