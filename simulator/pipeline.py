"""The request pipeline: what happens to every request around its route, in one place and one order.

For a provider request (run by the dispatcher, simulator/dispatch.py):
1. its body is read, once; then the namespace is chosen, once: the `/_ns/<name>/` base-URL prefix
   (turned into the header by the routing middleware), else the `X-Sim-Namespace` header, else the
   namespace bound to the credential the request presents (`PUT /_sim/namespaces`), else `default`;
2. the request gets its door, bound to that namespace and the provider;
3. injected faults of that namespace apply (latency, the provider's 500, a scenario error);
4. the app's hooks (the host guard) and the route run; the route authenticates at the point in its
   checks where the real provider does (D7 reads the body before the token), which narrows the door
   to the account;
5. the request and its answer are journaled (credentials masked when the journal is read).

For a request Flask serves (`/_sim/`, the control API and inbox alike): the admin guard, then the
namespace named by `?namespace=` or the header (default `default`).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from flask import Request, Response, current_app, g, redirect, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.doors import DEFAULT_NAMESPACE, OperatorDoor, RequestEntry, check_namespace_name
from simulator.core.errors import ScenarioError
from simulator.core.journal import BODY_LIMIT
from simulator.limits import declared_body, without_body
from simulator.providers.base import NAMESPACE_HEADER, SCENARIO_HEADER, ProviderSpec, credentials
from simulator.routing import CONTROL_PREFIX

if TYPE_CHECKING:
    from flask.ctx import _AppCtxGlobals  # the type of flask.g

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


def flask_only(hook: Callable) -> Callable:
    """Mark an app hook that concerns only the requests Flask serves (the control plane): the provider
    dispatcher skips it instead of calling it to find out."""
    hook.flask_only = True
    return hook


@flask_only
def control_request() -> Response | None:
    """The pipeline's Flask hook, first of the app's: every request Flask serves (the control API, the inbox,
    unknown paths). Provider requests go through the dispatcher, which runs `provider_request` instead."""
    state = current_app.extensions["simulator"]
    state.engine.sync()  # settings another worker changed (accounts, bindings, faults, seeds)
    path = request.path
    if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
        return _require_admin_token(state.settings)
    return None


def provider_request(state, spec: ProviderSpec, kept: _AppCtxGlobals, asked: Request) -> Response | None:
    """A provider request's namespace, door and faults, before the app's hooks; `kept` is its `g`."""
    engine, environ = state.engine, asked.environ
    kept.sim_provider = spec
    kept.sim_body = _body(asked)  # first: presenting credentials may mean reading it (json.php's are in it)
    name = environ.get(NAMESPACE_ENVIRON)
    # The settings other workers changed, and the values of the namespace the request most likely uses
    # (named, else the default) in the same round trip; a credential bound elsewhere reads its own.
    values = engine.sync(name or DEFAULT_NAMESPACE)
    if not name:
        name = engine.bound_namespace(spec.name, credentials()) or DEFAULT_NAMESPACE
        if name != DEFAULT_NAMESPACE:
            values = {}
    door = engine.provider_door(name, spec.name, environ.get(SCENARIO_ENVIRON), values)
    kept.sim_door = door
    kept.sim_started = door.now()
    hit = door.fault(asked.method, asked.path[len(spec.prefix) :] or "/")
    if hit is None:
        return None
    if hit.delay:
        pause(hit.delay)
    if hit.fault.error == "internal_error":
        return spec.internal_error()
    if hit.fault.error:
        raise ScenarioError(hit.fault.error, "fault")
    return None


def _body(asked: Request) -> bytes:
    """The request's body, read now: parsing a form later consumes it, and the journal keeps the raw bytes.
    Empty when there is none, or when it is too long (the route answers that itself)."""
    if without_body(asked.environ):
        return b""
    body = declared_body(asked.environ)
    if body is not None:
        asked._cached_data = body  # werkzeug's cache of get_data(): the route and a form parser read it there
        return body
    try:
        return asked.get_data(cache=True)
    except RequestEntityTooLarge:
        return b""


def journal_request(spec: ProviderSpec, kept: _AppCtxGlobals, asked: Request, response: Response) -> None:
    """Journal a provider request with the answer it got (masked when read); the dispatcher's last step."""
    door = kept.get("sim_door")
    if door is None:  # refused before it got a namespace
        return
    environ = asked.environ
    body = kept.get("sim_body", b"")[:BODY_LIMIT]
    reply = response.get_data()[:BODY_LIMIT] if not response.is_streamed else b""
    # What the request presented as its credentials (identifiers aside), wherever the answer echoes it.
    secrets = tuple(value for name, value in credentials().items() if value and not name.endswith("_id"))
    door.record_request(
        RequestEntry(
            spec.name,
            asked.method,
            asked.path,
            environ.get("QUERY_STRING", ""),
            request_headers(environ),
            body,
            response.status_code,
            reply,
            response.headers.get("Content-Type"),
            kept.get("sim_started"),
            secrets,
        )
    )


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


# WSGI environ key -> header name as werkzeug spells it ("HTTP_X_API_KEY" -> "X-Api-Key"), "" for a key that is
# no header; few distinct keys arrive, so each is worked out once (bounded: a client may send any names).
_HEADER_NAMES: dict[str, str] = {}
_HEADER_NAMES_KEPT = 512


def _header_name(key: str) -> str:
    if key.startswith("HTTP_") and key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
        return key[5:].replace("_", "-").title()
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return key.replace("_", "-").title()
    return ""


def request_headers(environ: dict) -> dict[str, str]:
    """A request's headers in one pass over its environ, named and ordered as werkzeug's `request.headers`."""
    headers = {}
    for key, value in environ.items():
        name = _HEADER_NAMES.get(key)
        if name is None:
            name = _header_name(key)
            if len(_HEADER_NAMES) < _HEADER_NAMES_KEPT:
                _HEADER_NAMES[key] = name
        if name and (value or not key.startswith("CONTENT_")):  # werkzeug drops an empty Content-Type/-Length
            headers[name] = value
    return headers
