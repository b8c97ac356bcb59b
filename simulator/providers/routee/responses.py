"""Routee bytes: compact JSON in documented order (Jackson/Spring)."""

from __future__ import annotations

from flask import Response

from simulator.core.clock import iso
from simulator.core.messages import MessageView
from simulator.providers.routee import messages as m
from simulator.providers.routee import statuses
from simulator.providers.wire import json_response

CONTENT_TYPE = "application/json;charset=UTF-8"  # inferred: Spring MVC default


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(payload, status, content_type=CONTENT_TYPE, headers=headers)


def status_date(view: MessageView) -> str:
    """When the current status began (the message's creation while nothing happened yet)."""
    return iso(view.status_changed_at or view.moment(0))


def _media(body: dict, image_key: str, action_key: str, file_keys: tuple[str, ...], video_key: str) -> dict:
    """The optional media objects of a message, spelled as the endpoint at hand spells them (spec §4.2)."""
    shown = {}
    if body.get("imageURL"):
        shown[image_key] = body["imageURL"]
    if body.get("action"):
        shown[action_key] = {"caption": body["action"]["caption"], "targetUrl": body["action"]["targetUrl"]}
    if body.get("viberFile"):
        source = body["viberFile"]
        shown["viberFile"] = dict(
            zip(file_keys, (source["fileName"], source["fileType"], source["fileURL"]), strict=True)
        )
    if body.get("viberVideo"):
        video = body["viberVideo"]
        shown["viberVideo"] = {
            video_key: video["videoURL"],
            "videoThumbnail": video["videoThumbnail"],
            "fileSize": video["fileSize"],
            "duration": video["duration"],
        }
    return shown


def _status(view: MessageView) -> dict:
    """{status, reason?, date}: the reason is left out while the message is queued or sent (inferred)."""
    shown = {"status": statuses.word(view.status, view.reason)}
    reason = statuses.detail(view.status, view.reason)
    if reason is not None:
        shown["reason"] = {"detailedStatus": reason[0], "description": reason[1]}
    shown["date"] = status_date(view)
    return shown


def sent(view: MessageView, application: str) -> Response:
    """POST /viber. doc: reference/send-a-viber-single-message response keys, in order."""
    message, attrs = view.message, view.message.attrs
    body = {
        "trackingId": message.id,
        "to": message.recipient,
        "from": message.sender,
        "country": attrs["country"],
        "status": {"status": statuses.word(view.status, view.reason), "date": status_date(view)},
        "applicationName": application,
        "direction": m.DIRECTION,
        "ttl": str(attrs["ttl"]),
        "message": message.text,
        **_media(attrs["body"], "imageUrl", "viberAction", ("fileName", "fileType", "fileUrl"), "videoURL"),
        "callbackUrl": attrs.get("callbackUrl"),
        "inboundUrl": attrs.get("inboundUrl"),
        "sessionMessage": attrs["sessionMessage"],
    }
    return reply(body)


def tracking(view: MessageView, application: str) -> Response:
    """GET /viber/tracking/{id}. doc: seed 003_a5d0de4b067cd165.txt key order."""
    message, attrs = view.message, view.message.attrs
    body = {
        "trackingId": message.id,
        "to": message.recipient,
        "from": message.sender,
        "country": attrs["country"],
        "status": _status(view),
        "applicationName": application,
        "originatingService": m.ORIGINATING_SERVICE,
        "direction": m.DIRECTION,
        "ttl": str(attrs["ttl"]),
        "message": message.text,
        "price": message.cost,
        **_media(attrs["body"], "imageURL", "viberAction", ("fileName", "fileType", "fileUrl"), "videoURL"),
        "sessionMessage": attrs["sessionMessage"],
        "expireOnDelivery": attrs["expireOnDelivery"],
    }
    return reply(body)


def campaign_item(view: MessageView, application: str) -> dict:
    """One message of a campaign. doc: reference/retrieve-viber-tracking-by-campaign key order."""
    message, attrs = view.message, view.message.attrs
    status = _status(view)
    reason = {"reason": status["reason"]} if "reason" in status else {}
    return {
        "trackingId": message.id,
        "to": message.recipient,
        "from": message.sender,
        "groups": [],
        "country": attrs["country"],
        "status": {"status": status["status"], "date": status["date"], **reason},  # doc: this order here
        "campaign": attrs.get("campaignName"),
        "campaignTrackingId": message.group,
        "applicationName": application,
        "originatingService": m.ORIGINATING_SERVICE,
        "direction": m.DIRECTION,
        "ttl": str(attrs["ttl"]),
        "message": message.text,
        **_media(attrs["body"], "imageUrl", "viberAction", ("fileName", "fileType", "fileUrl"), "videoUrl"),
    }


def campaign_created(record: dict) -> Response:
    # inferred: Routee's SMS campaign shape (the Viber one is not retrievable)
    return reply(
        {
            "trackingId": record["trackingId"],
            "type": m.CAMPAIGN_TYPE,
            "state": record["state"],
            "createdAt": record["createdAt"],
            "scheduledDate": record["scheduledDate"],
            "to": record["to"],
            "campaignName": record["campaignName"],
        }
    )


def page(items: list[dict], number: int, size: int, total: int) -> Response:
    """A Spring Data page. inferred: Spring's Page JSON."""
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
