"""SMS Club (smsclub.mobi): Viber API, Viber 2-way chats and the JSON SMS API."""

from simulator.providers.base import ProviderSpec

SPEC = ProviderSpec.from_roles(__name__, title="SMS Club", hosts=("im.smsclub.mobi",), credential_keys=("token",))
