"""The business rules of a send: account, senders, texts, numbers, image, money; then core submits.

Validation of shapes happened in schemas.py; what is left needs the account or the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from simulator.core.accounts import Account
from simulator.core.doors import AccountDoor, Draft
from simulator.core.errors import InsufficientBalance, ScenarioError
from simulator.providers.smsclub import chats, errors
from simulator.providers.smsclub import messages as msg
from simulator.providers.smsclub.schemas import SmsSend, ViberSend

FIRST_VIBER_ID = 5769  # doc: seed 004 send example
FIRST_SMS_ID = 106  # doc: https://smsclub.mobi/en/api send example
SMS_ID_PREFIX = "sms-"  # SMS and Viber ids are separate sequences; the prefix keeps their store keys apart
DEFAULT_LIFETIME = 86_400  # inferred: the longest lifetime the document allows
MAX_TEXT = 1_000  # inferred: Viber's text limit; also used for SMS texts
# Prices per message in the account's currency (UAH); an account's settings.prices overrides them.
DEFAULT_PRICES = {"viber": 0.82, "sms": 1.05}  # inferred: typical SMS Club tariffs
_PHONE = re.compile(r"^\+?(380\d{9})$")  # doc: seed 004 numbers look like 380XXXXXXXXX


def price(account: Account, channel: str) -> float:
    return float((account.settings.get("prices") or {}).get(channel, DEFAULT_PRICES[channel]))


@dataclass
class Recipients:
    valid: list[str] = field(default_factory=list)
    incorrect: list[str] = field(default_factory=list)
    blacklisted: list[str] = field(default_factory=list)


def sort_recipients(account: Account, phones: list[str]) -> Recipients:
    """Valid numbers, badly formed ones and blacklisted ones, each once, in request order."""
    blacklist = {str(number) for number in account.settings.get("blacklist") or ()}
    result = Recipients()
    for phone in phones:
        match = _PHONE.match(phone.strip())
        if match is None:
            bucket, number = result.incorrect, phone
        elif match.group(1) in blacklist:
            bucket, number = result.blacklisted, match.group(1)
        else:
            bucket, number = result.valid, match.group(1)
        if number not in bucket:
            bucket.append(number)
    return result


def text_ok(text: str | None) -> bool:
    return text is not None and text.strip() != "" and len(text) <= MAX_TEXT


def image_ok(url: str) -> bool:
    """The simulator cannot download pictures; an http(s) URL with a host counts as one that loads."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass(frozen=True)
class Sent:
    number: str
    id: str
    chat_id: str | None = None


@dataclass(frozen=True)
class ViberResult:
    sent: list[Sent]
    recipients: Recipients


def send_viber(door: AccountDoor, request: ViberSend) -> ViberResult:
    account = door.account
    if account.blocked:
        raise errors.viber(errors.ACCOUNT_BLOCKED)
    chat = None
    if request.two_way and request.chat_id:
        chat = chats.find(door, request.chat_id)
        if chat is None:
            raise errors.ViberError.one(400, msg.KEY_CHAT, msg.CHAT_NOT_FOUND)
    sender = chat["source_address"] if chat else request.sender
    if not sender or not account.allows_sender(sender):
        raise errors.viber(errors.BAD_SENDER)
    if request.sender_sms is not None and not account.allows_sender(request.sender_sms):
        raise errors.viber(errors.BAD_SENDER_SMS)
    if not text_ok(request.message):
        raise errors.viber(errors.BAD_TEXT)
    if request.message_sms is not None and not text_ok(request.message_sms):
        raise errors.viber(errors.BAD_TEXT_SMS)
    recipients = Recipients(valid=[chat["recipient"]]) if chat else sort_recipients(account, request.phones)
    if not recipients.valid:
        raise errors.viber(errors.NO_VALID_PHONES)
    if request.picture_url and not image_ok(request.picture_url):
        raise errors.viber(errors.IMAGE_FAILED)

    ids = [str(door.next_id("viber", FIRST_VIBER_ID)) for _ in recipients.valid]
    if chat:
        chat_ids = [chat["chat_id"]]
    elif request.two_way:
        chat_ids = [chats.new_id(door) for _ in recipients.valid]
    else:
        chat_ids = [None] * len(recipients.valid)
    viber_price = price(account, "viber")
    cost = viber_price + (price(account, "sms") if request.sender_sms else 0.0)  # the SMS is reserved up front
    submissions = [
        Draft(
            id=message_id,
            channel="viber",
            recipient=number,
            sender=sender,
            text=request.message,
            cost=cost,
            lifetime=float(_lifetime(request)),
            start_at=float(request.plan_date) if request.plan_date is not None else None,
            group=chat_id,  # a chat's messages are its history
            attrs=_attrs(request, chat_id),
        )
        for message_id, number, chat_id in zip(ids, recipients.valid, chat_ids, strict=True)
    ]
    try:
        door.submit(submissions)
    except InsufficientBalance as exc:
        viber_only_affordable = exc.balance >= viber_price * len(submissions)
        entry = errors.NO_MONEY_SMS if request.sender_sms and viber_only_affordable else errors.NO_MONEY
        raise errors.viber(entry) from exc
    except ScenarioError as exc:
        raise errors.for_scenario(exc.kind) from exc
    if request.two_way and not chat:
        for number, chat_id in zip(recipients.valid, chat_ids, strict=True):
            chats.save(door, chat_id, number, sender)
    rows = zip(ids, recipients.valid, chat_ids, strict=True)
    return ViberResult([Sent(number, message_id, chat_id) for message_id, number, chat_id in rows], recipients)


def _lifetime(request: ViberSend) -> int:
    lifetime = request.lifetime if request.lifetime is not None else DEFAULT_LIFETIME
    if request.plan_date is not None and request.end_time is not None:
        lifetime = min(lifetime, request.end_time - request.plan_date)  # not delivered by the end: expired
    return lifetime


def _attrs(request: ViberSend, chat_id: str | None) -> dict:
    """What the inbox and the status endpoint need to know about a Viber message."""
    attrs = {
        "chat_id": chat_id,
        "sender_sms": request.sender_sms,
        "message_sms": request.message_sms,
        "picture_url": request.picture_url,
        "button_txt": request.button_txt,
        "button_url": request.button_url,
        "mgr_end_time": request.end_time,
    }
    return {key: value for key, value in attrs.items() if value is not None}


def has_sms_leg(attrs: dict) -> bool:
    return "sender_sms" in attrs


@dataclass(frozen=True)
class SmsResult:
    info: dict[str, str]  # sms id -> number
    rejected: dict[str, str]  # number -> why


def send_sms(door: AccountDoor, request: SmsSend) -> SmsResult:
    account = door.account
    if account.blocked:
        raise errors.sms_api(errors.ACCOUNT_BLOCKED)
    if not request.sender or not account.allows_sender(request.sender):
        raise errors.SmsApiError({msg.SMS_KEY_SENDER: msg.SMS_SENDER_INCORRECT})
    rejected: dict[str, str] = {}
    accepted: list[tuple[str, str]] = []
    blacklist = {str(number) for number in account.settings.get("blacklist") or ()}
    for phone, text in request.items:
        match = _PHONE.match(phone.strip())
        if match is None:
            rejected[phone] = msg.SMS_REJECTED_NUMBER
        elif match.group(1) in blacklist:
            rejected[match.group(1)] = msg.SMS_BLACKLISTED_NUMBER
        else:
            accepted.append((match.group(1), text))
    if not accepted:
        raise errors.sms_api(errors.NO_VALID_PHONES)
    if not all(text_ok(text) for _, text in accepted):
        raise errors.SmsApiError({msg.SMS_KEY_MESSAGE: msg.TEXT_INCORRECT})
    ids = [str(door.next_id("sms", FIRST_SMS_ID)) for _ in accepted]
    submissions = [
        Draft(
            id=SMS_ID_PREFIX + sms_id,
            channel="sms",
            recipient=number,
            sender=request.sender,
            text=text,
            cost=price(account, "sms"),
            lifetime=float(request.lifetime or DEFAULT_LIFETIME),
        )
        for sms_id, (number, text) in zip(ids, accepted, strict=True)
    ]
    try:
        door.submit(submissions)
    except InsufficientBalance as exc:
        raise errors.sms_api(errors.NO_MONEY) from exc
    except ScenarioError as exc:
        raise errors.for_scenario(exc.kind, sms_api_envelope=True) from exc
    return SmsResult({sms_id: number for sms_id, (number, _) in zip(ids, accepted, strict=True)}, rejected)
