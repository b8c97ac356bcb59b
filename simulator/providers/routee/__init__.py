"""Routee (AMD Telecom): OAuth tokens, Viber send, tracking, campaigns and callbacks."""

from pathlib import Path

from simulator.core.engine import ProviderHooks
from simulator.providers.base import ProviderSpec
from simulator.providers.routee import auth, callbacks, errors
from simulator.providers.routee.routes import blueprint

SPEC = ProviderSpec(
    name="routee",
    title="Routee",
    blueprint=blueprint,
    hosts=("auth.routee.net", "connect.routee.net"),
    credential_keys=("application_id", "application_secret"),
    render_error=errors.render,
    not_found=errors.not_found,
    method_not_allowed=errors.method_not_allowed,
    internal_error=errors.internal_error,
    accounts_file=Path(__file__).with_name("accounts.yaml"),
    hooks=ProviderHooks(callbacks=callbacks.build, retry=callbacks.RETRY),
    presented=auth.presented,
)
