"""The control plane under /_sim/: our own JSON API. Each module adds its routes to one blueprint."""

from simulator.control import (  # noqa: F401  (imported for their routes)
    accounts,
    clock,
    export,
    faults,
    journal,
    messages,
    metrics,
    namespaces,
    provider_openapi,
    scenarios,
    system,
    wait,
)
from simulator.control.blueprint import control

__all__ = ["control"]
