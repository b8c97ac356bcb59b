"""D7 Networks routes (under /d7, or at the real paths on api.d7networks.com).

Thin HTTP in and out: read and validate the body, call sending.py, answer with responses.py bytes.
Order of checks, as FastAPI runs them: the body is read and JSON-decoded first (422/400), then the
bearer dependency (401), then the body model (422), then business rules (400/402/403, sending.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.doors import AccountDoor
from simulator.providers.d7 import auth, errors, responses, schemas, sending

blueprint = Blueprint("d7", __name__)


def _route(rule: str, method: str):
    """Answer with and without a trailing slash, without a redirect (spec §0), and no automatic OPTIONS."""

    def register(view):
        for path in (rule, rule + "/"):
            blueprint.add_url_rule(path, view_func=view, methods=[method], provide_automatic_options=False)
        return view

    return register


def _body(schema: type[schemas.Model]) -> tuple[AccountDoor, dict]:
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise errors.D7Error(413, "Request Entity Too Large") from None  # inferred
    value = schemas.decode(raw, request.headers.get("Content-Type"))
    account = auth.account()
    return account, schemas.validate(schema, value)


@_route("/viber/v1/send", "POST")
def send_viber() -> Response:
    door, data = _body(schemas.ViberRequest)
    return responses.accepted(sending.send_viber(door, data))


@_route("/messages/v1/send", "POST")
def send_messages() -> Response:
    door, data = _body(schemas.SmsRequest)
    return responses.accepted(sending.send_messages(door, data))


@_route("/report/v1/viber-log/<request_id>", "GET")
def viber_report(request_id: str) -> Response:
    return responses.report(sending.report(auth.account(), request_id, responses.VIBER_LOG))


@_route("/report/v1/message-log/<request_id>", "GET")
def sms_report(request_id: str) -> Response:
    return responses.report(sending.report(auth.account(), request_id, responses.MESSAGE_LOG))


@_route("/messages/v1/balance", "GET")
def balance() -> Response:
    return responses.balance(auth.account().balance())
