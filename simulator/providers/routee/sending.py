"""The business rules of a send: the sender, the price, the drafts; then core submits.

Shapes were validated in schemas.py; what is left needs the account or the store. Every function
takes the account's door explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.accounts import Account
from simulator.core.clock import LATEST, iso, parse_instant
from simulator.core.doors import AccountDoor, Draft
from simulator.core.engine import ViewPage
from simulator.core.messages import MessageView
from simulator.providers import numbers
from simulator.providers.routee import errors, records, schemas
from simulator.providers.routee import messages as m

# EUR per message by destination. doc: failover-callbacks shows a delivered Greek message at "price":0.035;
# the rest is inferred. An account's settings.prices overrides them.
PRICES = {"GR": 0.035, "CY": 0.035, "UA": 0.03, "AE": 0.04}
DEFAULT_PRICE = 0.04  # inferred


def price(account: Account, country: str | None) -> float:
    table = {**PRICES, **(account.settings.get("prices") or {})}
    return float(table.get(country or "", DEFAULT_PRICE))


def application(account: Account) -> str:
    return account.settings.get("application_name", m.DEFAULT_APPLICATION)


def _sender(account: Account, tracking_id: str) -> str:
    """The sender name registered under `senderInfoTrackingId` (settings.senders)."""
    senders = account.settings.get("senders", {})
    if tracking_id not in senders:
        raise errors.RouteeError(404, m.SENDER_NOT_FOUND)
    return senders[tracking_id]


def _viber_draft(door: AccountDoor, data: dict, recipient: str, sender: str, **campaign) -> Draft:
    """One Viber message of a send; `campaign` holds the campaign's group, start, index and name."""
    content = data["body"]
    action, viber_file, video = content["action"] or {}, content["viberFile"] or {}, content["viberVideo"] or {}
    callback = data["callback"] or {"url": data["callbackUrl"], "strategy": records.ON_CHANGE}
    country = numbers.country(recipient)
    ttl = data["ttl"] or schemas.DEFAULT_TTL
    record = records.Viber(
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
        index=campaign.get("index", 0),
    )
    return Draft(
        id=door.ids.uuid4(),
        channel="viber",
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
        _viber_draft(door, data, number, sender, group=campaign_id, start_at=start_at, index=index, name=name)
        for index, number in enumerate(recipients)
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


def tracked_viber(door: AccountDoor, tracking_id: str) -> MessageView:
    view = door.owned(tracking_id)
    if view is None:
        raise errors.RouteeError(404, m.VIBER_TRACKING_NOT_FOUND)
    return view
