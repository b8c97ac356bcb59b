"""The guard in front of every request: what the simulator refuses before any route runs.

- DNS rebinding: a web page whose name resolves to 127.0.0.1 could otherwise read and steer a simulator
  bound to loopback. Every request's Host must name a loopback address, the --host address, a provider's
  real host, or an --allowed-host. Bound to every interface (--host 0.0.0.0 or ::) the server cannot know
  its own names, so any Host is served unless --allowed-host lists them (the admin token guards /_sim/ there).
- CSRF: a state-changing /_sim/ request (not GET/HEAD/OPTIONS) from a browser page of another origin is
  refused (Origin, Sec-Fetch-Site), and its body must be JSON, which an HTML form cannot send, unless the
  request carries an X-Sim-* header (a custom header forces a CORS preflight, which the simulator never
  grants). A request without a body stays allowed: browsers send such requests only from scripts, and
  scripts of another origin carry Origin.
- Every /_sim/ answer carries CONTROL_HEADERS: a Content-Security-Policy without inline script,
  X-Frame-Options DENY and nosniff (the inbox's pages are what a browser shows).
- Control-plane JSON (/_sim/, the inbox too) nests at most MAX_CONTROL_DEPTH deep and holds no lone
  UTF-16 surrogate: either would break a later read (a recursive walk, or encoding the text as UTF-8).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, request

from simulator.control.errors import control_error
from simulator.core import json_shape
from simulator.pipeline import flask_only
from simulator.routing import CONTROL_PREFIX

MAX_CONTROL_DEPTH = 32
# Sent with every /_sim/ answer (the inbox's HTML pages above all): scripts, styles and connections only
# from the simulator itself, no inline script (the pages' data travels in <script type="application/json">
# blocks, which are not executed), no framing (clickjacking), no MIME sniffing.
CONTROL_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
        " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
ANY_HOST = "*"
WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", "[::]", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CUSTOM_HEADER_PREFIX = "X-Sim-"


SERVED_HOSTS = "simulator.served_hosts"
JUDGED_HOSTS = "simulator.judged_hosts"
JUDGED_HOSTS_KEPT = 256


def install(app: Flask, bound: str, allowed: list[str], provider_hosts: set[str]) -> None:
    # The names the server answers to are fixed at start-up: worked out once, not on every request.
    app.extensions[SERVED_HOSTS] = served_hosts(bound, allowed, provider_hosts)
    app.extensions[JUDGED_HOSTS] = {}  # Host header -> served?
    app.before_request(_guard)
    app.after_request(_control_headers)


def _guard() -> Response | None:
    asked = request._get_current_object()  # one proxy lookup: this runs before every request
    refusal = _host_refusal(asked)
    if refusal or not _is_control(asked.path):
        return refusal
    if request.method not in SAFE_METHODS:
        refusal = _cross_site_refusal()
    return refusal or _control_json_refusal()


def _is_control(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


@flask_only  # provider paths are never control paths
def _control_headers(response: Response) -> Response:
    if _is_control(request.path):
        for name, value in CONTROL_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def hostname(host: str) -> str:
    """The name in a Host header value: lower case, without port or IPv6 brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def served_hosts(bound: str, allowed: list[str], provider_hosts: set[str]) -> frozenset[str] | None:
    """The host names a server bound to `bound` answers to besides loopback ones; None: any name."""
    if ANY_HOST in allowed or (hostname(bound) in WILDCARD_ADDRESSES and not allowed):
        return None
    names = {hostname(bound), *(hostname(item) for item in allowed), *(host.lower() for host in provider_hosts)}
    return frozenset(names)


def host_allowed(name: str, served: frozenset[str] | None) -> bool:
    """Whether a request whose Host names `name` is served, given the server's `served_hosts`."""
    return served is None or name in served or is_loopback(name)


def _host_refusal(asked: Request) -> Response | None:
    extensions = current_app.extensions
    # A server sees few distinct Host headers: each is judged once (werkzeug's host parsing and, for a loopback
    # name, an IP address parse cost more than the rest of the guard); bounded, as a client may send any.
    judged, header = extensions[JUDGED_HOSTS], asked.environ.get("HTTP_HOST")
    allowed = judged.get(header)
    if allowed is None:
        allowed = host_allowed(hostname(asked.host), extensions[SERVED_HOSTS])
        if header is not None and len(judged) < JUDGED_HOSTS_KEPT:
            judged[header] = allowed
    if allowed:
        return None
    name = hostname(asked.host)
    return control_error(
        403,
        "host_not_allowed",
        f"Host {name!r} is not served here (DNS rebinding guard); use a loopback address, or start the simulator"
        f" with --allowed-host {name}",
    )


def _cross_site_refusal() -> Response | None:
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
        return control_error(403, "cross_origin", f"requests from origin {origin!r} may not change the simulator")
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return control_error(403, "cross_origin", "requests from another site may not change the simulator")
    custom = any(name.lower().startswith(CUSTOM_HEADER_PREFIX.lower()) for name, _ in request.headers.items())
    has_body = request.content_type is not None or bool(request.content_length)
    if has_body and not request.is_json and not custom:
        return control_error(
            400,
            "invalid_json",  # what a control endpoint answers a non-JSON body anyway, before anything changes
            "a request that changes the simulator sends a JSON body (Content-Type: application/json),"
            f" no body, or an {CUSTOM_HEADER_PREFIX}* header",
        )
    return None


def _control_json_refusal() -> Response | None:
    """A 400 for a JSON body the control plane must not take; None for anything else (the route judges it)."""
    if not request.is_json or not request.get_data(cache=True):
        return None
    try:
        value = request.get_json(silent=True)  # cached: the route reads the same decoded value
    except RecursionError:
        problem = json_shape.TOO_DEEP
    else:
        problem = json_shape.problem(value, MAX_CONTROL_DEPTH)
    if problem == json_shape.TOO_DEEP:
        return control_error(400, "invalid_json", f"the body nests deeper than {MAX_CONTROL_DEPTH} levels")
    if problem == json_shape.LONE_SURROGATE:
        return control_error(400, "invalid_json", "the body holds a lone UTF-16 surrogate (e.g. \\ud800), not text")
    return None
