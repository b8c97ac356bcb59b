"""json.php routes: one script, `POST /api/json.php` (under /jsonphp, or on alphasms.ua).

Every outcome is HTTP 200 (doc: seeds 000/001). The envelope is checked first (method, Content-Type,
JSON object), then `auth`, then `data`; each `data[]` item is answered in order on its own.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.doors import AccountDoor
from simulator.providers.jsonphp import auth, hlr, messages, php_json, reports, responses, schemas, sends
from simulator.providers.jsonphp.errors import ItemFailed, RequestRefused

blueprint = Blueprint("jsonphp", __name__)

# The script answers whatever method reaches it; only POST is served (spec §0, inferred).
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
JSON_TYPE = "application/json"  # doc: "Requests must contain header Content-Type: application/json"


def _sender(request_type: str) -> Callable[[AccountDoor, dict], dict]:
    return lambda door, fields: sends.send(door, request_type, fields)


def _status(door: AccountDoor, fields: dict) -> dict:
    return reports.status(reports.find(door, fields["id"]), fields["id"])


def _hlr(door: AccountDoor, fields: dict) -> dict:
    return hlr.lookup(fields["phone"], schemas.Phone().convert(fields["phone"]))


def _balance(door: AccountDoor, fields: dict) -> dict:
    return responses.balance(door.balance(), door.account.currency)


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
    "call/otp": (schemas.CallOtpSchema, sends.call_otp),
    "status": (schemas.StatusSchema, _status),
    "hlr": (schemas.HlrSchema, _hlr),
    "balance": (schemas.BalanceSchema, _balance),
}


@blueprint.route("/api/json.php", methods=ANY_METHOD)
def json_php() -> Response:
    body = _envelope()
    door = auth.authenticate(body)
    items = body.get("data")
    if not isinstance(items, list):
        raise RequestRefused(messages.INVALID_REQUEST)
    return responses.answered([_answer(door, item) for item in items])


def _envelope() -> dict:
    """The decoded body, or the whole request refused as invalid."""
    if request.method != "POST" or request.mimetype != JSON_TYPE:
        raise RequestRefused(messages.INVALID_REQUEST)
    try:
        body = php_json.decode(request.get_data(cache=True))
    except (ValueError, RequestEntityTooLarge):  # PHP sees an empty php://input past post_max_size
        raise RequestRefused(messages.INVALID_REQUEST) from None
    if not isinstance(body, dict):
        raise RequestRefused(messages.INVALID_REQUEST)
    return body


def _answer(door: AccountDoor, item: object) -> dict:
    if not isinstance(item, dict):
        return responses.item_error(messages.INVALID_REQUEST)
    client_id = schemas.ClientId().convert(item.get("id"))
    request_type = item.get("type")
    if not isinstance(request_type, str) or request_type not in HANDLERS:
        return responses.item_error(messages.UNKNOWN_TYPE, client_id)
    schema, handler = HANDLERS[request_type]
    try:
        return responses.item_ok(handler(door, schemas.load(schema, item)))
    except ItemFailed as failure:
        return responses.item_error(failure.error, client_id)
