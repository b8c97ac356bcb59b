"""json.php's one operation for its OpenAPI document (providers/openapi.py): an envelope of typed items, each
item's fields from schemas.py, the item types from routes.HANDLERS."""

from __future__ import annotations

from simulator.providers.jsonphp.routes import ANY_METHOD, HANDLERS
from simulator.providers.openapi import Api, Operation, schema_name


def _item(request_type: str, schema: type) -> dict:
    typed = {"type": "object", "properties": {"type": {"type": "string", "enum": [request_type]}}, "required": ["type"]}
    return {"allOf": [{"$ref": f"#/components/schemas/{schema_name(schema)}"}, typed]}


ENVELOPE = {
    "type": "object",
    "properties": {
        "auth": {"type": "string", "description": "the account's API key"},
        "data": {
            "type": "array",
            "items": {"oneOf": [_item(request_type, schema) for request_type, (schema, _) in HANDLERS.items()]},
        },
    },
    "required": ["auth", "data"],
}

API = Api(
    operations=(
        Operation(
            "POST",
            "/api/json.php",
            "Every request type in one batch: send (sms, viber, rcs, telegram, voice, pipeline, call/otp), status,"
            " hlr, balance",
            body=ENVELOPE,
            success="always 200: {success, data: [one answer per item]}, or {success: false, error} for the envelope",
        ),
        *(
            Operation(method, "/api/json.php", "Refused as an invalid request: only a POST body is read")
            for method in ANY_METHOD
            if method not in ("POST", "OPTIONS")
        ),
    ),
    errors='HTTP 200 with {"success": false, "error": text} for the whole request, or {"success": false,'
    ' "error": text} per item in "data".',
    components={schema_name(schema): schema for schema, _ in HANDLERS.values()},
)
