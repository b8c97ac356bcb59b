"""SMS Club's business rules, given the account's door: what a send needs (account, senders, texts,
numbers, image, money) before core submits it, and which of the account's messages a status request sees.

Validation of shapes happened in schemas.py; what is left needs the account or the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from simulator.core.accounts import Account
from simulator.core.doors import AccountDoor, Draft
from simulator.core.errors import InsufficientBalance, ScenarioError
from simulator.providers import numbers
from simulator.providers.records import MessageFields
from simulator.providers.smsclub import chats, errors, statuses
from simulator.providers.smsclub import messages as msg
from simulator.providers.smsclub.schemas import SmsSend, ViberSend

FIRST_VIBER_ID = 5769  # doc: seed 004 send example
FIRST_SMS_ID = 106  # doc: https://smsclub.mobi/en/api send example
SMS_ID_PREFIX = "sms-"  # SMS and Viber ids are separate sequences; the prefix keeps their store keys apart
DEFAULT_LIFETIME = 86_400  # inferred: the longest lifetime the document allows
MAX_TEXT = 1_000  # inferred: Viber's text limit; also used for SMS texts
# Prices per message in the account's currency (UAH); an account's settings.prices overrides them.
DEFAULT_PRICES = {"viber": 0.82, "sms": 1.05}  # inferred: typical SMS Club tariffs
# doc: seed 004 numbers look like 380XXXXXXXXX; sdk: github smsclub/php json_sms/send_personal.php sends
# national ones (0980000001). Ukrainian numbers only, stored and answered in their international form.
COUNTRY = "UA"


@dataclass(frozen=True)
class SmsClubFields(MessageFields):
    """What SMS Club keeps on a Viber message beyond core's fields (its SMS messages keep nothing)."""

    chat_id: str | None = None  # a Viber2Way message's chat (also the message's group)
    sender_sms: str | None = None  # set when the message has an SMS leg (Viber+SMS)
    message_sms: str | None = None
    picture_url: str | None = None
    button_txt: str | None = None
    button_url: str | None = None
    mgr_end_time: int | None = None


def price(account: Account, channel: str) -> float:
    return float((account.settings.get("prices") or {}).get(channel, DEFAULT_PRICES[channel]))


@dataclass
class Recipients:
    valid: list[str] = field(default_factory=list)
    incorrect: list[str] = field(default_factory=list)
    blacklisted: list[str] = field(default_factory=list)


def blacklist(account: Account) -> set[str]:
    return {str(number) for number in account.settings.get("blacklist") or ()}


def checked_number(phone: str, blacklisted: set[str]) -> tuple[str | None, str]:
    """(None, the number) for a valid one, else (why the SMS API leaves it out, the phone as reported)."""
    found = numbers.parse(phone, COUNTRY)
    if found is None or found.country != COUNTRY:
        return msg.SMS_REJECTED_NUMBER, phone
    return (msg.SMS_BLACKLISTED_NUMBER if found.digits in blacklisted else None), found.digits


def sort_recipients(account: Account, phones: list[str]) -> Recipients:
    """Valid numbers, badly formed ones and blacklisted ones, each once, in request order."""
    blacklisted = blacklist(account)
    result = Recipients()
    buckets = {
        None: result.valid,
        msg.SMS_REJECTED_NUMBER: result.incorrect,
        msg.SMS_BLACKLISTED_NUMBER: result.blacklisted,
    }
    for phone in phones:
        problem, number = checked_number(phone, blacklisted)
        bucket = buckets[problem]
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
    chat = chats.owned(door, request.chat_id) if request.two_way and request.chat_id else None
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
            attrs=_fields(request, chat_id).to_dict(),
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


def _fields(request: ViberSend, chat_id: str | None) -> SmsClubFields:
    """What the inbox and the status endpoint need to know about a Viber message."""
    return SmsClubFields(
        chat_id=chat_id,
        sender_sms=request.sender_sms,
        message_sms=request.message_sms,
        picture_url=request.picture_url,
        button_txt=request.button_txt,
        button_url=request.button_url,
        mgr_end_time=request.end_time,
    )


def viber_statuses(door: AccountDoor, ids: list[str]) -> list[tuple[str, str, str | None, str | None]]:
    """(id, status, additionStatus, smsStatus) of each of the account's Viber messages named, once each.

    inferred: unknown ids, other accounts' ids and SMS ids are left out.
    """
    rows = []
    for message_id in dict.fromkeys(ids):
        view = door.owned(message_id)
        if view is not None and view.message.channel == "viber":
            with_sms = SmsClubFields.of(view.message).sender_sms is not None
            rows.append((message_id, *statuses.viber(view, with_sms)))
    return rows


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
    blacklisted = blacklist(account)
    for phone, text in request.items:
        problem, number = checked_number(phone, blacklisted)
        if problem is None:
            accepted.append((number, text))
        else:
            rejected[number] = problem
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


def sms_statuses(door: AccountDoor, ids: list[str]) -> dict[str, str]:
    """sms id -> status of each of the account's SMS named, once each; other ids are left out."""
    info = {}
    for sms_id in dict.fromkeys(ids):
        view = door.owned(SMS_ID_PREFIX + sms_id)
        if view is not None:
            info[sms_id] = statuses.sms(view)
    return info
