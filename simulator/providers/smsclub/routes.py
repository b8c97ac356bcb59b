"""SMS Club routes (under /smsclub, or at the real paths on im.smsclub.mobi): HTTP in and out.

Every request is authenticated and counted against the rate limit first (before_request); then its
parameters are read and validated (schemas.py), handed to sending.py or chats.py with the account's
door, and serialised by responses.py.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.doors import AccountDoor
from simulator.providers.smsclub import auth, chats, errors, responses, sending
from simulator.providers.smsclub import messages as msg
from simulator.providers.smsclub.schemas import (
    FORM_TYPES,
    ChatQuerySchema,
    InvalidJson,
    InvalidRequest,
    SmsPersonalSchema,
    SmsSendSchema,
    SmsStatusSchema,
    ViberSendSchema,
    ViberStatusSchema,
    form_params,
    json_params,
    page_number,
)

blueprint = Blueprint("smsclub", __name__)

SEND_FIELDS = ("sender", "phones", "message", "chat_id")
# One instance each: building a schema costs more than loading a request with it.
VIBER_SEND, VIBER_STATUS, CHAT_QUERY = ViberSendSchema(), ViberStatusSchema(), ChatQuerySchema()
SMS_SEND, SMS_PERSONAL, SMS_STATUS = SmsSendSchema(), SmsPersonalSchema(), SmsStatusSchema()


@blueprint.before_request
def _client() -> None:
    g.smsclub_door = auth.client()


def _door() -> AccountDoor:
    return g.smsclub_door


def _client_compat() -> bool:
    """Answer the calls the vendor's own PHP examples and public clients make to the "wrong" path.

    github smsclub/php json_viber/status_viber.php and Prihod/smsclubmobi-client POST the status
    body to /vibers/send, and send_viber2way.php POSTs a send body to /vibers/chat. Those clients
    are published as working, so by default the simulator answers them; settings.client_compat:
    false in an account gives the documented behaviour only.
    """
    return bool(_door().account.settings.get("client_compat", True))


def _params() -> dict:
    """The body's parameters as Yii2 reads them; Yii2's 400 for JSON PHP would not decode."""
    try:
        if request.mimetype in FORM_TYPES:
            return form_params(request.form)
        return json_params(request.mimetype or "", request.get_data(cache=True))
    except RequestEntityTooLarge as exc:
        raise errors.http(413, msg.PAYLOAD_TOO_LARGE) from exc
    except InvalidJson as exc:
        raise errors.invalid_json(exc.reason) from exc


def _viber(schema, params: dict):
    """The Viber API's request; its 400 envelope with every problem otherwise."""
    try:
        return schema.request(params)
    except InvalidRequest as exc:
        raise errors.ViberError(400, exc.errors) from exc


def _sms(schema, params: dict):
    """The SMS API's request; its 400 envelope with the first problem of each field otherwise."""
    try:
        return schema.request(params)
    except InvalidRequest as exc:
        raise errors.SmsApiError({key: messages[0] for key, messages in exc.errors.items()}) from exc


# Viber API


@blueprint.post("/vibers/send", provide_automatic_options=False)
def viber_send() -> Response:
    params = _params()
    if _client_compat() and "messageIds" in params and not any(name in params for name in SEND_FIELDS):
        return _statuses(params)
    return _send(params)


@blueprint.post("/vibers/status", provide_automatic_options=False)
def viber_status() -> Response:
    return _statuses(_params())


def _send(params: dict) -> Response:
    result = sending.send_viber(_door(), _viber(VIBER_SEND, params))
    return responses.viber_sent(result.sent, result.recipients)


def _statuses(params: dict) -> Response:
    return responses.viber_statuses(sending.viber_statuses(_door(), _viber(VIBER_STATUS, params)))


@blueprint.route("/vibers/chat", methods=["GET", "POST"], provide_automatic_options=False)
def viber_chat() -> Response:
    if request.method == "POST":
        return _send(_params()) if _client_compat() else errors.method_not_allowed(["GET"])
    chat = chats.owned(_door(), _viber(CHAT_QUERY, dict(request.args)))
    return responses.chat(chat, chats.history(_door(), chat, page_number(request.args.get("page"))))


@blueprint.get("/vibers/chats", provide_automatic_options=False)
def viber_chats() -> Response:
    return responses.chats(chats.page_of_chats(_door(), page_number(request.args.get("page"))))


# SMS JSON API


@blueprint.post("/sms/send", provide_automatic_options=False)
def sms_send() -> Response:
    result = sending.send_sms(_door(), _sms(SMS_SEND, _params()))
    return responses.sms_sent(result.info, result.rejected)


@blueprint.post("/v2/sms/send", provide_automatic_options=False)
def sms_send_personal() -> Response:
    result = sending.send_sms(_door(), _sms(SMS_PERSONAL, _params()))
    return responses.sms_sent(result.info, result.rejected)


@blueprint.post("/sms/status", provide_automatic_options=False)
def sms_status() -> Response:
    return responses.sms_statuses(sending.sms_statuses(_door(), _sms(SMS_STATUS, _params())))


@blueprint.post("/sms/balance", provide_automatic_options=False)
def sms_balance() -> Response:
    return responses.sms_balance(msg.CURRENCY_FORMAT.format(_door().balance()), _door().account.currency)


@blueprint.post("/sms/originator", provide_automatic_options=False)
def sms_originators() -> Response:
    return responses.sms_originators(list(_door().account.senders or ()))
