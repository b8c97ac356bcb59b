"""D7 Networks (Direct7): Viber and SMS send, reports, balance, delivery callbacks."""

from pathlib import Path

from simulator.core.engine import ProviderHooks
from simulator.providers.base import ProviderSpec
from simulator.providers.d7 import auth, callbacks, errors
from simulator.providers.d7.routes import blueprint

SPEC = ProviderSpec(
    name="d7",
    title="D7 Networks",
    blueprint=blueprint,
    hosts=("api.d7networks.com",),
    credential_keys=("api_token",),
    render_error=errors.render,
    not_found=errors.not_found,
    method_not_allowed=errors.method_not_allowed,
    internal_error=errors.internal_error,
    accounts_file=Path(__file__).with_name("accounts.yaml"),
    hooks=ProviderHooks(callbacks=callbacks.build, retry=callbacks.RETRY),
    presented=auth.presented,
)
