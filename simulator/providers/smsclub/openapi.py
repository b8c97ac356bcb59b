"""SMS Club's operations for its OpenAPI document (providers/openapi.py): bodies from schemas.py."""

from __future__ import annotations

from simulator.providers.openapi import Api, Operation
from simulator.providers.smsclub import schemas

BEARER = "bearer"
PAGE = {"in": "query", "name": "page", "required": False, "schema": {"type": "integer", "minimum": 1}}


API = Api(
    operations=(
        Operation("POST", "/vibers/send", "Send a Viber message", body=schemas.ViberSendSchema, security=BEARER),
        Operation("POST", "/vibers/status", "Viber statuses", body=schemas.ViberStatusSchema, security=BEARER),
        Operation(
            "GET",
            "/vibers/chat",
            "One Viber chat",
            query=schemas.ChatQuerySchema,
            parameters=(PAGE,),
            security=BEARER,
        ),
        Operation(
            "POST",
            "/vibers/chat",
            "Send (as the vendor's send_viber2way.php example does)",
            body=schemas.ViberSendSchema,
            security=BEARER,
        ),
        Operation("GET", "/vibers/chats", "Viber chats", parameters=(PAGE,), security=BEARER),
        Operation("POST", "/sms/send", "Send SMS", body=schemas.SmsSendSchema, security=BEARER),
        Operation("POST", "/v2/sms/send", "Send personal SMS", body=schemas.SmsPersonalSchema, security=BEARER),
        Operation("POST", "/sms/status", "SMS statuses", body=schemas.SmsStatusSchema, security=BEARER),
        Operation("POST", "/sms/balance", "Account balance", security=BEARER),
        Operation("POST", "/sms/originator", "Allowed sender names", security=BEARER),
    ),
    errors='Viber API: {"errorRequest": {"errors": {field: [messages]}}}; SMS API: {"error_request": {"info": ...}}'
    ' (a field -> message map); Yii2 {"name", "message", "code", "status"} for 401/404/405/413/429.',
    security_schemes={BEARER: {"type": "http", "scheme": "bearer"}},
)
