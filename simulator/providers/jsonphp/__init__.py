"""The json.php provider (AlphaSMS JSON API): one endpoint, many request types."""

from pathlib import Path

from simulator.core.engine import ProviderHooks
from simulator.providers.base import ProviderSpec
from simulator.providers.jsonphp import auth, callbacks, errors
from simulator.providers.jsonphp.routes import blueprint

SPEC = ProviderSpec(
    name="jsonphp",
    title="json.php (AlphaSMS)",
    blueprint=blueprint,
    hosts=("alphasms.ua",),
    credential_keys=("auth",),
    render_error=errors.render,
    not_found=errors.not_found,
    method_not_allowed=errors.method_not_allowed,
    internal_error=errors.internal_error,
    accounts_file=Path(__file__).with_name("accounts.yaml"),
    hooks=ProviderHooks(callbacks=callbacks.build, retry=callbacks.RETRY),
    presented=auth.presented,
)
