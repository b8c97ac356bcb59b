"""SMS Club routes (under /smsclub, or at the real paths on im.smsclub.mobi).

Every request is authenticated and counted against the rate limit first (before_request), then
its parameters are read, validated, handed to sending/chats, and serialised by responses.py.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, request

from simulator.core.accounts import Account
from simulator.core.doors import AccountDoor
from simulator.providers.smsclub import auth, body, chats, errors, responses, sending, statuses
from simulator.providers.smsclub import messages as msg
from simulator.providers.smsclub.localtime import printed
from simulator.providers.smsclub.schemas import (
    ChatQuerySchema,
    InvalidRequest,
    SmsPersonalSchema,
    SmsSendSchema,
    SmsStatusSchema,
    ViberSendSchema,
    ViberStatusSchema,
    page_number,
)

blueprint = Blueprint("smsclub", __name__)

SEND_FIELDS = ("sender", "phones", "message", "chat_id")


@blueprint.before_request
def _client() -> None:
    g.smsclub_door = auth.client()


def _door() -> AccountDoor:
    return g.smsclub_door


def _account() -> Account:
    return _door().account


def _client_compat(account: Account) -> bool:
    """Answer the calls the vendor's own PHP examples and public clients make to the "wrong" path.

    github smsclub/php json_viber/status_viber.php and Prihod/smsclubmobi-client POST the status
    body to /vibers/send, and send_viber2way.php POSTs a send body to /vibers/chat. Those clients
    are published as working, so by default the simulator answers them; settings.client_compat:
    false in an account gives the documented behaviour only.
    """
    return bool(account.settings.get("client_compat", True))


def _viber(schema, params: dict):
    try:
        return schema.request(params)
    except InvalidRequest as exc:
        raise errors.ViberError(400, exc.errors) from exc


def _sms(schema, params: dict):
    try:
        return schema.request(params)
    except InvalidRequest as exc:
        raise errors.SmsApiError({key: messages[0] for key, messages in exc.errors.items()}) from exc


# Viber API


@blueprint.post("/vibers/send", provide_automatic_options=False)
def viber_send() -> Response:
    params = body.params()
    if _client_compat(_account()) and "messageIds" in params and not any(name in params for name in SEND_FIELDS):
        return _statuses(params)
    return _send(params)


@blueprint.post("/vibers/status", provide_automatic_options=False)
def viber_status() -> Response:
    return _statuses(body.params())


def _send(params: dict) -> Response:
    result = sending.send_viber(_door(), _viber(ViberSendSchema(), params))
    return responses.viber_sent(result.sent, result.recipients)


def _statuses(params: dict) -> Response:
    ids = _viber(ViberStatusSchema(), params)["messageIds"]
    rows = []
    for message_id in dict.fromkeys(ids):
        view = _door().owned(message_id)
        if view is None or view.message.channel != "viber":
            continue  # inferred: unknown or foreign ids are left out
        rows.append((message_id, *statuses.viber(view, sending.has_sms_leg(view.message.attrs))))
    return responses.viber_statuses(rows)


@blueprint.route("/vibers/chat", methods=["GET", "POST"], provide_automatic_options=False)
def viber_chat() -> Response:
    if request.method == "POST":
        if not _client_compat(_account()):
            return errors.method_not_allowed(["GET"])
        return _send(body.params())
    query = _viber(ChatQuerySchema(), dict(request.args))
    chat = chats.find(_door(), query["chat_id"])
    if chat is None:
        raise errors.ViberError.one(400, msg.KEY_CHAT, msg.CHAT_NOT_FOUND)
    entries = [
        {"text": entry.text, "date": printed(entry.at), "type": entry.type}
        for entry in chats.history(_door(), chat, page_number(request.args.get("page")))
    ]
    recipient = int(chat["recipient"]) if chat["recipient"].isdigit() else chat["recipient"]
    return responses.chat(recipient, chat["source_address"], printed(chat["created_at"]), entries)


@blueprint.get("/vibers/chats", provide_automatic_options=False)
def viber_chats() -> Response:
    items = [
        {"chat_id": record["chat_id"], "recipient": record["recipient"], "creation_date": printed(record["created_at"])}
        for record in chats.page_of_chats(_door(), page_number(request.args.get("page")))
    ]
    return responses.chats(items)


# SMS JSON API


@blueprint.post("/sms/send", provide_automatic_options=False)
def sms_send() -> Response:
    result = sending.send_sms(_door(), _sms(SmsSendSchema(), body.params()))
    return responses.sms_sent(result.info, result.rejected)


@blueprint.post("/v2/sms/send", provide_automatic_options=False)
def sms_send_personal() -> Response:
    result = sending.send_sms(_door(), _sms(SmsPersonalSchema(), body.params()))
    return responses.sms_sent(result.info, result.rejected)


@blueprint.post("/sms/status", provide_automatic_options=False)
def sms_status() -> Response:
    ids = _sms(SmsStatusSchema(), body.params())["id_sms"]
    info = {}
    for sms_id in dict.fromkeys(ids):
        view = _door().owned(sending.SMS_ID_PREFIX + sms_id)
        if view is not None:
            info[sms_id] = statuses.sms(view)
    return responses.sms_statuses(info)


@blueprint.post("/sms/balance", provide_automatic_options=False)
def sms_balance() -> Response:
    return responses.sms_balance(msg.CURRENCY_FORMAT.format(_door().balance()), _account().currency)


@blueprint.post("/sms/originator", provide_automatic_options=False)
def sms_originators() -> Response:
    return responses.sms_originators(list(_account().senders or ()))
