"""D7 bytes: compact JSON, raw UTF-8, keys in D7's order (Starlette JSONResponse)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Response

from simulator.providers.d7 import messages as m
from simulator.providers.wire import bytes_response, json_response

if TYPE_CHECKING:  # sending.py raises errors.py's errors, which answer through this module
    from simulator.providers.d7.sending import Accepted, Report

CONTENT_TYPE = "application/json"  # inferred: Starlette JSONResponse default
PLAIN_TYPE = "text/plain; charset=utf-8"  # inferred: Starlette PlainTextResponse

VIBER_LOG, MESSAGE_LOG = "viber-log", "message-log"  # the two reports, GET /report/v1/<log>/<request_id>
# Per-row keys of each report. doc: seed 002_704e79d5efa74dcf.txt (viber-log); doc: docs/Messages/Get_Status
_ROW_KEYS = {
    VIBER_LOG: ("number_of_viber_message", "viber_cost"),
    MESSAGE_LOG: ("number_of_sms", "sms_cost"),
}


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(payload, status, content_type=CONTENT_TYPE, headers=headers)


def plain(text: str, status: int) -> Response:
    return bytes_response(text.encode("utf-8"), status, content_type=PLAIN_TYPE)


def accepted(sent: Accepted) -> Response:
    # doc: https://d7networks.com/docs/Messages/Send_Message/ 200 example
    return reply({"request_id": sent.request_id, "status": m.ACCEPTED, "created_at": sent.created_at})


def report(found: Report) -> Response:
    """A viber-log or message-log body: one row per recipient, each with its D7 status word."""
    parts_key, cost_key = _ROW_KEYS[found.log]
    return reply(
        {
            "request_id": found.request_id,
            "total_recipients": len(found.rows),
            "channel": found.channel,
            "messages": [
                {
                    "msg_id": row.msg_id,
                    "country": row.country,
                    "recipient": row.recipient,
                    "status": row.status,
                    parts_key: row.parts,
                    cost_key: row.cost,
                    "schedule_time": row.schedule_time,
                }
                for row in found.rows
            ],
        }
    )


def balance(amount: float) -> Response:
    # doc: github mattdanielbrown/D7API-Sample-Codes README; PowerPlatformConnectors D7Messaging swagger
    return reply({"balance": round(amount, 7)})
