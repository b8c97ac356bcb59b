"""Discovery, health, reset, seed and the OpenAPI document."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from flask import Response, jsonify, redirect, request
from marshmallow import Schema, fields

from simulator import __version__, tls
from simulator.control.accounts import restore_original
from simulator.control.blueprint import chosen_namespace, control, json_body, load, operator, state
from simulator.control.errors import ControlError
from simulator.core.accounts import Account
from simulator.routing import NAMESPACE_PREFIX

OPENAPI_FILE = Path(__file__).with_name("static") / "openapi.yaml"


class ResetSchema(Schema):
    namespace = fields.String()


class SeedSchema(Schema):
    seed = fields.Integer(required=True, allow_none=True, strict=True)


def _home() -> Response:
    """A person who opens the bare server URL wants the inbox."""
    return redirect("/_sim/inbox/")


# GET / lies outside the blueprint's /_sim prefix: register it on the app the blueprint joins.
control.record_once(lambda setup: setup.app.add_url_rule("/", "home", _home, methods=["GET"]))


def allowed_senders(account: Account) -> list[str] | None:
    """What the account may put in the sender field; None: anything.

    Most providers check sender names (`senders`); Routee checks `senderInfoTrackingId`, the keys of
    its `settings.senders` (tracking id -> sender name).
    """
    if account.senders is not None:
        return list(account.senders)
    by_tracking_id = account.settings.get("senders")
    return list(by_tracking_id) if by_tracking_id else None


@control.get("/")
def discovery() -> Response:
    """Providers with base URLs (namespaced when a namespace is chosen), real-host URLs and demo credentials."""
    root = request.host_url.rstrip("/")
    namespace = chosen_namespace()
    namespaced = f"{root}{NAMESPACE_PREFIX}{namespace}" if namespace else root
    hostname = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host
    settings = state().settings
    providers = []
    for spec in state().providers:
        base_urls = [namespaced + spec.prefix]
        port = settings.provider_ports.get(spec.name)
        if port:
            base_urls.append(f"{request.scheme}://{hostname}:{port}")
        demo = operator().demo_account(spec.name)
        providers.append(
            {
                "name": spec.name,
                "title": spec.title,
                "base_urls": base_urls,
                "hosts": list(spec.hosts),
                "real_host_urls": [f"{request.scheme}://{host}{_port_suffix()}" for host in spec.hosts],
                "demo_credentials": dict(demo.credentials) if demo else {},
                "demo_senders": allowed_senders(demo) if demo else None,
            }
        )
    return jsonify({"version": __version__, "namespace": namespace, "providers": providers, "tls": _tls_json(root)})


def _tls_json(root: str) -> dict | None:
    """With HTTPS: the local CA to trust, as a file on this machine and for download (None: the user's own)."""
    settings = state().settings
    if not settings.serves_tls:
        return None
    ca = tls.ca_path(settings)
    return {"ca_file": str(ca) if ca else None, "ca_url": f"{root}{tls.CA_DOWNLOAD_PATH}" if ca else None}


def _port_suffix() -> str:
    """The request's port as ":<port>"; empty for the scheme's default, which a client's fixed URL implies."""
    port = urlsplit(request.host_url).port
    return f":{port}" if port and port != (443 if request.scheme == "https" else 80) else ""


@control.get("/tls/ca.pem")
def tls_ca() -> Response:
    """The local CA's certificate, for clients to trust (PEM)."""
    ca = tls.ca_path(state().settings)
    if ca is None:
        raise ControlError(404, "no_local_ca", "the simulator serves no certificate of its local CA (start with --tls)")
    return Response(ca.read_bytes(), mimetype="application/x-pem-file")


@control.get("/health")
def health() -> Response:
    return jsonify(
        {
            "status": "ok",
            "version": __version__,
            "store": state().settings.store,
            "namespaces": len(operator().live_namespaces()),
            "scenarios": len(operator().scenarios.scenarios),
        }
    )


@control.post("/reset")
def reset() -> Response:
    """One namespace (named by ?namespace=, the header or the body), or everything."""
    body = load(ResetSchema(), json_body())
    namespace = chosen_namespace() or body.get("namespace")
    if namespace is None:
        operator().reset_all()
        restore_original()
    else:
        operator().of(namespace).reset()
    return jsonify({"reset": namespace or "all"})


@control.post("/seed")
def seed() -> Response:
    """Reseed ids, Faker texts and fault dice: one namespace, or every namespace and the default."""
    value = load(SeedSchema(), json_body())["seed"]
    namespace = chosen_namespace()
    doors = [operator()] if namespace else [operator().of(name) for name in operator().live_namespaces()]
    previous = {door.namespace: door.seed for door in doors}
    if namespace:
        operator().reseed(value)
    else:
        operator().reseed_all(value)
    for door in doors:
        door.record("control", action="seed", seed=value, previous=previous[door.namespace])
    return jsonify({"seed": value, "namespace": namespace or "all"})


@cache
def openapi_document() -> dict:
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


@control.get("/openapi.json")
def openapi() -> Response:
    return jsonify({**openapi_document(), "info": {**openapi_document()["info"], "version": __version__}})
