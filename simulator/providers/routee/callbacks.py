"""Viber progress callbacks posted to `callbackUrl`.

doc: https://docs.routee.net/docs/viber-callback - "Your callback service will receive a POST HTTP request
with the following request body for an individual message progress" (template, key order kept).
doc: reference/send-single-sms - "If Routee doesn't receive a 200 OK response, it will try to POST again
(up to 5 times)"; inferred: the same for Viber, with these delays.
Strategies (doc: SMS `callback.strategy`): OnChange posts every status change, OnCompletion only
the final outcome.
"""

from __future__ import annotations

from simulator.core import lifecycle
from simulator.core.clock import iso
from simulator.core.lifecycle import Event
from simulator.core.messages import Message, MessageView
from simulator.core.webhooks import Delivery, RetryPolicy
from simulator.providers.routee import messages as m
from simulator.providers.routee import records, statuses
from simulator.providers.routee.records import ON_COMPLETION
from simulator.providers.wire import json_bytes

RETRY = RetryPolicy(backoff=(10, 30, 60, 300, 900))
CONTENT_TYPE = "application/json"  # inferred


def _previous_word(message: Message, event: Event) -> str | None:
    """The word shown just before this event, to post only real changes."""
    before = lifecycle.step_before(message.steps, event)
    return statuses.word(before.status, before.reason) if before else None


def payload(view: MessageView, event: Event) -> dict:
    message, record = view.message, records.viber(view.message)
    reason = statuses.detail(event.status, event.reason)
    status = {"name": statuses.word(event.status, event.reason)}
    if reason is not None:
        status["reason"] = {"detailedStatus": reason[0], "description": reason[1]}
    status["updatedDate"] = iso(view.moment(event.after))
    content = {"text": message.text}
    if record.image_url:
        content["imageURL"] = record.image_url
    if record.action_caption is not None:
        content["viberAction"] = {"caption": record.action_caption, "targetUrl": record.action_target}
    campaign = {"campaignTrackingId": message.group, "groups": []} if message.group else {}
    body = {
        "trackingId": message.id,
        **campaign,
        "to": message.recipient,
        "from": message.sender,
        "country": record.country,
        "status": status,
        "body": content,
        "ttl": record.ttl,
    }
    if record.label is not None:
        body["label"] = record.label
    if record.inbound_url is not None:
        body["inboundUrl"] = record.inbound_url
    body |= {
        "applicationName": record.application,
        "price": message.cost,
        "direction": m.DIRECTION,
        "originatingService": m.ORIGINATING_SERVICE,
        "createdAt": iso(view.moment(0)),
    }
    return body


def build(view: MessageView, event: Event) -> list[Delivery]:
    """The engine's hook: one POST when Routee's word for the message changes (per its strategy)."""
    message = view.message
    record = records.viber(message)
    if event.leg != "primary" or not record.callback_url:
        return []
    word = statuses.word(event.status, event.reason)
    if word == _previous_word(message, event):
        return []
    if record.strategy == ON_COMPLETION and word not in statuses.COMPLETED:
        return []
    body = json_bytes(payload(view, event))
    return [Delivery(url=record.callback_url, body=body, headers={"Content-Type": CONTENT_TYPE})]
