"""json.php bytes: PHP json_encode defaults (slashes and non-ASCII escaped), compact, HTTP 200.

Key order is the order the dicts are built in here, as in the docs' examples.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Response

from simulator.core import statuses as canonical
from simulator.core.lifecycle import Reply
from simulator.core.messages import MessageView
from simulator.providers.jsonphp import messages, statuses
from simulator.providers.wire import json_bytes, json_response

CONTENT_TYPE = "application/json"  # doc: seeds say "Content Type: JSON application/json"
LOCAL_TIME = ZoneInfo(messages.TIME_ZONE)

Item = dict  # one answer in the response's `data` list


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(
        payload, status, content_type=CONTENT_TYPE, headers=headers, ensure_ascii=True, escape_slashes=True
    )


def encode(payload: object) -> bytes:
    """The same bytes as `reply`, for callback bodies."""
    return json_bytes(payload, ensure_ascii=True, escape_slashes=True)


def answered(items: list[Item]) -> Response:
    """The envelope: top-level success even when some items failed. doc: seeds 000/001, docs "Multi channel"."""
    return reply({"success": True, "data": items})


def refused(error: str) -> Response:
    """A top-level failure has no `data`. doc: seeds 000/001 "Access denied" tab."""
    return reply({"success": False, "error": error})


def item_ok(data: dict) -> Item:
    return {"success": True, "data": data}


def item_error(error: str, client_id: object = None) -> Item:
    """doc: docs page "Multi channel" tab "Error in Alpha-name": success, error, data{id}."""
    item: Item = {"success": False, "error": error}
    if client_id is not None:
        item["data"] = {"id": client_id}
    return item


def sent(client_id: object, msg_id: int, parts: int) -> dict:
    """doc: docs pages "Send SMS" and "Multi channel"; the inner `data` is undocumented and always 1."""
    return {"id": client_id, "msg_id": msg_id, "data": 1, "parts": parts}


def balance(amount: float, currency: str) -> dict:
    """doc: docs page "Balance check"; amounts carry at most 4 decimals."""
    return {"amount": round(amount, 4), "currency": currency}


def voice_otp(client_id: object, code: str, price: float) -> dict:
    """sdk: wearesho-team/alphasms-message-delivery src/VoiceOtp/Response.php (code, price); the id echo
    (only when sent) and the key order are inferred."""
    data = {"id": client_id} if client_id is not None else {}
    return {**data, "code": code, "price": price}


def status(view: MessageView, client_id: object, report_type: str, word: str) -> dict:
    """doc: seeds 001/000: id, type, status, and replies once the recipient replied."""
    data = {"id": client_id, "type": report_type, "status": word}
    if word == statuses.STATUSES[canonical.REPLIED]:
        data["replies"] = [_reply(view, reply) for reply in view.replies]
    return data


def _reply(view: MessageView, reply: Reply) -> dict:
    item: dict = {"datetime": view.moment(reply.after).astimezone(LOCAL_TIME).isoformat(timespec="seconds")}
    if reply.text is not None:
        item["message"] = reply.text
    if reply.media is not None:
        item["media"] = {"url": reply.media.url, "filename": reply.media.filename, "filesize": reply.media.filesize}
    return item
