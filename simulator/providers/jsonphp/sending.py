"""json.php's business rules, one `data[]` item at a time, given the account's door.

Send items (sms, viber, viber+sms, rcs, rcs+sms, telegram, voice, pipeline, call/otp): what each sends,
then one submission through core per item, so items succeed or fail one by one. Status items name the
client's own `id` (the seeds' examples use the send examples' 100500): it is looked up as the account's
latest message with that client id, then as a gateway `msg_id`. HLR and balance items read only.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.accounts import Account
from simulator.core.doors import AccountDoor, Draft
from simulator.core.errors import InsufficientBalance, ScenarioError
from simulator.core.messages import MessageView
from simulator.providers.jsonphp import errors, hlr, messages, responses, statuses
from simulator.providers.records import MessageFields
from simulator.providers.sms_parts import count as sms_parts

# doc: the send examples' msg_id 123456789; where the gateway counter starts (account setting msg_id_start)
MSG_ID_START = 123456789
DEFAULT_LIFETIME = 86_400.0  # inferred: one day when the item gives no <channel>_lifetime
# inferred: UAH per message (per part for SMS), near AlphaSMS's public tariffs; account setting `prices`
PRICES: dict[str, float] = {"sms": 1.29, "viber": 0.95, "rcs": 0.95, "telegram": 0.6, "voice": 1.5, "call/otp": 0.5}
CLIENT_IDS = "client_id"  # record kind: account + client id -> msg_id


@dataclass(frozen=True)
class JsonPhpFields(MessageFields):
    """What json.php keeps on a message beyond core's fields."""

    client_id: int | float | str | None = None  # the item's `id`, with its JSON type, echoed in answers
    request_type: str = ""  # the item's `type`
    report_type: str = ""  # the `type` a status answer shows: the channel actually sent
    parts: int = 1
    sms_fallback: bool = False  # the client asked for an SMS leg (viber+sms, rcs+sms, a pipeline)
    hook: str | None = None  # the item's callback URL
    code: str | None = None  # call/otp: the code spoken


@dataclass(frozen=True)
class Outgoing:
    channel: str  # the scenario channel, the status `type` and the price key
    signatures: tuple[str, ...]  # every alpha name the account must own
    text: str | None
    lifetime: float | None
    parts: int = 1
    sms_fallback: bool = False


def _sms(f: dict) -> Outgoing:
    text = f["sms_message"]
    return Outgoing("sms", (f["sms_signature"],), text, f.get("sms_lifetime"), sms_parts(text))


def _viber(f: dict) -> Outgoing:
    return Outgoing("viber", (f["viber_signature"],), f.get("viber_message"), f.get("viber_lifetime"))


def _viber_sms(f: dict) -> Outgoing:
    signatures = (f["viber_signature"], f["sms_signature"])
    return Outgoing("viber", signatures, f.get("viber_message"), f.get("viber_lifetime"), sms_fallback=True)


def _rcs(f: dict) -> Outgoing:
    return Outgoing("rcs", (f["rcs_signature"],), f["rcs_message"], f.get("rcs_lifetime"))


def _rcs_sms(f: dict) -> Outgoing:
    signatures = (f["rcs_signature"], f["sms_signature"])
    return Outgoing("rcs", signatures, f["rcs_message"], f.get("rcs_lifetime"), sms_fallback=True)


def _telegram(f: dict) -> Outgoing:
    return Outgoing("telegram", (), f["message"], f.get("telegram_lifetime"))


def _voice(f: dict) -> Outgoing:
    return Outgoing("voice", (), f["message"], None)


def _pipeline(f: dict) -> Outgoing:
    """The first channel is the message; the later ones are the fallback a scenario may play."""
    channels = f["pipeline"]
    signatures = tuple(f[channel]["signature"] for channel in channels if "signature" in f[channel])
    text = f[channels[0]]["message"]
    parts = sms_parts(text) if channels[0] == "sms" else 1
    return Outgoing(channels[0], signatures, text, None, parts, sms_fallback=len(channels) > 1)


PLANS = {
    "sms": _sms,
    "viber": _viber,
    "viber+sms": _viber_sms,
    "rcs": _rcs,
    "rcs+sms": _rcs_sms,
    "telegram": _telegram,
    "voice": _voice,
    "pipeline": _pipeline,
}


def price(account: Account, key: str) -> float:
    return float({**PRICES, **account.settings.get("prices", {})}[key])


def send(door: AccountDoor, request_type: str, fields: dict) -> dict:
    """The item `data` for an accepted message; ItemFailed for a refused one."""
    out = PLANS[request_type](fields)
    _check_signatures(door.account, out.signatures)
    cost = price(door.account, out.channel) * out.parts
    msg_id = _submit(door, request_type, fields, out, cost)
    return responses.sent(fields["id"], msg_id, out.parts)


def call_otp(door: AccountDoor, fields: dict) -> dict:
    """A voice call that speaks a 4-digit code (sdk: wearesho-team VoiceOtp/Response.php)."""
    code = door.ids.digits(4)
    cost = price(door.account, "call/otp")
    out = Outgoing("voice", (), None, None)
    _submit(door, "call/otp", fields, out, cost, code)
    return responses.voice_otp(fields.get("id"), code, cost)


def _check_signatures(account: Account, signatures: tuple[str, ...]) -> None:
    if not all(account.allows_sender(signature) for signature in signatures):
        raise errors.ItemFailed(messages.ALPHA_NAME)


def _submit(
    door: AccountDoor, request_type: str, fields: dict, out: Outgoing, cost: float, code: str | None = None
) -> int:
    start = int(door.account.settings.get("msg_id_start", MSG_ID_START))
    msg_id = door.next_id("msg", start)
    submission = Draft(
        id=str(msg_id),
        channel=out.channel,
        recipient=fields["phone"],
        sender=out.signatures[0] if out.signatures else None,
        text=out.text,
        cost=round(cost, 4),
        lifetime=out.lifetime or DEFAULT_LIFETIME,
        attrs=JsonPhpFields(
            client_id=fields.get("id"),
            request_type=request_type,
            report_type=out.channel,
            parts=out.parts,
            sms_fallback=out.sms_fallback,
            hook=fields.get("hook"),
            code=code,
        ).to_dict(),
    )
    try:
        door.submit([submission])
    except (InsufficientBalance, ScenarioError) as exc:
        failure = errors.item_failure(exc)
        if failure is None:
            raise  # a failure of the whole request, rendered by errors.render
        raise failure from None
    if fields.get("id") is not None:
        door.put_record(CLIENT_IDS, _client_key(door, fields["id"]), {"msg_id": msg_id})
    return msg_id


def _client_key(door: AccountDoor, client_id: object) -> str:
    # inferred: PHP compares ids loosely, so 100500 and "100500" name the same message
    return f"{door.account.name}\x1f{client_id}"


def _find(door: AccountDoor, client_id: object) -> MessageView:
    record = door.get_record(CLIENT_IDS, _client_key(door, client_id))
    view = door.owned(str(record["msg_id"] if record else client_id))
    if view is None:
        raise errors.ItemFailed(messages.NOT_FOUND)
    return view


def status(door: AccountDoor, fields: dict) -> dict:
    """doc: seeds 001 "Message status" and 000 "Viber 2 Way message status"."""
    return report(_find(door, fields["id"]), fields["id"])


def report(view: MessageView, client_id: object) -> dict:
    """A message's status as a status item (and a callback) shows it; the SMS leg's once it started,
    when the client asked for one."""
    fields = JsonPhpFields.of(view.message)
    return responses.status(view, client_id, fields.report_type, statuses.of(view, fields.sms_fallback))


def hlr_lookup(door: AccountDoor, fields: dict) -> dict:
    return hlr.lookup(fields["phone_as_sent"], fields["phone"])


def balance(door: AccountDoor, fields: dict) -> dict:
    return responses.balance(door.balance(), door.account.currency)
