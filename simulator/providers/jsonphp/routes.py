"""json.php routes: one script, `POST /api/json.php` (under /jsonphp, or on alphasms.ua).

Every outcome is HTTP 200 (doc: seeds 000/001). The envelope is checked first (method, Content-Type,
JSON object), then `auth`, then `data`; each `data[]` item is answered in order on its own.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.accounts import Account
from simulator.providers.base import services
from simulator.providers.jsonphp import auth, hlr, messages, php_json, reports, responses, schemas, sends
from simulator.providers.jsonphp.errors import ItemFailed, RequestRefused

blueprint = Blueprint("jsonphp", __name__)

# The script answers whatever method reaches it; only POST is served (spec §0, inferred).
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
JSON_TYPE = "application/json"  # doc: "Requests must contain header Content-Type: application/json"


def _sender(request_type: str) -> Callable[[Account, dict], dict]:
    return lambda account, fields: sends.send(account, request_type, fields)


def _status(account: Account, fields: dict) -> dict:
    return reports.status(reports.find(account, fields["id"]), fields["id"])


def _hlr(account: Account, fields: dict) -> dict:
    return hlr.lookup(fields["phone"], schemas.Phone().convert(fields["phone"]))


def _balance(account: Account, fields: dict) -> dict:
    return responses.balance(services().balance(account), account.currency)


# type -> (schema, handler(account, fields) -> item data)
HANDLERS: dict[str, tuple[type, Callable[[Account, dict], dict]]] = {
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
    account = auth.authenticate(body)
    items = body.get("data")
    if not isinstance(items, list):
        raise RequestRefused(messages.INVALID_REQUEST)
    return responses.answered([_answer(account, item) for item in items])


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


def _answer(account: Account, item: object) -> dict:
    if not isinstance(item, dict):
        return responses.item_error(messages.INVALID_REQUEST)
    client_id = schemas.ClientId().convert(item.get("id"))
    request_type = item.get("type")
    if not isinstance(request_type, str) or request_type not in HANDLERS:
        return responses.item_error(messages.UNKNOWN_TYPE, client_id)
    schema, handler = HANDLERS[request_type]
    try:
        return responses.item_ok(handler(account, schemas.load(schema, item)))
    except ItemFailed as failure:
        return responses.item_error(failure.error, client_id)
