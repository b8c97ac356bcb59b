"""D7 Networks (Direct7): Viber and SMS send, reports, balance, delivery callbacks."""

from simulator.providers.base import ProviderSpec

SPEC = ProviderSpec.from_roles(
    __name__, title="D7 Networks", hosts=("api.d7networks.com",), credential_keys=("api_token",)
)
