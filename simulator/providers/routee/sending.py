"""The business rules of a send: the sender, the price, the drafts, the body analysis; then core submits.

Shapes were validated in schemas.py; what is left needs the account or the store. Every function
takes the account's door explicitly. What Routee keeps per message is a typed record in
`Message.attrs`: `ViberFields` or `SmsFields`, after the message's channel.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from simulator.core.accounts import Account
from simulator.core.clock import LATEST, iso, parse_instant
from simulator.core.doors import AccountDoor, Draft, ViewPage
from simulator.core.messages import MessageView
from simulator.providers import numbers, sms_parts
from simulator.providers.records import MessageFields
from simulator.providers.routee import errors, schemas
from simulator.providers.routee import messages as m

VIBER_CHANNEL, SMS_CHANNEL = "viber", "sms"  # as core and the scenarios name them

# EUR per message by destination. doc: failover-callbacks shows a delivered Greek message at "price":0.035;
# the rest is inferred. An account's settings.prices overrides them.
PRICES = {"GR": 0.035, "CY": 0.035, "UA": 0.03, "AE": 0.04}
DEFAULT_PRICE = 0.04  # inferred


def price(account: Account, country: str | None) -> float:
    table = {**PRICES, **(account.settings.get("prices") or {})}
    return float(table.get(country or "", DEFAULT_PRICE))


@dataclass(frozen=True)
class ViberFields(MessageFields):
    """A Viber message (doc: reference/send-a-viber-single-message request fields), flat."""

    country: str | None = None
    ttl: int = schemas.DEFAULT_TTL  # seconds
    application: str = m.DEFAULT_APPLICATION
    callback_url: str | None = None
    strategy: str = schemas.ON_CHANGE
    inbound_url: str | None = None
    label: str | None = None
    session_message: bool = False
    expire_on_delivery: bool = False
    image_url: str | None = None
    action_caption: str | None = None  # caption and target come together (schemas.py)
    action_target: str | None = None
    file_name: str | None = None  # name, type and URL come together
    file_type: str | None = None
    file_url: str | None = None
    video_url: str | None = None  # URL, thumbnail, size and duration come together
    video_thumbnail: str | None = None
    video_size: int | float | None = None  # as the client wrote it (1 or 1.0)
    video_duration: int | float | None = None
    campaign_name: str | None = None


@dataclass(frozen=True)
class SmsFields(MessageFields):
    """An SMS (doc: reference/send-single-sms request fields): one smsId and one price per part."""

    country: str | None = None
    ttl: int = schemas.SMS_DEFAULT_TTL  # minutes
    application: str = m.DEFAULT_APPLICATION
    part_ids: list[str] = field(default_factory=list)
    part_price: float = 0.0
    operator: str = m.UNKNOWN_OPERATOR
    flash: bool = False
    label: str | None = None
    callback_url: str | None = None
    strategy: str = schemas.ON_CHANGE


def application(account: Account) -> str:
    return account.settings.get("application_name", m.DEFAULT_APPLICATION)


def _sender(account: Account, tracking_id: str) -> str:
    """The sender name registered under `senderInfoTrackingId` (settings.senders)."""
    senders = account.settings.get("senders", {})
    if tracking_id not in senders:
        raise errors.RouteeError(404, m.SENDER_NOT_FOUND)
    return senders[tracking_id]


def _viber_draft(door: AccountDoor, data: dict, recipient: str, sender: str, **campaign) -> Draft:
    """One Viber message of a send; `campaign` holds the campaign's group, start and name."""
    content = data["body"]
    action, viber_file, video = content["action"] or {}, content["viberFile"] or {}, content["viberVideo"] or {}
    callback = data["callback"] or {"url": data["callbackUrl"], "strategy": schemas.ON_CHANGE}
    country = numbers.country(recipient)
    ttl = data["ttl"] or schemas.DEFAULT_TTL
    record = ViberFields(
        country=country,
        ttl=int(ttl),
        application=application(door.account),
        callback_url=callback["url"],
        strategy=callback["strategy"],
        inbound_url=data["inboundUrl"],
        label=data["label"],
        session_message=bool(data["isSessionMessage"]),
        expire_on_delivery=bool(data["expireOnDelivery"]),
        image_url=content["imageURL"],
        action_caption=action.get("caption"),
        action_target=action.get("targetUrl"),
        file_name=viber_file.get("fileName"),
        file_type=viber_file.get("fileType"),
        file_url=viber_file.get("fileURL"),
        video_url=video.get("videoURL"),
        video_thumbnail=video.get("videoThumbnail"),
        video_size=video.get("fileSize"),
        video_duration=video.get("duration"),
        campaign_name=campaign.get("name"),
    )
    return Draft(
        id=door.ids.uuid4(),
        channel=VIBER_CHANNEL,
        recipient=recipient,
        sender=sender,
        text=content["text"],
        cost=price(door.account, country),
        lifetime=float(ttl),
        group=campaign.get("group"),
        start_at=campaign.get("start_at"),
        attrs=record.to_dict(),
    )


def send_viber(door: AccountDoor, data: dict) -> MessageView:
    """POST /viber: one message, as it stands right after the send."""
    sender = _sender(door.account, data["senderInfoTrackingId"])
    [message] = door.submit([_viber_draft(door, data, data["to"], sender)])
    return message.at(door.now())


def _scheduled(value: str | None) -> float | None:
    if not value:
        return None
    try:
        at = parse_instant(value).timestamp()
    except (ValueError, OverflowError):
        raise errors.invalid({"scheduledDate": m.NOT_A_STRING}) from None
    if at > LATEST:  # a date the simulated clock can never reach
        raise errors.invalid({"scheduledDate": m.TOO_FAR_AHEAD})
    return at


@dataclass(frozen=True)
class Campaign:
    """A campaign as the store keeps it (a door record) and the send answers it."""

    tracking_id: str
    account: str
    state: str
    created_at: str
    scheduled_date: str | None
    to: list[str]
    name: str | None

    def to_dict(self) -> dict:
        return {
            "trackingId": self.tracking_id,
            "account": self.account,
            "state": self.state,
            "createdAt": self.created_at,
            "scheduledDate": self.scheduled_date,
            "to": self.to,
            "campaignName": self.name,
        }


def send_viber_campaign(door: AccountDoor, data: dict) -> Campaign:
    """POST /viber/campaign: one message per distinct recipient, grouped under the campaign's id."""
    sender = _sender(door.account, data["senderInfoTrackingId"])
    start_at = _scheduled(data["scheduledDate"])
    campaign_id = door.ids.uuid4()
    recipients = list(dict.fromkeys(data["to"]))
    name = data["campaignName"]
    drafts = [  # every id is drawn before the submit, in recipient order
        _viber_draft(door, data, number, sender, group=campaign_id, start_at=start_at, name=name)
        for number in recipients
    ]
    door.submit(drafts)
    campaign = Campaign(
        tracking_id=campaign_id,
        account=door.account.name,
        state=m.CAMPAIGN_SCHEDULED if start_at and start_at > door.now() else m.CAMPAIGN_QUEUED,
        created_at=iso(door.moment()),
        scheduled_date=data["scheduledDate"],
        to=recipients,
        name=name,
    )
    door.put_record("campaign", campaign_id, campaign.to_dict())
    return campaign


def campaign_messages(door: AccountDoor, campaign_id: str, limit: int, offset: int) -> ViewPage:
    """One page of the messages of one of this account's campaigns, in the order of its `to` (the
    order they were submitted in, which the store keeps)."""
    record = door.get_record("campaign", campaign_id)
    if record is None or record["account"] != door.account.name:
        raise errors.RouteeError(404, m.CAMPAIGN_NOT_FOUND)
    return door.in_group(campaign_id, limit=limit, offset=offset)


def tracked(door: AccountDoor, channel: str, tracking_id: str) -> MessageView:
    """This account's message of `channel`; the channel's 404 for any other id."""
    view = door.owned(tracking_id)
    if view is None or view.message.channel != channel:
        missing = m.VIBER_TRACKING_NOT_FOUND if channel == VIBER_CHANNEL else m.SMS_TRACKING_NOT_FOUND
        raise errors.RouteeError(404, missing)
    return view


# SMS

# GSM 03.38 has these capital Greek letters' Latin twins; the other capitals (Δ, Φ, Γ...) are GSM themselves
_GREEK_TO_LATIN = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")


def _transcoded(text: str) -> str | None:
    """The text in GSM characters, when accents and Greek small letters are all that keep it out.

    doc: smsanalyze "Transcoding is available for Greek, French, Italian and German locales"; inferred:
    how (accents dropped, Greek in capitals, as Greek SMS are commonly written).
    """
    shown = []
    for char in text:
        if not sms_parts.is_gsm7(char):
            char = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
            if not sms_parts.is_gsm7(char):
                char = char.upper().translate(_GREEK_TO_LATIN)
        shown.append(char)
    result = "".join(shown)
    return result if sms_parts.is_gsm7(result) else None


@dataclass(frozen=True)
class BodyAnalysis:
    """doc: reference/send-single-sms bodyAnalysis."""

    characters: int
    parts: int
    transcoded: str | None  # None: nothing to transcode, or it cannot be
    unicode: bool
    unsupported: list[str]  # the characters that make it unicode, each once


def analyse(text: str) -> BodyAnalysis:
    unicode = not sms_parts.is_gsm7(text)
    return BodyAnalysis(
        characters=len(text.encode("utf-16-le")) // 2,  # inferred: Java's String.length()
        parts=sms_parts.count(text),
        transcoded=_transcoded(text) if unicode else None,
        unicode=unicode,
        unsupported=[char for char in dict.fromkeys(text) if not sms_parts.is_gsm7(char)],
    )


def send_sms(door: AccountDoor, data: dict) -> MessageView:
    """POST /sms: one message of as many parts as its body takes, each priced, as it stands after the send."""
    tracking_id = door.ids.uuid4()
    number = numbers.parse(data["to"])
    country = number.country if number else None
    part_price = price(door.account, country)
    parts = sms_parts.count(data["body"])
    callback = data["callback"] or {"url": None, "strategy": schemas.ON_CHANGE}
    ttl = int(data["ttl"] or schemas.SMS_DEFAULT_TTL)
    record = SmsFields(
        country=country,
        ttl=ttl,
        application=application(door.account),
        part_ids=[door.ids.uuid4() for _ in range(parts)],
        part_price=part_price,
        operator=(numbers.operator(number) if number else None) or m.UNKNOWN_OPERATOR,
        flash=bool(data["flash"]),
        label=data["label"],
        callback_url=callback["url"],
        strategy=callback["strategy"],
    )
    draft = Draft(
        id=tracking_id,
        channel=SMS_CHANNEL,
        recipient=data["to"],
        sender=data["sender"],
        text=data["body"],
        cost=round(part_price * parts, 6),
        lifetime=ttl * 60.0,
        attrs=record.to_dict(),
    )
    [message] = door.submit([draft])
    return message.at(door.now())
