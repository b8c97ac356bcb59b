"""Routee's operations for its OpenAPI document (providers/openapi.py).

Routee's bodies are checked by a hand-written checker (schemas.py), not marshmallow yet: the document gives
them as JSON objects without their fields until they are, rather than a hand copy that could drift.
"""

from __future__ import annotations

from simulator.providers.openapi import Api, Operation

BASIC, BEARER = "application", "bearer"
BODY = {"type": "object", "description": "fields as in Routee's documentation (docs.routee.net); not generated yet"}
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
        Operation("POST", "/viber", "Send one Viber message", body=BODY, security=BEARER),
        Operation("POST", "/viber/campaign", "Send a Viber campaign", body=BODY, security=BEARER),
        Operation("GET", "/viber/tracking/{tracking_id}", "Track one Viber message", security=BEARER),
        Operation(
            "GET",
            "/viber/tracking/campaign/{campaign_id}",
            "Track a campaign's messages (a Spring page)",
            parameters=PAGING,
            security=BEARER,
        ),
        Operation("GET", "/sms/tracking/single/{message_id}", "Track one SMS (not simulated: 404)", security=BEARER),
    ),
    errors='{"code", "developerMessage"[, "properties"]} for API errors; OAuth {"error", "error_description"}'
    ' for tokens; Spring {"status", "error", "path"} for unknown paths and methods.',
    security_schemes={BASIC: {"type": "http", "scheme": "basic"}, BEARER: {"type": "http", "scheme": "bearer"}},
)
