"""SMS Club (smsclub.mobi): Viber API, Viber 2-way chats and the JSON SMS API."""

from pathlib import Path

from simulator.providers.base import ProviderSpec
from simulator.providers.smsclub import auth, errors
from simulator.providers.smsclub.routes import blueprint

SPEC = ProviderSpec(
    name="smsclub",
    title="SMS Club",
    blueprint=blueprint,
    hosts=("im.smsclub.mobi",),
    credential_keys=("token",),
    render_error=errors.render,
    not_found=errors.not_found,
    method_not_allowed=errors.method_not_allowed,
    internal_error=errors.internal_error,
    accounts_file=Path(__file__).with_name("accounts.yaml"),
    presented=auth.presented,
)
