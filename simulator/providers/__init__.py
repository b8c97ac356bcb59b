"""The explicit registry of providers. A new provider is a new folder plus one line here."""

from __future__ import annotations

from simulator.providers import d7, jsonphp, routee, smsclub
from simulator.providers.base import ProviderSpec

REGISTRY: tuple[ProviderSpec, ...] = (smsclub.SPEC, d7.SPEC, jsonphp.SPEC, routee.SPEC)
