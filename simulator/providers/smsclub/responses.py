"""SMS Club bytes: compact JSON, raw UTF-8, unescaped slashes (Yii2 JsonResponseFormatter), keys as built.

The document's examples are not valid JSON (a leading "}", trailing commas, missing outer braces);
these are the objects they show, as valid JSON [providers/smsclub.md §0].
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import Response

from simulator.providers.smsclub import messages as msg
from simulator.providers.smsclub.schemas import LOCAL_TIME
from simulator.providers.wire import json_response

if TYPE_CHECKING:
    from simulator.providers.smsclub.chats import Entry

CONTENT_TYPE = "application/json; charset=UTF-8"  # inferred: Yii2 default


def reply(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(payload, status, content_type=CONTENT_TYPE, headers=headers)


def _viber_ok(data: object) -> Response:
    return reply({"successfulRequest": {"requestData": data}})


def _sms_ok(info: object, add_info: dict | None = None) -> Response:
    body: dict = {"info": info}
    if add_info:
        body["add_info"] = add_info
    return reply({"success_request": body})


def _map_or_list(items: dict) -> dict | list:
    return items or []  # PHP json_encode prints an empty array as [] (inferred: PHP server)


def viber_sent(sent, recipients) -> Response:
    """POST /vibers/send [seed 004]; additionalInfo only when a number was left out, with non-empty lists."""
    messages = []
    for item in sent:
        entry = {"number": item.number, "id": item.id}
        if item.chat_id is not None:
            entry["chat_id"] = item.chat_id
        messages.append(entry)
    data: dict = {"messages": messages}
    additional = {}
    if recipients.incorrect:
        additional["incorrectPhones"] = recipients.incorrect
    if recipients.blacklisted:
        additional["blackList"] = recipients.blacklisted
    if additional:
        data["additionalInfo"] = additional
    return _viber_ok(data)


def viber_statuses(rows: list[tuple[str, str, str | None, str | None]]) -> Response:
    """POST /vibers/status [seed 004]: id -> status, additionStatus, smsStatus (the example's spelling)."""
    data = {
        message_id: {"status": status, "additionStatus": addition, "smsStatus": sms}
        for message_id, status, addition, sms in rows
    }
    return _viber_ok(_map_or_list(data))


def printed(timestamp: float) -> str:
    """A date as SMS Club prints it, in its local time [seed 004 chat examples]."""
    return datetime.fromtimestamp(timestamp, tz=LOCAL_TIME).strftime(msg.DATE_FORMAT)


def chat(record: dict, entries: list[Entry]) -> Response:
    """GET /vibers/chat [seed 004]: the recipient is a JSON number here (a string in /vibers/chats)."""
    recipient = record["recipient"]
    return _viber_ok(
        {
            "chat": {
                "recipient": int(recipient) if recipient.isdigit() else recipient,
                "source_address": record["source_address"],
                "creation_date": printed(record["created_at"]),
                "messages": [{"text": entry.text, "date": printed(entry.at), "type": entry.type} for entry in entries],
            }
        }
    )


def chats(records: list[dict]) -> Response:
    """GET /vibers/chats [seed 004]."""
    items = [
        {"chat_id": record["chat_id"], "recipient": record["recipient"], "creation_date": printed(record["created_at"])}
        for record in records
    ]
    return _viber_ok({"chats": items})


def sms_sent(info: dict[str, str], rejected: dict[str, str]) -> Response:
    """POST /sms/send [https://smsclub.mobi/en/api]; add_info lists numbers left out (inferred shape)."""
    return _sms_ok(_map_or_list(info), rejected)


def sms_statuses(info: dict[str, str]) -> Response:
    """POST /sms/status [https://smsclub.mobi/en/api]."""
    return _sms_ok(_map_or_list(info))


def sms_balance(money: str, currency: str) -> Response:
    """POST /sms/balance: fields money, currency (public client comment; value types inferred)."""
    return _sms_ok({"money": money, "currency": currency})


def sms_originators(names: list[str]) -> Response:
    """POST /sms/originator: the account's alpha names (inferred shape)."""
    return _sms_ok(names)
