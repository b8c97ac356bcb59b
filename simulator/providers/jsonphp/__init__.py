"""The json.php provider (AlphaSMS JSON API): one endpoint, many request types."""

from simulator.providers.base import ProviderSpec

SPEC = ProviderSpec.from_roles(__name__, title="json.php (AlphaSMS)", hosts=("alphasms.ua",), credential_keys=("auth",))
