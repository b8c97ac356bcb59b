"""The request pipeline: what happens to every request before its route, in one place and one order.

For a provider request:
1. the namespace is chosen, once: the `/_ns/<name>/` base-URL prefix (turned into the header by the
   routing middleware), else the `X-Sim-Namespace` header, else the namespace bound to the
   credential the request presents (`PUT /_sim/namespaces`), else `default`;
2. the request gets its door, bound to that namespace and the provider;
3. injected faults of that namespace apply (latency, the provider's 500, a scenario error);
4. the route runs; it authenticates at the point in its checks where the real provider does
   (D7 reads the body before the token), which narrows the door to the account.

For a `/_sim/` request (control API and inbox alike): the admin guard, then the namespace named by
`?namespace=` or the header (default `default`).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from urllib.parse import urlencode

from flask import Response, current_app, g, redirect, request

from simulator.core.doors import OperatorDoor
from simulator.core.engine import DEFAULT_NAMESPACE, check_namespace_name
from simulator.core.errors import ScenarioError
from simulator.providers.base import NAMESPACE_HEADER, SCENARIO_HEADER, ProviderSpec
from simulator.routing import CONTROL_PREFIX, provider_for_path

ADMIN_HEADER = "X-Sim-Admin-Token"
# A browser cannot add a header to a page it navigates to: the inbox is opened once with
# ?admin_token=<token>, which trades the token for this cookie (sent to /_sim/ only, never cross-site).
ADMIN_COOKIE = "sim_admin_token"
ADMIN_QUERY = "admin_token"
INBOX_PREFIX = CONTROL_PREFIX + "/inbox"

# Real seconds; a module attribute so tests can observe a fault's delay instead of waiting it out.
pause = time.sleep


class Refused(Exception):
    """A /_sim/ request refused before its route; rendered in the control API's error format."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


# The same headers as WSGI environ keys: read there, a provider request skips building a header view.
NAMESPACE_ENVIRON = "HTTP_" + NAMESPACE_HEADER.upper().replace("-", "_")
SCENARIO_ENVIRON = "HTTP_" + SCENARIO_HEADER.upper().replace("-", "_")


def before_request() -> Response | None:
    state = current_app.extensions["simulator"]
    asked = request._get_current_object()  # one proxy lookup: this runs before every request
    path = asked.path
    spec = provider_for_path(state.providers, path)
    if spec is not None:
        g.sim_provider = spec
        return _provider_request(state, spec, asked.method, path, asked.environ)
    state.engine.sync()  # settings another worker changed (accounts, bindings, faults, seeds)
    if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
        return _require_admin_token(state.settings)
    return None


def _provider_request(state, spec: ProviderSpec, method: str, path: str, environ: dict) -> Response | None:
    engine = state.engine
    name = environ.get(NAMESPACE_ENVIRON)
    # The settings other workers changed, and the values of the namespace the request most likely uses
    # (named, else the default) in the same round trip; a credential bound elsewhere reads its own.
    values = engine.sync(name or DEFAULT_NAMESPACE)
    if not name:
        name = engine.bound_namespace(spec.name, presented(spec)) or DEFAULT_NAMESPACE
        if name != DEFAULT_NAMESPACE:
            values = {}
    door = engine.provider_door(name, spec.name, environ.get(SCENARIO_ENVIRON), values)
    g.sim_door = door
    g.sim_started = door.now()
    hit = door.fault(method, path[len(spec.prefix) :] or "/")
    if hit is None:
        return None
    if hit.delay:
        pause(hit.delay)
    if hit.fault.error == "internal_error":
        return spec.internal_error()
    if hit.fault.error:
        raise ScenarioError(hit.fault.error, "fault")
    return None


def presented(spec: ProviderSpec) -> dict[str, str]:
    """The credentials a provider request presents (`spec.presented()`, which may decode the body), read
    once per request: the pipeline binds a namespace by them and the journal masks their echoes."""
    found = g._get_current_object()  # one proxy lookup: the journal asks after every provider request
    if "sim_presented" not in found:
        found.sim_presented = spec.presented()
    return found.sim_presented


def chosen_namespace() -> str | None:
    """The namespace a /_sim/ request names (`?namespace=` first, then the header), or None."""
    name = request.args.get("namespace") or request.headers.get(NAMESPACE_HEADER)
    return check_namespace_name(name) if name is not None else None


def operator_door() -> OperatorDoor:
    """The operator door of the namespace a /_sim/ request names (default `default`)."""
    if "sim_operator" not in g:
        engine = current_app.extensions["simulator"].engine
        g.sim_operator = engine.operator_door(chosen_namespace() or DEFAULT_NAMESPACE)
    return g.sim_operator


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _require_admin_token(settings) -> Response | None:
    """Off loopback, anyone on the network could reset or rewrite state: every /_sim/ path (the
    control API, the inbox's pages and their data) demands the admin token, in the header or, for a
    person's browser, in the cookie an inbox link with ?admin_token= sets."""
    if is_loopback(settings.host):
        return None
    if not settings.admin_token:
        raise Refused(
            403, "admin_token_not_configured", "the control API is served off loopback; start with --admin-token"
        )
    expected = settings.admin_token.encode()
    offered = request.args.get(ADMIN_QUERY)
    if offered is not None and request.method == "GET" and request.path.startswith(INBOX_PREFIX):
        if not hmac.compare_digest(offered.encode(), expected):
            raise Refused(401, "admin_token_required", "the admin token in the link is not the simulator's")
        return _inbox_signed_in(offered)
    given = request.headers.get(ADMIN_HEADER) or request.cookies.get(ADMIN_COOKIE) or ""
    if not hmac.compare_digest(given.encode(), expected):
        raise Refused(401, "admin_token_required", f"send the admin token in the {ADMIN_HEADER} header")
    return None


def _inbox_signed_in(token: str) -> Response:
    """The same inbox page without the token in its address, and the cookie that stands for it."""
    query = urlencode([(name, value) for name, value in request.args.items(multi=True) if name != ADMIN_QUERY])
    response = redirect(request.path + (f"?{query}" if query else ""), code=303)
    response.set_cookie(ADMIN_COOKIE, token, path=CONTROL_PREFIX, httponly=True, samesite="Strict")
    return response
