"""Progress callbacks posted to a message's callback URL, Viber and SMS alike.

doc: https://docs.routee.net/docs/viber-callback - "Your callback service will receive a POST HTTP request
with the following request body for an individual message progress" (template, key order kept).
doc: https://docs.routee.net/docs/callbacks - SMS callbacks: "Each part of a multipart SMS will generate a
new payload" (template, key order kept).
doc: reference/send-single-sms - "If Routee doesn't receive a 200 OK response, it will try to POST again
(up to 5 times)"; inferred: the same for Viber, with these delays.
Strategies (doc: SMS `callback.strategy`): OnChange posts every status change, OnCompletion only
the final outcome.
"""

from __future__ import annotations

from simulator.core import lifecycle
from simulator.core.clock import iso
from simulator.core.lifecycle import Event
from simulator.core.messages import MessageView
from simulator.core.webhooks import Delivery, RetryPolicy
from simulator.providers.routee import messages as m
from simulator.providers.routee.schemas import ON_COMPLETION
from simulator.providers.routee.sending import SMS_CHANNEL, SmsFields, ViberFields
from simulator.providers.routee.statuses import SMS, VIBER, VOCABULARIES, Vocabulary
from simulator.providers.wire import json_bytes

RETRY = RetryPolicy(backoff=(10, 30, 60, 300, 900))
CONTENT_TYPE = "application/json"  # inferred


def _status(view: MessageView, event: Event, vocabulary: Vocabulary) -> dict:
    status = {"name": vocabulary.word(event.status, event.reason)}
    reason = vocabulary.reason_object(event.status, event.reason)
    if reason is not None:
        status["reason"] = reason
    status["updatedDate"] = iso(view.moment(event.after))
    return status


def viber_payload(view: MessageView, event: Event) -> dict:
    message, fields = view.message, ViberFields.of(view.message)
    content = {"text": message.text}
    if fields.image_url:
        content["imageURL"] = fields.image_url
    if fields.action_caption is not None:
        content["viberAction"] = {"caption": fields.action_caption, "targetUrl": fields.action_target}
    campaign = {"campaignTrackingId": message.group, "groups": []} if message.group else {}
    body = {
        "trackingId": message.id,
        **campaign,
        "to": message.recipient,
        "from": message.sender,
        "country": fields.country,
        "status": _status(view, event, VIBER),
        "body": content,
        "ttl": fields.ttl,
    }
    if fields.label is not None:
        body["label"] = fields.label
    if fields.inbound_url is not None:
        body["inboundUrl"] = fields.inbound_url
    body |= {
        "applicationName": fields.application,
        "price": message.cost,
        "direction": m.DIRECTION,
        "originatingService": m.ORIGINATING_SERVICE,
        "createdAt": iso(view.moment(0)),
    }
    return body


def sms_payloads(view: MessageView, event: Event) -> list[dict]:
    """One body per part; inferred: null campaign keys and label left out, as in the send answer."""
    message, fields = view.message, SmsFields.of(view.message)
    status = _status(view, event, SMS)
    bodies = []
    for part, sms_id in enumerate(fields.part_ids, start=1):
        body = {"messageId": message.id, "smsId": sms_id, "part": part, "parts": len(fields.part_ids)}
        if fields.label is not None:
            body["label"] = fields.label
        body |= {
            "to": message.recipient,
            "from": message.sender,
            "country": fields.country,
            "operator": fields.operator,
            "groups": [],
            "status": status,
            "message": message.text,
            "applicationName": fields.application,
            "latency": round(event.after),  # inferred: seconds from the send to this status
            "price": fields.part_price,
            "direction": m.DIRECTION,
            "originatingService": m.SMS_SERVICE,
        }
        bodies.append(body)
    return bodies


def build(view: MessageView, event: Event) -> list[Delivery]:
    """The engine's hook: POSTs when Routee's word for the message changes (per its strategy)."""
    message = view.message
    sms = message.channel == SMS_CHANNEL
    fields = SmsFields.of(message) if sms else ViberFields.of(message)
    if event.leg != "primary" or not fields.callback_url:
        return []
    vocabulary = VOCABULARIES[message.channel]
    word = vocabulary.word(event.status, event.reason)
    before = lifecycle.step_before(message.steps, event)
    if before is not None and word == vocabulary.word(before.status, before.reason):
        return []  # only real changes are posted
    if fields.strategy == ON_COMPLETION and word not in vocabulary.completed:
        return []
    bodies = sms_payloads(view, event) if sms else [viber_payload(view, event)]
    headers = {"Content-Type": CONTENT_TYPE}
    return [Delivery(url=fields.callback_url, body=json_bytes(body), headers=headers) for body in bodies]
