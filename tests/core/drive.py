"""How core tests drive one namespace of an engine: as a provider route and as the control plane."""

from __future__ import annotations

from simulator.core.doors import AccountDoor, OperatorDoor
from simulator.core.engine import Engine


class Drive:
    """A provider's account door (submit, throttle, records, balance) beside the operator door
    (clock, find, force, reply, journal) of one namespace; attributes come from the account door
    first, then the operator door."""

    def __init__(self, engine: Engine, namespace: str = "default", provider: str = "fake", account: str = "demo"):
        self.engine = engine
        self.operator: OperatorDoor = engine.operator_door(namespace)
        self._names = (namespace, provider, account)

    @property
    def door(self) -> AccountDoor:
        """A fresh account door each time, as every request gets its own (a door reads the clock once)."""
        namespace, provider, account = self._names
        return self.engine.provider_door(namespace, provider).account_door(account)

    def __getattr__(self, name: str):
        for target in (self.door, self.operator):
            if hasattr(target, name):
                return getattr(target, name)
        raise AttributeError(name)

    def of(self, namespace: str) -> Drive:
        return Drive(self.engine, namespace, *self._names[1:])

    @property
    def space(self):
        """The namespace itself (scheduler, bindings): core tests look inside."""
        return self.engine.namespace(self.operator.namespace)

    @property
    def clock(self):
        return self.operator.clock
