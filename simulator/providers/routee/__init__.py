"""Routee (AMD Telecom): OAuth tokens, Viber send, tracking, campaigns and callbacks."""

from simulator.providers.base import ProviderSpec

SPEC = ProviderSpec.from_roles(
    __name__,
    title="Routee",
    hosts=("auth.routee.net", "connect.routee.net"),
    credential_keys=("application_id", "application_secret"),
)
