"""The engine and namespace a request to the inbox is about."""

from __future__ import annotations

from flask import current_app, request

from simulator.core.services import Engine, Services
from simulator.inbox import forms


def engine() -> Engine:
    return current_app.extensions["simulator"].engine


def provider_names() -> list[str]:
    return [spec.name for spec in current_app.extensions["simulator"].providers]


def namespace() -> str:
    """The `namespace` query parameter, checked against the namespaces that exist."""
    return forms.namespace(request.args.get("namespace"), engine().namespace_names())


def services() -> Services:
    return engine().services(namespace())
