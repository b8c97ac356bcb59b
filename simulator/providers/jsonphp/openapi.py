"""json.php's one operation for its OpenAPI document (providers/openapi.py): an envelope of typed items, each
item's fields from schemas.py, the item types from routes.HANDLERS."""

from __future__ import annotations

from marshmallow import fields

from simulator.providers.jsonphp import schemas
from simulator.providers.jsonphp.routes import ANY_METHOD, HANDLERS
from simulator.providers.openapi import Api, Operation, schema_name


def properties(field: fields.Field) -> dict:
    """json.php's PHP-style fields as OpenAPI properties (what a client should send)."""
    if isinstance(field, schemas.ClientId | schemas.Phone):
        return {"oneOf": [{"type": "integer"}, {"type": "string"}]}
    if isinstance(field, schemas.Lifetime):
        return {"type": "integer", "minimum": 1}
    if isinstance(field, schemas.OneOf):
        return {"type": "string", "enum": list(field.choices)}
    if isinstance(field, schemas.Flag):
        return {"type": "boolean"}
    if isinstance(field, schemas.Text | schemas.Hook):
        return {"type": "string"}
    if isinstance(field, schemas._Pipeline):
        channels = {"type": "string", "enum": list(schemas.PIPELINE_CHANNELS)}
        return {"type": "array", "items": channels, "minItems": 1, "uniqueItems": True}
    return {}


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
    properties=properties,
    components={schema_name(schema): schema for schema, _ in HANDLERS.values()},
)
