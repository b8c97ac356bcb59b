"""Routee routes (under /routee, or at the real paths on auth.routee.net and connect.routee.net).

Order of checks: bearer token (401/403), then the body (400), then lookups (404) and money (400).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.accounts import Account
from simulator.core.clock import LATEST, iso, parse_instant
from simulator.core.doors import Draft
from simulator.providers import dialing
from simulator.providers.routee import auth, callbacks, errors, pricing, responses, schemas
from simulator.providers.routee import messages as m

blueprint = Blueprint("routee", __name__)

VIBER_SCOPE, SMS_SCOPE = "viber", "sms"
PAGE_SIZE, MAX_PAGE_SIZE = 20, 2000  # inferred: Spring Data defaults


def _application(account: Account) -> str:
    return account.settings.get("application_name", m.DEFAULT_APPLICATION)


def _json_body() -> dict:
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise errors.RouteeError(400, m.VALIDATION) from None
    return schemas.decode(raw)


def _sender(account: Account, tracking_id: str) -> str:
    senders = account.settings.get("senders", {})
    if tracking_id not in senders:
        raise errors.RouteeError(404, m.SENDER_NOT_FOUND)
    return senders[tracking_id]


def _draft(account: Account, data: dict, recipient: str, sender: str, tracking_id: str, **extra) -> Draft:
    body = data["body"]
    country = dialing.country(recipient)
    ttl = data.get("ttl") or schemas.DEFAULT_TTL
    callback = data.get("callback") or {"url": data.get("callbackUrl"), "strategy": callbacks.ON_CHANGE}
    return Draft(
        id=tracking_id,
        channel="viber",
        recipient=recipient,
        sender=sender,
        text=body.get("text"),
        cost=pricing.price(country, account.settings.get("prices")),
        lifetime=float(ttl),
        group=extra.pop("group", None),
        start_at=extra.pop("start_at", None),
        attrs={
            "country": country,
            "ttl": int(ttl),
            "body": body,
            "callbackUrl": callback["url"],
            "strategy": callback["strategy"],
            "inboundUrl": data.get("inboundUrl"),
            "label": data.get("label"),
            "sessionMessage": bool(data.get("isSessionMessage", False)),
            "expireOnDelivery": bool(data.get("expireOnDelivery", False)),
            "applicationName": _application(account),
            **extra,
        },
    )


@blueprint.post("/oauth/token")
def token() -> Response:
    issued = auth.issue(request.values.get("grant_type"), request.values.get("scope"))
    return responses.token(issued.value, issued.expires_in, issued.scopes, auth.permissions(issued.account))


@blueprint.post("/viber")
def send() -> Response:
    door = auth.account(VIBER_SCOPE)
    account = door.account
    data = schemas.single(_json_body())
    sender = _sender(account, data["senderInfoTrackingId"])
    [message] = door.submit([_draft(account, data, data["to"], sender, door.ids.uuid4())])
    return responses.sent(message.at(door.now()), _application(account))


@blueprint.get("/viber/tracking/<tracking_id>")
def track(tracking_id: str) -> Response:
    door = auth.account(VIBER_SCOPE)
    view = door.owned(tracking_id)
    if view is None:
        raise errors.RouteeError(404, m.VIBER_TRACKING_NOT_FOUND)
    return responses.tracking(view, _application(door.account))


def _scheduled(value: str | None) -> float | None:
    if not value:
        return None
    try:
        at = parse_instant(value).timestamp()
    except (ValueError, OverflowError):
        raise errors.invalid({"scheduledDate": m.NOT_A_STRING}) from None
    if at > LATEST:  # a date the simulated clock can never reach
        raise errors.invalid({"scheduledDate": m.TOO_FAR_AHEAD})
    return at


@blueprint.post("/viber/campaign")
def send_campaign() -> Response:
    door = auth.account(VIBER_SCOPE)
    account = door.account
    data = schemas.campaign(_json_body())
    sender = _sender(account, data["senderInfoTrackingId"])
    start_at = _scheduled(data.get("scheduledDate"))
    campaign_id = door.ids.uuid4()
    name = data.get("campaignName")
    submissions = [
        _draft(
            account,
            data,
            number,
            sender,
            door.ids.uuid4(),
            group=campaign_id,
            start_at=start_at,
            index=index,
            campaignName=name,
        )
        for index, number in enumerate(dict.fromkeys(data["to"]))
    ]
    door.submit(submissions)
    record = {
        "trackingId": campaign_id,
        "account": account.name,
        "state": m.CAMPAIGN_SCHEDULED if start_at and start_at > door.now() else m.CAMPAIGN_QUEUED,
        "createdAt": iso(door.moment()),
        "scheduledDate": data.get("scheduledDate"),
        "to": list(dict.fromkeys(data["to"])),
        "campaignName": name,
    }
    door.put_record("campaign", campaign_id, record)
    return responses.campaign_created(record)


def _page_argument(name: str, default: int, low: int, high: int) -> int:
    """Spring's pageable resolver: an unusable value falls back to the default, a large one is capped."""
    raw = request.args.get(name, "")
    if not raw.lstrip("-").isdigit():
        return default
    value = int(raw)
    return default if value < low else min(value, high)


@blueprint.get("/viber/tracking/campaign/<campaign_id>")
def track_campaign(campaign_id: str) -> Response:
    door = auth.account(VIBER_SCOPE)
    record = door.get_record("campaign", campaign_id)
    if record is None or record["account"] != door.account.name:
        raise errors.RouteeError(404, m.CAMPAIGN_NOT_FOUND)
    number = _page_argument("page", 0, 0, 10**9)
    size = _page_argument("size", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    found = door.in_group(campaign_id, limit=size, offset=number * size)  # in submission order: by index
    items = [responses.campaign_item(view, _application(door.account)) for view in found.views]
    return responses.page(items, number, size, found.total)


@blueprint.get("/sms/tracking/single/<message_id>")
def track_sms(message_id: str) -> Response:
    auth.account(SMS_SCOPE)
    raise errors.RouteeError(404, m.SMS_TRACKING_NOT_FOUND)  # SMS sending is not simulated
