"""A tiny provider for testing the control plane and the plugin before the real providers land.

POST /fake/send  (Authorization: Bearer <token>, JSON {"to", "text", "callback"?}) -> 201 {"id"}
GET  /fake/status/<id>  (the demo account's messages; no credentials)             -> {"id", "status"}
GET  /fake/boom                                                                     -> raises (a 500)
A message with a callback URL gets a POST {"id", "status"} there on every primary transition.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, request

from simulator.core.doors import Draft
from simulator.core.engine import ProviderHooks
from simulator.core.errors import NotFound, ScenarioError, SimError, Unauthorized
from simulator.core.lifecycle import Event
from simulator.core.messages import MessageView
from simulator.core.webhooks import Delivery, RetryPolicy
from simulator.providers.base import ProviderSpec, door
from simulator.providers.wire import json_response

NAME = "fake"
DEMO_ACCOUNT = "demo"
blueprint = Blueprint(NAME, __name__)


def reply(payload: dict, status: int = 200) -> Response:
    return json_response(payload, status, content_type="application/json")


def render(error: SimError) -> Response:
    if isinstance(error, Unauthorized):
        return reply({"error": "unauthorized"}, 401)
    if isinstance(error, NotFound):
        return reply({"error": "not found"}, 404)
    if isinstance(error, ScenarioError):
        return reply({"error": error.kind}, 503)
    return reply({"error": "internal"}, 500)


def presented() -> dict[str, str]:
    return {"token": request.headers.get("Authorization", "").removeprefix("Bearer ")}


@blueprint.post("/send")
def send() -> Response:
    account = door().authenticate(**presented())
    body = request.get_json(silent=True) or {}
    message_id = account.ids.hex(12)
    attrs = {"callback": body["callback"]} if body.get("callback") else {}
    account.submit([Draft(message_id, "sms", str(body.get("to", "")), text=body.get("text"), attrs=attrs)])
    return reply({"id": message_id}, 201)


@blueprint.get("/status/<message_id>")
def status(message_id: str) -> Response:
    view = door().account_door(DEMO_ACCOUNT).owned(message_id)
    if view is None:
        raise NotFound("message", message_id)
    return reply({"id": message_id, "status": view.status})


@blueprint.get("/boom")
def boom() -> Response:
    raise RuntimeError("boom from the fake provider")


def callbacks(view: MessageView, event: Event) -> list[Delivery]:
    url = view.message.attrs.get("callback")
    if not url or event.leg != "primary":
        return []
    body = json.dumps({"id": view.message.id, "status": event.status}).encode()
    return [Delivery(url, body, {"Content-Type": "application/json"})]


SPEC = ProviderSpec(
    name=NAME,
    title="Fake provider",
    blueprint=blueprint,
    hosts=("api.fake.test",),
    credential_keys=("token",),
    render_error=render,
    not_found=lambda: reply({"error": "no route"}, 404),
    method_not_allowed=lambda allowed: reply({"error": "method"}, 405),
    internal_error=lambda: reply({"error": "internal"}, 500),
    accounts_file=Path(__file__).with_name("fake_accounts.yaml"),
    presented=presented,
    hooks=ProviderHooks(callbacks=callbacks, retry=RetryPolicy(backoff=(5.0,), timeout=2.0)),
)
