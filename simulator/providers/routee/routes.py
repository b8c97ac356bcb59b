"""Routee routes (under /routee, or at the real paths on auth.routee.net and connect.routee.net): HTTP in
and out only; the rules live in sending.py.

Order of checks: bearer token (401/403), then the body (400), then lookups (404) and money (400).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.providers.routee import auth, errors, responses, schemas, sending
from simulator.providers.routee import messages as m

blueprint = Blueprint("routee", __name__)

VIBER_SCOPE, SMS_SCOPE = "viber", "sms"
PAGE_SIZE, MAX_PAGE_SIZE = 20, 2000  # inferred: Spring Data defaults


def _json_body() -> dict:
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise errors.RouteeError(400, m.VALIDATION) from None
    return schemas.decode(raw)


def _page_argument(name: str, default: int, low: int, high: int) -> int:
    """Spring's pageable resolver: an unusable value falls back to the default, a large one is capped."""
    raw = request.args.get(name, "")
    if not raw.lstrip("-").isdigit():
        return default
    value = int(raw)
    return default if value < low else min(value, high)


@blueprint.post("/oauth/token")
def token() -> Response:
    issued = auth.issue(request.values.get("grant_type"), request.values.get("scope"))
    return responses.token(issued.value, issued.expires_in, issued.scopes, auth.permissions(issued.account))


@blueprint.post("/viber")
def viber_send() -> Response:
    door = auth.account(VIBER_SCOPE)
    return responses.viber_sent(sending.send_viber(door, schemas.viber_send(_json_body())))


@blueprint.get("/viber/tracking/<tracking_id>")
def viber_tracking(tracking_id: str) -> Response:
    door = auth.account(VIBER_SCOPE)
    return responses.viber_tracking(sending.tracked(door, sending.VIBER_CHANNEL, tracking_id))


@blueprint.post("/viber/campaign")
def viber_campaign() -> Response:
    door = auth.account(VIBER_SCOPE)
    return responses.campaign_created(sending.send_viber_campaign(door, schemas.viber_campaign(_json_body())))


@blueprint.get("/viber/tracking/campaign/<campaign_id>")
def viber_campaign_tracking(campaign_id: str) -> Response:
    door = auth.account(VIBER_SCOPE)
    number = _page_argument("page", 0, 0, 10**9)
    size = _page_argument("size", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return responses.campaign_page(sending.campaign_messages(door, campaign_id, size, number * size), number, size)


@blueprint.post("/sms")
def sms_send() -> Response:
    door = auth.account(SMS_SCOPE)
    return responses.sms_sent(sending.send_sms(door, schemas.sms_send(_json_body())))


@blueprint.get("/sms/tracking/single/<message_id>")
def sms_tracking(message_id: str) -> Response:
    door = auth.account(SMS_SCOPE)
    return responses.sms_tracking(sending.tracked(door, sending.SMS_CHANNEL, message_id))


@blueprint.get("/accounts/me/balance")
def balance() -> Response:
    door = auth.account()  # inferred: any valid token reads its account's balance
    return responses.balance(door.balance(), door.account.currency)
