"""`format=har`: the run's requests and responses as an HTTP Archive 1.2 (opens in browser dev tools).

Secrets stay masked as the journal keeps them. Times are the simulated clock's; clock moves and operator
actions are not HTTP exchanges with a provider and are left out (the log's comment says how many).
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import parse_qsl

from simulator.control.exports.run import Run
from simulator.core.clock import iso
from simulator.core.replay import TRANSPORT_HEADERS

HTTP_VERSION = "HTTP/1.1"


def _status_text(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _pairs(items: list[tuple[str, str]]) -> list[dict]:
    return [{"name": name, "value": value} for name, value in items]


def _entry(run: Run, entry: dict) -> dict:
    started = entry.get("started", entry["time"])
    query = entry.get("query", "")
    headers = entry.get("headers", {})
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    body = entry.get("body", "")
    request = {
        "method": entry["method"],
        "url": run.base_url + entry["path"] + (f"?{query}" if query else ""),
        "httpVersion": HTTP_VERSION,
        "cookies": [],
        "headers": _pairs([(name, value) for name, value in headers.items() if name.lower() not in TRANSPORT_HEADERS]),
        "queryString": _pairs(parse_qsl(query, keep_blank_values=True)),
        "headersSize": -1,
        "bodySize": len(body.encode("utf-8")),
    }
    if body:
        request["postData"] = {"mimeType": content_type, "text": body}
    answer = entry.get("response", "")
    answer_type = entry.get("response_type") or ""
    size = len(answer.encode("utf-8"))
    wait = max(0.0, (entry["time"] - started) * 1000)
    return {
        "startedDateTime": iso(datetime.fromtimestamp(started, tz=UTC)),
        "time": wait,
        "request": request,
        "response": {
            "status": entry["status"],
            "statusText": _status_text(entry["status"]),
            "httpVersion": HTTP_VERSION,
            "cookies": [],
            "headers": _pairs([("Content-Type", answer_type)] if answer_type else []),
            "content": {"size": size, "mimeType": answer_type, "text": answer},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": size,
        },
        "cache": {},
        "timings": {"send": 0, "wait": wait, "receive": 0},
        "comment": f"journal entry {entry['index']} ({entry.get('provider')}); secrets masked",
    }


def render(run: Run) -> dict:
    others = len(run.entries) - len(run.requests)
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "provider-simulator", "version": run.version},
            "entries": [_entry(run, entry) for entry in run.requests],
            "comment": f"{run.title} of namespace {run.namespace!r}; left out: {others} clock moves, operator actions",
        }
    }
