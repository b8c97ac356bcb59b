"""json.php routes: one script, `POST /api/json.php` (under /jsonphp, or on alphasms.ua): HTTP in and out.

Every outcome is HTTP 200 (doc: seeds 000/001). The envelope is checked first (method, Content-Type,
JSON object), then `auth`, then `data`; each `data[]` item is validated (schemas.py), handed to
sending.py with the account's door and answered in order on its own (responses.py).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.doors import AccountDoor
from simulator.providers.jsonphp import auth, messages, responses, schemas, sending
from simulator.providers.jsonphp.errors import ItemFailed, RequestRefused

blueprint = Blueprint("jsonphp", __name__)

# The script answers whatever method reaches it; only POST is served (spec §0, inferred).
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _sender(request_type: str) -> Callable[[AccountDoor, dict], dict]:
    return lambda door, fields: sending.send(door, request_type, fields)


# type -> (schema, handler(account door, fields) -> item data)
HANDLERS: dict[str, tuple[type, Callable[[AccountDoor, dict], dict]]] = {
    "sms": (schemas.SmsSchema, _sender("sms")),
    "viber": (schemas.ViberSchema, _sender("viber")),
    "viber+sms": (schemas.ViberSmsSchema, _sender("viber+sms")),
    "rcs": (schemas.RcsSchema, _sender("rcs")),
    "rcs+sms": (schemas.RcsSmsSchema, _sender("rcs+sms")),
    "telegram": (schemas.TelegramSchema, _sender("telegram")),
    "voice": (schemas.VoiceSchema, _sender("voice")),
    "pipeline": (schemas.PipelineSchema, _sender("pipeline")),
    "call/otp": (schemas.CallOtpSchema, sending.call_otp),
    "status": (schemas.StatusSchema, sending.status),
    "hlr": (schemas.HlrSchema, sending.hlr_lookup),
    "balance": (schemas.BalanceSchema, sending.balance),
}


@blueprint.route("/api/json.php", methods=ANY_METHOD)
def json_php() -> Response:
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:  # PHP sees an empty php://input past post_max_size
        raise RequestRefused(messages.INVALID_REQUEST) from None
    body = schemas.envelope(request.method, request.mimetype, raw)
    door = auth.authenticate(body)
    items = body.get("data")
    if not isinstance(items, list):
        raise RequestRefused(messages.INVALID_REQUEST)
    return responses.answered([_answer(door, item) for item in items])


def _answer(door: AccountDoor, item: object) -> dict:
    if not isinstance(item, dict):
        return responses.item_error(messages.INVALID_REQUEST)
    request_type = item.get("type")
    if not isinstance(request_type, str) or request_type not in HANDLERS:
        return responses.item_error(messages.UNKNOWN_TYPE, schemas.echoed_id(item))
    schema, handler = HANDLERS[request_type]
    try:
        return responses.item_ok(handler(door, schemas.load(schema, item)))
    except ItemFailed as failure:
        return responses.item_error(failure.error, schemas.echoed_id(item))
