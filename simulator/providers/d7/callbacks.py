"""Delivery reports (DLR) posted to `report_url` (SMS) or `call_back_url` (Viber).

doc: https://d7networks.com/docs/Messages/Receive_SMS_Postback/ - "this status postback is sent as formData
in the POST method" with request_id, msg_id, recipient, originator, status; the receiver must answer 200.
inferred: Viber's call_back_url gets the same five fields (undocumented). One post per recipient each
time its D7 status word changes; an account setting `callback_format: json` posts compact JSON instead.
"""

from __future__ import annotations

from urllib.parse import urlencode

from simulator.core import lifecycle
from simulator.core.lifecycle import Event
from simulator.core.messages import Message, MessageView
from simulator.core.webhooks import Delivery, RetryPolicy
from simulator.providers.d7 import statuses
from simulator.providers.d7.sending import D7Fields
from simulator.providers.wire import json_bytes

RETRY = RetryPolicy(backoff=(1, 5, 25))  # inferred: undocumented; the receiver "must reply back a HTTP 200 OK"
FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"


def payload(request_id: str, msg_id: str, recipient: str, originator: str | None, status: str) -> dict:
    """The DLR fields in the documented order."""
    return {
        "request_id": request_id,
        "msg_id": msg_id,
        "recipient": recipient,
        "originator": originator or "",
        "status": status,
    }


def encode(fields: dict, style: str) -> tuple[bytes, str]:
    """Body bytes and content type: form data (documented) or compact JSON."""
    if style == "json":
        return json_bytes(fields), JSON_TYPE
    return urlencode(fields).encode("ascii"), FORM_TYPE


def _previous_word(message: Message, event: Event) -> str | None:
    """The word shown just before this event, to post only real changes."""
    before = lifecycle.step_before(message.steps, event)
    return statuses.word(message.channel, before.status, before.reason) if before else None


def build(view: MessageView, event: Event) -> list[Delivery]:
    """The engine's hook: the delivery report for one event of a D7 message, if it changes the status."""
    message = view.message
    record = D7Fields.of(message)
    if event.leg != "primary" or not record.callback_url:
        return []
    word = statuses.word(message.channel, event.status, event.reason)
    if word == _previous_word(message, event):
        return []
    fields = payload(message.group or message.id, message.id, message.recipient, message.sender, word)
    body, content_type = encode(fields, record.callback_format)
    return [Delivery(url=record.callback_url, body=body, headers={"Content-Type": content_type})]
