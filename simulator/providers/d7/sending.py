"""D7's business rules: who may send, to which numbers, at what price; what a report shows.

Shapes were checked in schemas.py (FastAPI's 422s). What is left needs the account's door: a blocked
account (403), an unapproved originator or a bad recipient (400), then core submits (money: 402).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from simulator.core.accounts import Account
from simulator.core.clock import iso
from simulator.core.doors import AccountDoor, Draft
from simulator.providers import numbers
from simulator.providers.d7 import errors, pricing, statuses
from simulator.providers.d7.messages import VIBER
from simulator.providers.d7.responses import MESSAGE_LOG, VIBER_LOG
from simulator.providers.numbers import Number
from simulator.providers.records import MessageFields

FORM = "form"  # doc: Receive_SMS_Postback posts formData; an account setting may ask for "json"
DEFAULT_LABEL = "PROMOTION"  # doc: Send_Viber_Message label: 'Default value is "promotion"'


@dataclass(frozen=True)
class D7Fields(MessageFields):
    """What D7 keeps per message beyond core's fields; stored in `Message.attrs` as `to_dict()`."""

    log: str | None = None  # the report that lists it: viber-log (sent on /viber/v1/send) or message-log
    index: int = 0  # the recipient's place in its request: reports list rows in request order
    country: str | None = None  # ISO 3166 alpha-2 of the recipient
    parts: int = 1
    schedule_time: str | int | float | None = None  # echoed in reports as the client gave it
    callback_url: str | None = None
    callback_format: str = FORM
    report_channel: str | None = None  # the `channel` a report prints; None: the message's own
    label: str | None = None  # Viber: PROMOTION or TRANSACTION
    tag: str | None = None  # SMS: the client's reference


@dataclass(frozen=True)
class Accepted:
    request_id: str
    created_at: str  # D7's ISO form, milliseconds and Z


@dataclass(frozen=True)
class Outgoing:
    """One recipient of one message of a request, checked and priced."""

    channel: str
    originator: str | None
    recipient: str  # `+` and digits
    content: str
    cost: float
    fields: D7Fields


@dataclass(frozen=True)
class Row:
    """One recipient's line in a report."""

    msg_id: str
    country: str | None
    recipient: str
    status: str  # D7's word
    parts: int
    cost: float
    schedule_time: str | int | float | None


@dataclass(frozen=True)
class Report:
    request_id: str
    log: str  # which report: VIBER_LOG or MESSAGE_LOG
    channel: str  # the channel it prints
    rows: list[Row]


def check(account: Account, originators: list[str | None], recipients: list[str]) -> list[Number]:
    """The account may send from every originator to every recipient, each a valid number (`+` optional)."""
    if account.blocked:
        raise errors.account_blocked()
    if not all(account.allows_sender(originator) for originator in originators):
        raise errors.invalid_originator()
    found = [numbers.parse(recipient) for recipient in recipients]
    if None in found:
        raise errors.invalid_recipients()
    return found


def send_viber(door: AccountDoor, request: dict) -> Accepted:
    """POST /viber/v1/send: one message per recipient; originator and call_back_url per message win."""
    account = door.account
    globals_ = request.get("message_globals") or {}
    plan = [
        (message, message.get("originator") or globals_.get("originator"), recipient)
        for message in request["messages"]
        for recipient in message["recipients"]
    ]
    found = check(account, [originator for _, originator, _ in plan], [recipient for *_, recipient in plan])
    outgoing = []
    for (message, originator, _), number in zip(plan, found, strict=True):
        parts = pricing.viber_parts(message["content"])
        cost = pricing.price(number.country, VIBER) * parts
        record = D7Fields(
            log=VIBER_LOG,
            country=number.country,
            parts=parts,
            callback_url=message.get("call_back_url") or globals_.get("call_back_url"),
            callback_format=account.settings.get("callback_format", FORM),
            report_channel=account.settings.get("viber_report_channel", VIBER),
            label=message["label"],
        )
        outgoing.append(Outgoing(VIBER, originator, number.e164, message["content"], cost, record))
    return _submit(door, outgoing)


def send_messages(door: AccountDoor, request: dict) -> Accepted:
    """POST /messages/v1/send: one message per recipient, all from the globals' originator, each on its
    message's channel: sms (also when it names none), or viber (see messages.MESSAGE_CHANNELS)."""
    account = door.account
    globals_ = request["message_globals"]
    plan = [(message, recipient) for message in request["messages"] for recipient in message["recipients"]]
    found = check(account, [globals_["originator"]], [recipient for _, recipient in plan])
    schedule = globals_.get("schedule_time")
    start_at = schedule[1] if schedule and schedule[1] > door.now() else None
    outgoing = []
    for (message, _), number in zip(plan, found, strict=True):
        channel, content = message["channel"], message["content"]
        if channel == VIBER:
            parts = pricing.viber_parts(content)
        else:
            parts = pricing.sms_parts(content, message.get("data_coding") or "auto")
        cost = pricing.price(number.country, channel) * parts
        record = D7Fields(
            log=MESSAGE_LOG,
            country=number.country,
            parts=parts,
            schedule_time=schedule[0] if schedule else None,
            callback_url=globals_.get("report_url"),
            callback_format=account.settings.get("callback_format", FORM),
            label=DEFAULT_LABEL if channel == VIBER else None,
            tag=globals_.get("tag"),
        )
        outgoing.append(Outgoing(channel, globals_["originator"], number.e164, content, cost, record))
    return _submit(door, outgoing, start_at)


def _submit(door: AccountDoor, outgoing: list[Outgoing], start_at: float | None = None) -> Accepted:
    """One request id for the batch, a time-based msg_id per recipient (D7's are UUID1), charged at once."""
    now = door.now()
    request_id = door.ids.uuid4()
    drafts = [
        Draft(
            id=door.ids.uuid1(now),
            channel=item.channel,
            recipient=item.recipient,
            sender=item.originator,
            text=item.content,
            cost=round(item.cost, 7),
            start_at=start_at,
            group=request_id,
            attrs=replace(item.fields, index=index).to_dict(),
        )
        for index, item in enumerate(outgoing)
    ]
    accepted = Accepted(request_id, iso(door.moment()))
    door.submit(drafts)
    return accepted


_NOT_FOUND = {VIBER_LOG: errors.viber_log_not_found, MESSAGE_LOG: errors.message_log_not_found}


def report(door: AccountDoor, request_id: str, log: str) -> Report:
    """The account's messages of one request that `log` lists, in request order; D7's 404 if none."""
    listed = ((view, D7Fields.of(view.message)) for view in door.in_group(request_id).views)
    found = sorted((pair for pair in listed if pair[1].log == log), key=lambda pair: pair[1].index)
    if not found:
        raise _NOT_FOUND[log]()
    rows = [
        Row(
            msg_id=view.message.id,
            country=record.country,
            recipient=view.message.recipient,
            status=statuses.word(view.message.channel, view.status, view.reason),
            parts=record.parts,
            cost=round(view.message.cost, 7),
            schedule_time=record.schedule_time,
        )
        for view, record in found
    ]
    first, record = found[0]
    return Report(request_id, log, record.report_channel or first.message.channel, rows)
