"""The page's own small JSON endpoints: read the inbox, steer one message, the clock, reset.

    GET  /api/messages?provider=&status=&recipient=&limit=   the list (ETag: an unchanged poll is a 304)
    GET  /api/messages/<key>                                 one message with history, replies, webhooks, requests
    POST /api/messages/<key>/reply  {"text", "media": {"url", "filename", "filesize"}}
    POST /api/messages/<key>/force  {"status", "reason"}    409 when the transition table forbids it
    POST /api/clock                 {"advance": "5s"} | {"freeze": true} | {"unfreeze": true}
    POST /api/reset
    GET  /api/namespaces

Every endpoint takes ?namespace= (default "default"). Bodies must be JSON objects sent as
application/json, which a cross-site HTML form cannot send.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from simulator.core.errors import IllegalTransition, NotFound
from simulator.core.messages import MessageView
from simulator.core.services import Services
from simulator.inbox import context, forms, present
from simulator.inbox.forms import InboxError

api = Blueprint("api", __name__)


@api.errorhandler(NotFound)
def _not_found(exc: NotFound) -> Response:
    key = (request.view_args or {}).get("key", exc.key)
    return _error(InboxError(404, "not_found", f"no message {key!r} in this namespace"))


@api.errorhandler(IllegalTransition)
def _illegal(exc: IllegalTransition) -> Response:
    allowed = ", ".join(exc.allowed) or f"none, {exc.current} is final"
    message = f"{exc.current or 'start'} -> {exc.target} is not a legal transition (allowed: {allowed})"
    return _error(InboxError(409, "illegal_transition", message, "status", allowed=exc.allowed))


def _error(exc: InboxError) -> Response:
    response = jsonify(exc.body())
    response.status_code = exc.status
    return response


def _fresh(body: dict) -> Response:
    """JSON with an ETag, so a poll that finds nothing new is a bodiless 304."""
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


def _body() -> object:
    body = request.get_json(silent=True)
    if body is None:
        raise InboxError(400, "invalid_json", "send a JSON object with Content-Type: application/json")
    return body


def _view(services: Services, key: str) -> MessageView:
    provider, _, message_id = key.partition(":")
    return services.view(provider, message_id)


def message_detail(services: Services, key: str) -> dict:
    return {"clock": present.clock(services.clock), "message": present.detail(services, _view(services, key))}


@api.get("/messages")
def messages() -> Response:
    filters = forms.filters(request.args.to_dict())
    return _fresh(present.message_list(context.services(), filters))


@api.get("/messages/<path:key>")
def message(key: str) -> Response:
    return _fresh(message_detail(context.services(), key))


@api.post("/messages/<path:key>/reply")
def reply(key: str) -> Response:
    services = context.services()
    _view(services, key)  # a missing message is a 404 before the body is judged
    text, media = forms.reply(_body())
    services.reply(key, text, media)
    return jsonify(message_detail(services, key))


@api.post("/messages/<path:key>/force")
def force(key: str) -> Response:
    services = context.services()
    _view(services, key)
    status, reason = forms.force(_body())
    services.force(key, status, reason)
    return jsonify(message_detail(services, key))


@api.post("/clock")
def clock() -> Response:
    services = context.services()
    change = forms.clock(_body())
    if "advance" in change:
        services.clock.advance(change["advance"])
    elif "freeze" in change:
        services.clock.freeze()
    else:
        services.clock.unfreeze()
    return jsonify(present.clock(services.clock))


@api.post("/reset")
def reset() -> Response:
    name = context.namespace()
    context.engine().reset(name)
    return jsonify({"reset": name})


@api.get("/namespaces")
def namespaces() -> Response:
    return jsonify({"namespaces": context.engine().namespace_names()})
