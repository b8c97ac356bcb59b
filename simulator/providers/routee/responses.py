"""Routee bytes: compact JSON in documented order (Jackson/Spring)."""

from __future__ import annotations

from flask import Response

from simulator.core.clock import iso
from simulator.core.doors import ViewPage
from simulator.core.messages import Message, MessageView
from simulator.providers import sms_parts
from simulator.providers.routee import messages as m
from simulator.providers.routee import sending
from simulator.providers.routee.sending import Campaign, SmsFields, ViberFields
from simulator.providers.routee.statuses import SMS, VIBER
from simulator.providers.wire import json_response

CONTENT_TYPE = "application/json;charset=UTF-8"  # inferred: Spring MVC default


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(payload, status, content_type=CONTENT_TYPE, headers=headers)


def status_date(view: MessageView) -> str:
    """When the current status began (the message's creation while nothing happened yet)."""
    return iso(view.status_changed_at or view.moment(0))


def _media(record: ViberFields, image_key: str, video_key: str) -> dict:
    """The optional media objects of a message, spelled as the endpoint at hand spells them (spec §4.2)."""
    shown = {}
    if record.image_url:
        shown[image_key] = record.image_url
    if record.action_caption is not None:
        shown["viberAction"] = {"caption": record.action_caption, "targetUrl": record.action_target}
    if record.file_name is not None:
        shown["viberFile"] = {"fileName": record.file_name, "fileType": record.file_type, "fileUrl": record.file_url}
    if record.video_url is not None:
        shown["viberVideo"] = {
            video_key: record.video_url,
            "videoThumbnail": record.video_thumbnail,
            "fileSize": record.video_size,
            "duration": record.video_duration,
        }
    return shown


def _status(view: MessageView) -> dict:
    """{status, reason?, date}: the reason is left out while the message is queued or sent (inferred)."""
    shown = {"status": VIBER.word(view.status, view.reason)}
    reason = VIBER.reason_object(view.status, view.reason)
    if reason is not None:
        shown["reason"] = reason
    shown["date"] = status_date(view)
    return shown


def _addressed(message: Message) -> dict:
    """The keys every Viber body starts with, in the documented order."""
    return {"trackingId": message.id, "to": message.recipient, "from": message.sender}


def viber_sent(view: MessageView) -> Response:
    """POST /viber. doc: reference/send-a-viber-single-message response keys, in order."""
    message, record = view.message, ViberFields.of(view.message)
    body = {
        **_addressed(message),
        "country": record.country,
        "status": {"status": VIBER.word(view.status, view.reason), "date": status_date(view)},
        "applicationName": record.application,
        "direction": m.DIRECTION,
        "ttl": str(record.ttl),
        "message": message.text,
        **_media(record, "imageUrl", "videoURL"),
        "callbackUrl": record.callback_url,
        "inboundUrl": record.inbound_url,
        "sessionMessage": record.session_message,
    }
    return reply(body)


def viber_tracking(view: MessageView) -> Response:
    """GET /viber/tracking/{id}. doc: seed 003_a5d0de4b067cd165.txt key order."""
    message, record = view.message, ViberFields.of(view.message)
    body = {
        **_addressed(message),
        "country": record.country,
        "status": _status(view),
        "applicationName": record.application,
        "originatingService": m.ORIGINATING_SERVICE,
        "direction": m.DIRECTION,
        "ttl": str(record.ttl),
        "message": message.text,
        "price": message.cost,
        **_media(record, "imageURL", "videoURL"),
        "sessionMessage": record.session_message,
        "expireOnDelivery": record.expire_on_delivery,
    }
    return reply(body)


def _campaign_item(view: MessageView) -> dict:
    """One message of a campaign. doc: reference/retrieve-viber-tracking-by-campaign key order."""
    message, record = view.message, ViberFields.of(view.message)
    status = _status(view)
    reason = {"reason": status["reason"]} if "reason" in status else {}
    return {
        **_addressed(message),
        "groups": [],
        "country": record.country,
        "status": {"status": status["status"], "date": status["date"], **reason},  # doc: this order here
        "campaign": record.campaign_name,
        "campaignTrackingId": message.group,
        "applicationName": record.application,
        "originatingService": m.ORIGINATING_SERVICE,
        "direction": m.DIRECTION,
        "ttl": str(record.ttl),
        "message": message.text,
        **_media(record, "imageUrl", "videoUrl"),
    }


def campaign_created(campaign: Campaign) -> Response:
    # inferred: Routee's SMS campaign shape (the Viber one is not retrievable)
    return reply(
        {
            "trackingId": campaign.tracking_id,
            "type": m.CAMPAIGN_TYPE,
            "state": campaign.state,
            "createdAt": campaign.created_at,
            "scheduledDate": campaign.scheduled_date,
            "to": campaign.to,
            "campaignName": campaign.name,
        }
    )


def campaign_page(found: ViewPage, number: int, size: int) -> Response:
    """A Spring Data page of a campaign's messages. inferred: Spring's Page JSON."""
    items = [_campaign_item(view) for view in found.views]
    total = found.total
    pages = (total + size - 1) // size
    return reply(
        {
            "content": items,
            "totalPages": pages,
            "totalElements": total,
            "last": number >= pages - 1,
            "numberOfElements": len(items),
            "first": number == 0,
            "sort": None,
            "size": size,
            "number": number,
        }
    )


def _analysis(text: str) -> dict:
    """doc: reference/send-single-sms bodyAnalysis keys, in order; `transcode` only when it can be."""
    found = sending.analyse(text)
    shown: dict = {"characters": found.characters, "parts": found.parts}
    if found.transcoded is not None:
        shown["transcode"] = {"message": found.transcoded, "parts": sms_parts.count(found.transcoded)}
    shown |= {"unicode": found.unicode, "unsupportedGSMCharacters": found.unsupported}
    return shown


def sms_sent(view: MessageView) -> Response:
    """POST /sms. doc: reference/send-single-sms response keys, in order; inferred: null ones left out
    (Jackson NON_NULL: the Routee Java SDK reads `label` and `callback` only "if has")."""
    message, fields = view.message, SmsFields.of(view.message)
    body = {
        "trackingId": message.id,
        "createdAt": iso(view.moment(0)),
        "from": message.sender,
        "to": message.recipient,
        "body": message.text,
        "status": SMS.word(view.status, view.reason),
    }
    if fields.label is not None:
        body["label"] = fields.label
    body |= {"bodyAnalysis": _analysis(message.text), "flash": fields.flash}
    if fields.callback_url is not None:
        body["callback"] = {"url": fields.callback_url, "strategy": fields.strategy}
    body["ttl"] = fields.ttl
    return reply(body)


def _latency(view: MessageView) -> int:
    """Seconds from the send to the status shown (inferred: the docs say only "overall delivery latency")."""
    return round(view.state.since or 0)


def sms_tracking(view: MessageView) -> Response:
    """GET /sms/tracking/single/{id}: one item per part. doc: reference/smstrackingsingle keys, in order;
    sdk: the C# Routee SDKs read a list; inferred: `campaign` and a null `label` left out."""
    message, fields = view.message, SmsFields.of(view.message)
    status = {"date": status_date(view), "status": SMS.word(view.status, view.reason)}
    reason = SMS.reason_object(view.status, view.reason)
    if reason is not None:
        status["reason"] = reason
    items = []
    for part, sms_id in enumerate(fields.part_ids, start=1):
        item = {
            "applicationName": fields.application,
            "country": fields.country,
            "smsId": sms_id,
            "messageId": message.id,
            "groups": [],
            "body": message.text,
            "operator": fields.operator,
            "originatingService": m.SMS_SERVICE,
            "to": message.recipient,
            "latency": _latency(view),
            "parts": len(fields.part_ids),
            "part": part,
            "price": fields.part_price,
        }
        if fields.label is not None:
            item["label"] = fields.label
        item |= {"status": status, "from": message.sender, "direction": m.DIRECTION}
        items.append(item)
    return reply(items)


def balance(amount: float, currency: str) -> Response:
    """GET /accounts/me/balance. sdk: ufairiya/routeesdk Accounts.php retrieveAccountBal keys, in order."""
    name, sign = m.CURRENCIES.get(currency, (currency, currency))
    return reply({"balance": round(amount, 6), "currency": {"code": currency, "name": name, "sign": sign}})


def token(value: str, expires_in: int, scopes: tuple[str, ...], permissions: list[str]) -> Response:
    # doc: reference/authentication response parameters, in order
    return reply(
        {
            "access_token": value,
            "token_type": m.TOKEN_TYPE,
            "expires_in": expires_in,
            "scope": " ".join(scopes),
            "permissions": permissions,
        }
    )
