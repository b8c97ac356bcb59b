"""Reaching a provider at its real paths: by Host header or on a dedicated port (DESIGN §4).

The middleware prepends the provider's prefix to the path, so the three ways in are served by
the same routes and produce identical bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from simulator.providers.base import ProviderSpec

CONTROL_PREFIX = "/_sim"
# `/_ns/<name>/<rest>` serves <rest> in namespace <name>: isolation for clients that can change
# their base URL but cannot add an X-Sim-Namespace header (most SDKs).
NAMESPACE_PREFIX = "/_ns/"


def provider_for_path(providers: Iterable[ProviderSpec], path: str) -> ProviderSpec | None:
    for spec in providers:
        if path == spec.prefix or path.startswith(spec.prefix + "/"):
            return spec
    return None


class ProviderRouting:
    def __init__(self, wsgi_app: Callable, providers: Iterable[ProviderSpec], ports: dict[str, int]) -> None:
        self.wsgi_app = wsgi_app
        providers = tuple(providers)
        self.by_host = {host.lower(): spec for spec in providers for host in spec.hosts}
        self.by_port = {str(port): spec for spec in providers for name, port in ports.items() if spec.name == name}

    def __call__(self, environ: dict, start_response: Callable):
        spec = self.by_port.get(str(environ.get("SERVER_PORT", "")))
        if spec is None:
            host = (environ.get("HTTP_HOST") or "").rsplit(":", 1)[0].lower()
            spec = self.by_host.get(host)
        path = environ.get("PATH_INFO", "")
        if path.startswith(NAMESPACE_PREFIX):
            name, _, rest = path[len(NAMESPACE_PREFIX) :].partition("/")
            if name:
                environ["HTTP_X_SIM_NAMESPACE"] = name
                path = environ["PATH_INFO"] = "/" + rest
        if spec is not None and not path.startswith(CONTROL_PREFIX):
            environ["PATH_INFO"] = spec.prefix + path
        return self.wsgi_app(environ, start_response)
