"""D7 Networks routes (under /d7, or at the real paths on api.d7networks.com).

Order of checks, as FastAPI runs them: the body is read and JSON-decoded first (422/400), then the
bearer dependency (401), then the body model (422), then business rules (400/402/403).
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.core.accounts import Account
from simulator.core.clock import iso
from simulator.core.doors import AccountDoor, Draft
from simulator.providers.d7 import auth, errors, pricing, responses, schemas, statuses

blueprint = Blueprint("d7", __name__)

_NUMBER = re.compile(r"^\+?[\d\s().-]+$")  # inferred: E.164 with the usual separators
_NUMBER_DIGITS = range(7, 16)


def _route(rule: str, method: str):
    """Answer with and without a trailing slash, without a redirect (spec §0), and no automatic OPTIONS."""

    def register(view):
        for path in (rule, rule + "/"):
            blueprint.add_url_rule(path, view_func=view, methods=[method], provide_automatic_options=False)
        return view

    return register


def _body(schema: type[schemas.Model]) -> tuple[AccountDoor, dict]:
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise errors.D7Error(413, "Request Entity Too Large") from None  # inferred
    value = schemas.decode(raw, request.headers.get("Content-Type"))
    account = auth.account()
    return account, schemas.validate(schema, value)


def _check(account: Account, originators: list[str], recipients: list[str]) -> list[str]:
    """Business rules before anything is stored; the recipients as `+` and digits."""
    if account.blocked:
        raise errors.account_blocked()
    if not all(account.allows_sender(originator) for originator in originators):
        raise errors.invalid_originator()
    normalised = []
    for recipient in recipients:
        digits = "".join(char for char in recipient if char.isdigit())
        if not _NUMBER.match(recipient) or len(digits) not in _NUMBER_DIGITS:
            raise errors.invalid_recipients()
        normalised.append("+" + digits)
    return normalised


def _accept(door: AccountDoor, drafts: list[Draft], request_id: str, created_at: str) -> Response:
    door.submit(drafts)
    return responses.accepted(request_id, created_at)


@_route("/viber/v1/send", "POST")
def send_viber() -> Response:
    door, data = _body(schemas.ViberRequest)
    account = door.account
    globals_ = data.get("message_globals") or {}
    plan = [
        (message, message.get("originator") or globals_.get("originator"), recipient)
        for message in data["messages"]
        for recipient in message["recipients"]
    ]
    numbers = _check(account, [originator for _, originator, _ in plan], [recipient for *_, recipient in plan])
    now = door.now()
    request_id = door.ids.uuid4()
    submissions = []
    for index, ((message, originator, _), number) in enumerate(zip(plan, numbers, strict=True)):
        country, price, _ = pricing.country_of(number)
        parts = pricing.viber_parts(message["content"])
        submissions.append(
            Draft(
                id=door.ids.uuid1(now),
                channel="viber",
                recipient=number,
                sender=originator,
                text=message["content"],
                cost=round(price * parts, 7),
                group=request_id,
                attrs={
                    "index": index,
                    "country": country,
                    "parts": parts,
                    "schedule_time": None,
                    "label": message["label"],
                    "callback_url": message.get("call_back_url") or globals_.get("call_back_url"),
                    "callback_format": account.settings.get("callback_format", "form"),
                    "report_channel": account.settings.get("viber_report_channel", "viber"),
                },
            )
        )
    return _accept(door, submissions, request_id, iso(door.moment()))


@_route("/messages/v1/send", "POST")
def send_sms() -> Response:
    door, data = _body(schemas.SmsRequest)
    account = door.account
    globals_ = data["message_globals"]
    plan = [(message, recipient) for message in data["messages"] for recipient in message["recipients"]]
    numbers = _check(account, [globals_["originator"]], [recipient for _, recipient in plan])
    now = door.now()
    request_id = door.ids.uuid4()
    schedule = globals_.get("schedule_time")
    start_at = schedule[1] if schedule and schedule[1] > now else None
    submissions = []
    for index, ((message, _), number) in enumerate(zip(plan, numbers, strict=True)):
        country, _, price = pricing.country_of(number)
        parts = pricing.sms_parts(message["content"], message.get("data_coding") or "auto")
        submissions.append(
            Draft(
                id=door.ids.uuid1(now),
                channel="sms",
                recipient=number,
                sender=globals_["originator"],
                text=message["content"],
                cost=round(price * parts, 7),
                start_at=start_at,
                group=request_id,
                attrs={
                    "index": index,
                    "country": country,
                    "parts": parts,
                    "schedule_time": schedule[0] if schedule else None,
                    "tag": globals_.get("tag"),
                    "callback_url": globals_.get("report_url"),
                    "callback_format": account.settings.get("callback_format", "form"),
                },
            )
        )
    return _accept(door, submissions, request_id, iso(door.moment()))


def _report(request_id: str, channel: str, not_found) -> Response:
    views = auth.account().in_group(request_id, where=lambda message: message.channel == channel)
    if not views:
        raise not_found()
    views.sort(key=lambda view: view.message.attrs.get("index", 0))
    rows = [(view, statuses.word(channel, view.status, view.reason)) for view in views]
    return responses.report(request_id, views[0].message.attrs.get("report_channel", channel), channel, rows)


@_route("/report/v1/viber-log/<request_id>", "GET")
def viber_report(request_id: str) -> Response:
    return _report(request_id, "viber", errors.viber_log_not_found)


@_route("/report/v1/message-log/<request_id>", "GET")
def sms_report(request_id: str) -> Response:
    return _report(request_id, "sms", errors.message_log_not_found)


@_route("/messages/v1/balance", "GET")
def balance() -> Response:
    return responses.balance(auth.account().balance())
