"""Viber2Way chats: a record per chat, its history built from the chat's messages and their replies.

Outgoing messages are the chat's Viber messages (its group); incoming ones are the replies
core keeps on those messages (scenario replies and injected ones), so a reply shows up here as
soon as it exists, with no copy to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.doors import AccountDoor
from simulator.providers.smsclub import errors
from simulator.providers.smsclub import messages as msg

KIND = "chat"
FIRST_ID = 2765  # doc: seed 004 Viber2Way example
PAGE_SIZE = 30  # doc: seed 004 "output 30 messages", "30 records per page"


@dataclass(frozen=True)
class Entry:
    text: str
    at: float
    type: str


def new_id(door: AccountDoor) -> str:
    return str(door.next_id(KIND, FIRST_ID))


def save(door: AccountDoor, chat_id: str, recipient: str, sender: str) -> dict:
    record = {
        "chat_id": chat_id,
        "account": door.account.name,
        "recipient": recipient,
        "source_address": sender,
        "created_at": door.now(),
    }
    door.put_record(KIND, chat_id, record)
    return record


def owned(door: AccountDoor, chat_id: str) -> dict:
    """The account's chat; SMS Club's 400 for a missing one and for another account's, alike."""
    record = door.get_record(KIND, chat_id)
    if record is None or record["account"] != door.account.name:
        raise errors.ViberError.one(400, msg.KEY_CHAT, msg.CHAT_NOT_FOUND)
    return record


def page_of_chats(door: AccountDoor, page: int) -> list[dict]:
    """Newest first (inferred), PAGE_SIZE per page; past the last page, none."""
    mine = [record for record in door.records(KIND) if record["account"] == door.account.name]
    newest_first = [record for _, record in sorted(enumerate(mine), key=lambda pair: (pair[1]["created_at"], pair[0]))]
    newest_first.reverse()
    return _page(newest_first, page)


def history(door: AccountDoor, chat: dict, page: int) -> list[Entry]:
    """Oldest first, PAGE_SIZE per page.

    A reply is never listed before the message it answers, even if its date says otherwise (the
    document's own example shows such a reply, dated a year before the message).
    """
    views = door.in_group(chat["chat_id"]).views
    keyed = []
    for order, view in enumerate(views):
        sent_at = view.message.created_at
        keyed.append(((sent_at, order, 0), Entry(view.message.text or "", sent_at, msg.OUTGOING)))
        for index, reply in enumerate(view.replies, start=1):
            at = sent_at + reply.after
            text = reply.text if reply.text is not None else reply.media.url
            keyed.append(((max(at, sent_at), order, index), Entry(text, at, msg.INCOMING)))
    return _page([entry for _, entry in sorted(keyed, key=lambda pair: pair[0])], page)


def _page(items: list, page: int) -> list:
    start = (page - 1) * PAGE_SIZE
    return items[start : start + PAGE_SIZE]
