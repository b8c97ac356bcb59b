"""D7's operations for its OpenAPI document (providers/openapi.py): bodies from schemas.py."""

from __future__ import annotations

from simulator.providers.d7 import schemas
from simulator.providers.openapi import Api, Operation

BEARER = "bearer"


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
)
