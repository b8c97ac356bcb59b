"""The journal seen through the control API: requests, WireMock-style verification, webhook attempts."""

from __future__ import annotations

import re

from flask import Response, jsonify
from marshmallow import Schema, ValidationError, fields
from marshmallow import validate as v

from simulator.control.blueprint import control, json_body, load, operator, query
from simulator.control.views import entry_json

KINDS = ("request", "message", "transition", "webhook", "clock", "control")
MAX_PAGE = 1000


class _Pattern(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return re.compile(text)
        except re.error as exc:
            raise ValidationError(f"not a valid regular expression: {exc}") from exc


class RequestMatch(Schema):
    """What a journalled request must look like to count (every given field must fit)."""

    provider = fields.String()
    method = fields.String()
    path = fields.String()  # exact, as received (with the provider prefix)
    path_pattern = _Pattern()  # regular expression searched in the path
    status = fields.Integer(strict=False, validate=v.Range(min=100, max=599))
    body_contains = fields.String()
    query_contains = fields.String()
    headers = fields.Dict(keys=fields.String(), values=fields.String())  # exact values; secrets are masked

    @staticmethod
    def fits(rule: dict, entry: dict) -> bool:
        headers = {name.lower(): value for name, value in entry.get("headers", {}).items()}
        return (
            rule.get("provider") in (None, entry.get("provider"))
            and (rule.get("method") is None or rule["method"].upper() == entry.get("method"))
            and rule.get("path") in (None, entry.get("path"))
            and (rule.get("path_pattern") is None or rule["path_pattern"].search(entry.get("path", "")) is not None)
            and rule.get("status") in (None, entry.get("status"))
            and (rule.get("body_contains") is None or rule["body_contains"] in entry.get("body", ""))
            and (rule.get("query_contains") is None or rule["query_contains"] in entry.get("query", ""))
            and all(headers.get(name.lower()) == value for name, value in (rule.get("headers") or {}).items())
        )


class RequestQuery(RequestMatch):
    limit = fields.Integer(load_default=100, validate=v.Range(min=1, max=MAX_PAGE))


class VerifySchema(RequestMatch):
    count = fields.Integer(validate=v.Range(min=0))  # the expected number; answered with `ok`


class WebhookQuery(Schema):
    message = fields.String()  # a message key
    url = fields.String()
    limit = fields.Integer(load_default=100, validate=v.Range(min=1, max=MAX_PAGE))


class JournalQuery(Schema):
    kind = fields.String(validate=v.OneOf(KINDS))
    limit = fields.Integer(load_default=100, validate=v.Range(min=1, max=MAX_PAGE))


def note(kind: str, **data) -> None:
    """Journal what an operator did to the namespace ("clock", "control"), so exports can replay it."""
    operator().record(kind, **data)


def indexed(kind: str | None = None) -> list[tuple[int, dict]]:
    """Journal entries of one kind (or all) with their index: their position in the whole journal, oldest 0."""
    return [(index, entry) for index, entry in enumerate(operator().journal()) if kind in (None, entry["kind"])]


def _page(kind: str, entries: list[tuple[int, dict]], limit: int) -> Response:
    """The newest `limit` entries, newest first, each with its `index` (for GET /_sim/export?entry=)."""
    newest = list(reversed(entries))
    return jsonify(
        {
            "namespace": operator().namespace,
            "total": len(entries),
            kind: [{"index": index, **entry_json(entry)} for index, entry in newest[:limit]],
        }
    )


@control.get("/requests")
def list_requests() -> Response:
    rule = query(RequestQuery())
    found = [(index, entry) for index, entry in indexed("request") if RequestMatch.fits(rule, entry)]
    return _page("requests", found, rule["limit"])


@control.post("/requests/verify")
def verify_requests() -> Response:
    rule = load(VerifySchema(), json_body())
    count = sum(1 for entry in operator().journal("request") if RequestMatch.fits(rule, entry))
    answer: dict = {"namespace": operator().namespace, "count": count}
    if "count" in rule:
        answer.update(expected=rule["count"], ok=count == rule["count"])
    return jsonify(answer)


@control.get("/webhooks")
def list_webhooks() -> Response:
    data = query(WebhookQuery())
    found = [
        (index, entry)
        for index, entry in indexed("webhook")
        if data.get("message") in (None, entry.get("message")) and data.get("url") in (None, entry.get("url"))
    ]
    return _page("webhooks", found, data["limit"])


@control.get("/journal")
def list_journal() -> Response:
    data = query(JournalQuery())
    return _page("entries", indexed(data.get("kind")), data["limit"])
