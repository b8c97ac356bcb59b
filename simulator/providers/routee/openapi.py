"""Routee's operations for its OpenAPI document (providers/openapi.py): bodies from schemas.py."""

from __future__ import annotations

from simulator.providers.openapi import Api, Operation
from simulator.providers.routee import schemas

BASIC, BEARER = "application", "bearer"
TOKEN_FORM = {
    "type": "object",
    "properties": {"grant_type": {"type": "string", "enum": ["client_credentials"]}, "scope": {"type": "string"}},
    "required": ["grant_type"],
}
PAGING = tuple(
    {"in": "query", "name": name, "required": False, "schema": {"type": "integer", "minimum": low}}
    for name, low in (("page", 0), ("size", 1))
)


API = Api(
    operations=(
        Operation(
            "POST",
            "/oauth/token",
            "An access token for the application (Basic application id / secret)",
            body=TOKEN_FORM,
            media_type="application/x-www-form-urlencoded",
            security=BASIC,
        ),
        Operation("POST", "/viber", "Send one Viber message", body=schemas.ViberSendSchema, security=BEARER),
        Operation("POST", "/viber/campaign", "Send a campaign", body=schemas.ViberCampaignSchema, security=BEARER),
        Operation("GET", "/viber/tracking/{tracking_id}", "Track one Viber message", security=BEARER),
        Operation(
            "GET",
            "/viber/tracking/campaign/{campaign_id}",
            "Track a campaign's messages (a Spring page)",
            parameters=PAGING,
            security=BEARER,
        ),
        Operation("POST", "/sms", "Send one SMS", body=schemas.SmsSendSchema, security=BEARER),
        Operation("GET", "/sms/tracking/single/{message_id}", "Track one SMS, one item per part", security=BEARER),
        Operation("GET", "/accounts/me/balance", "Account balance", security=BEARER),
    ),
    errors='{"code", "developerMessage"[, "properties"]} for API errors; OAuth {"error", "error_description"}'
    ' for tokens; Spring {"status", "error", "path"} for unknown paths and methods.',
    security_schemes={BASIC: {"type": "http", "scheme": "basic"}, BEARER: {"type": "http", "scheme": "bearer"}},
)
