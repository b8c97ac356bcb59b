"""Discovery, health, reset, seed and the OpenAPI document."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from flask import Response, jsonify, request
from marshmallow import Schema, fields

from simulator import __version__
from simulator.control.accounts import restore_original
from simulator.control.blueprint import chosen_namespace, control, engine, json_body, load, state
from simulator.routing import NAMESPACE_PREFIX

OPENAPI_FILE = Path(__file__).with_name("static") / "openapi.yaml"


class ResetSchema(Schema):
    namespace = fields.String()


class SeedSchema(Schema):
    seed = fields.Integer(required=True, allow_none=True, strict=True)


@control.get("/")
def discovery() -> Response:
    """Providers with base URLs (namespaced when a namespace is chosen) and demo credentials."""
    root = request.host_url.rstrip("/")
    namespace = chosen_namespace()
    namespaced = f"{root}{NAMESPACE_PREFIX}{namespace}" if namespace else root
    hostname = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host
    providers = []
    for spec in state().providers:
        base_urls = [namespaced + spec.prefix]
        port = state().settings.provider_ports.get(spec.name)
        if port:
            base_urls.append(f"{request.scheme}://{hostname}:{port}")
        demo = engine().accounts.demo(spec.name)
        providers.append(
            {
                "name": spec.name,
                "title": spec.title,
                "base_urls": base_urls,
                "hosts": list(spec.hosts),
                "demo_credentials": dict(demo.credentials) if demo else {},
            }
        )
    return jsonify({"version": __version__, "namespace": namespace, "providers": providers})


@control.get("/health")
def health() -> Response:
    return jsonify(
        {
            "status": "ok",
            "version": __version__,
            "store": state().settings.store,
            "namespaces": len(engine().namespace_names()),
            "scenarios": len(engine().scenarios.scenarios),
        }
    )


@control.post("/reset")
def reset() -> Response:
    """One namespace (named by ?namespace=, the header or the body), or everything."""
    body = load(ResetSchema(), json_body())
    namespace = chosen_namespace() or body.get("namespace")
    engine().reset(namespace)
    if namespace is None:
        restore_original()
    return jsonify({"reset": namespace or "all"})


@control.post("/seed")
def seed() -> Response:
    """Reseed ids, Faker texts and fault dice: one namespace, or every namespace and the default."""
    value = load(SeedSchema(), json_body())["seed"]
    namespace = chosen_namespace()
    names = [namespace] if namespace else engine().namespace_names()
    previous = {name: engine().namespace(name).ids.seed for name in names}
    if namespace:
        space = engine().namespace(namespace)
        space.ids.reseed(value)
        space.faults.reseed(value)
    else:
        engine().reseed(value)
    for name in names:
        engine().services(name).record("control", action="seed", seed=value, previous=previous[name])
    return jsonify({"seed": value, "namespace": namespace or "all"})


@cache
def openapi_document() -> dict:
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


@control.get("/openapi.json")
def openapi() -> Response:
    return jsonify({**openapi_document(), "info": {**openapi_document()["info"], "version": __version__}})
