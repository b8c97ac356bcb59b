"""Status answers (doc: seeds 001 "Message status" and 000 "Viber 2 Way message status").

A status request names the client's own `id` (the seeds' examples use the send examples' 100500);
it is looked up as the account's latest message with that client id, then as a gateway `msg_id`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from simulator.core.doors import AccountDoor
from simulator.core.lifecycle import Reply
from simulator.core.messages import MessageView
from simulator.providers.jsonphp import messages, statuses
from simulator.providers.jsonphp.errors import ItemFailed

# doc: seed 000 shows "2022-05-01T12:01:02+03:00": Kyiv local time with its offset
ZONE = ZoneInfo("Europe/Kyiv")
CLIENT_IDS = "client_id"  # record kind: account + client id -> msg_id


def client_key(door: AccountDoor, client_id: object) -> str:
    # inferred: PHP compares ids loosely, so 100500 and "100500" name the same message
    return f"{door.account.name}\x1f{client_id}"


def remember(door: AccountDoor, client_id: object, msg_id: int) -> None:
    door.put_record(CLIENT_IDS, client_key(door, client_id), {"msg_id": msg_id})


def find(door: AccountDoor, client_id: object) -> MessageView:
    record = door.get_record(CLIENT_IDS, client_key(door, client_id))
    msg_id = record["msg_id"] if record else client_id
    view = door.owned(str(msg_id))
    if view is None:
        raise ItemFailed(messages.NOT_FOUND)
    return view


def status(view: MessageView, client_id: object) -> dict:
    """The item `data`: id, type, status, and replies once the recipient replied (seed 000)."""
    word = statuses.of(view, bool(view.message.attrs.get("sms_fallback")))
    data = {"id": client_id, "type": view.message.attrs["report_type"], "status": word}
    if word == statuses.STATUSES["replied"]:
        data["replies"] = [_reply(view, reply) for reply in view.replies]
    return data


def _reply(view: MessageView, reply: Reply) -> dict:
    item: dict = {"datetime": view.moment(reply.after).astimezone(ZONE).isoformat(timespec="seconds")}
    if reply.text is not None:
        item["message"] = reply.text
    if reply.media is not None:
        item["media"] = {"url": reply.media.url, "filename": reply.media.filename, "filesize": reply.media.filesize}
    return item
