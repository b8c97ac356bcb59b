"""D7's operations for its OpenAPI document (providers/openapi.py): bodies from schemas.py."""

from __future__ import annotations

from marshmallow import fields

from simulator.providers.d7 import schemas
from simulator.providers.openapi import Api, Operation

BEARER = "bearer"


def properties(field: fields.Field) -> dict:
    """D7's pydantic-style fields as OpenAPI properties (what a client should send; D7 also coerces)."""
    if isinstance(field, schemas.Choice):
        return {"type": "string", "enum": list(field.values)}
    if isinstance(field, schemas.Str):
        return {"type": "string", **({"maxLength": field.max_length} if field.max_length else {})}
    if isinstance(field, schemas.Int):
        return {"type": "integer"}
    if isinstance(field, schemas.Bool):
        return {"type": "boolean"}
    if isinstance(field, schemas.Instant):
        return {"type": "string", "format": "date-time"}
    if isinstance(field, schemas.Recipients):
        return {"type": "array", "items": {"type": "string"}, "minItems": 1}
    if isinstance(field, schemas.ModelList):
        return {"minItems": 1}
    return {}


API = Api(
    operations=(
        Operation("POST", "/viber/v1/send", "Send Viber messages", body=schemas.ViberRequest, security=BEARER),
        Operation("POST", "/messages/v1/send", "Send SMS messages", body=schemas.SmsRequest, security=BEARER),
        Operation("GET", "/report/v1/viber-log/{request_id}", "Viber delivery report", security=BEARER),
        Operation("GET", "/report/v1/message-log/{request_id}", "SMS delivery report", security=BEARER),
        Operation("GET", "/messages/v1/balance", "Account balance", security=BEARER),
    ),
    errors='JSON {"detail": ...}: a {"code", "message"} object, a text, or FastAPI 422 items'
    ' [{"loc", "msg", "type"}]; 500 is the text "Internal Server Error".',
    security_schemes={BEARER: {"type": "http", "scheme": "bearer"}},
    properties=properties,
)
