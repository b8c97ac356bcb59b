"""Golden fixtures for SMS Club: state the document's examples assume, built through the provider's code."""

from __future__ import annotations

from datetime import datetime

from simulator.core.engine import Engine
from simulator.providers.smsclub import chats, sending
from simulator.providers.smsclub.schemas import LOCAL_TIME, ViberSend
from tests.conftest import demo_door


def chat_57(engine: Engine) -> None:
    """Chat 57 with 30 older messages on page 1 and the document's two messages on page 2 [seed 004].

    The document's reply is dated a year before the message it answers; it is injected with the
    clock set back to that date, and still listed after the message.
    """
    door, operator = demo_door(engine, "smsclub"), engine.operator_door()
    created = datetime(2021, 9, 15, 17, 17, 43, tzinfo=LOCAL_TIME)
    operator.clock.freeze(created)
    chats.save(door, "57", "380999999999", "test")

    def say(text: str) -> str:
        request = ViberSend(sender=None, phones=[], message=text, two_way=True, chat_id="57")
        return sending.send_viber(door, request).sent[0].id

    for number in range(30):
        say(f"Ваш код підтвердження: {100000 + number}")
    last = say("Ваш код підтвердження: 121212")
    operator.clock.set(datetime(2020, 9, 16, 11, 44, 3, tzinfo=LOCAL_TIME))
    operator.reply(f"smsclub:{last}", "Окей")
    operator.clock.set(created)


def chats_page_2(engine: Engine) -> None:
    """Chat 51 [seed 004 example] and 30 newer chats, so that page 2 holds chat 51 alone."""
    door, clock = demo_door(engine, "smsclub"), engine.operator_door().clock
    clock.freeze(datetime(2020, 5, 28, 11, 43, 29, tzinfo=LOCAL_TIME))
    chats.save(door, "51", "380777777777", "test")
    for number in range(30):
        clock.advance(60)
        chats.save(door, chats.new_id(door), f"3807777770{number:02d}", "test")


def demo_balance_1_uah(engine: Engine) -> None:
    """Enough for a Viber message (0.82) but not for Viber+SMS (0.82 + 1.05)."""
    demo_door(engine, "smsclub").set_balance(1.0)
