"""The control plane under /_sim/: our own JSON API (and later the web inbox)."""

from simulator.control.api import control

__all__ = ["control"]
