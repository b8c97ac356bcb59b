"""Set-up steps for json.php golden cases (called with the engine of the case's fresh app)."""

from __future__ import annotations

from simulator.core.clock import parse_instant
from simulator.core.doors import OperatorDoor
from simulator.core.engine import Engine
from simulator.core.lifecycle import Media
from tests.conftest import demo_door, of_provider


def msg_ids_from_101(engine: Engine) -> None:
    """The gateway counter hands out 100 here, so the case's first send gets msg_id 101."""
    demo_door(engine, "jsonphp").next_id("msg", 100)


def _advance_to(operator: OperatorDoor, instant: str) -> None:
    operator.clock.advance(parse_instant(instant).timestamp() - operator.now())


def seed_000_replies(engine: Engine) -> None:
    """The three replies of seed 000_6316faf56c75eaf3.txt to the latest json.php message."""
    services = engine.operator_door()
    key = of_provider(services, "jsonphp")[-1].message.key
    media_url = "https://url.com/home/vibermedia/"
    _advance_to(services, "2022-05-01T12:01:02+03:00")
    services.reply(key, "Please wait")
    _advance_to(services, "2022-05-03T14:21:17+03:00")
    services.reply(key, None, Media(media_url, "invoice.pdf", 67983))
    services.reply(key, "Correct invoice", Media(media_url, "invoice.pdf", 68934))
