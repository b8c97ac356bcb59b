"""Golden-case fixtures for D7: state the documents show, put in through the provider's door."""

from __future__ import annotations

from simulator.core.doors import Draft
from simulator.core.engine import Engine
from simulator.providers.d7.responses import VIBER_LOG
from simulator.providers.d7.sending import D7Fields
from tests.conftest import demo_door

SEED_REQUEST = "9d056a09-0fc4-4f68-9058-3846d58aa244"  # doc: seed 002_704e79d5efa74dcf.txt
SEED_MESSAGES = ("7053a678-75fe-11ed-9e31-0242ac14001c", "7052cd16-75fe-11ed-9e31-0242ac14001c")
SEED_RECIPIENT = "+9715097526xx"  # the seed's redacted number, kept as printed


def _seed_report(engine: Engine, channel: str) -> None:
    demo_door(engine, "d7").submit(
        Draft(
            id=msg_id,
            channel="viber",
            recipient=SEED_RECIPIENT,
            sender="INFO2WAY",
            text="hi",
            cost=0.0004,
            group=SEED_REQUEST,
            attrs=D7Fields(log=VIBER_LOG, index=index, country="AE", report_channel=channel).to_dict(),
        )
        for index, msg_id in enumerate(SEED_MESSAGES)
    )


def seed_viber_report(engine: Engine) -> None:
    """The seed's two-row viber-log, printing "channel":"sms" exactly as the seed does."""
    _seed_report(engine, "sms")


def seed_viber_report_viber_channel(engine: Engine) -> None:
    """The same rows as the simulator reports them by default ("channel":"viber")."""
    _seed_report(engine, "viber")


def empty_balance(engine: Engine) -> None:
    demo_door(engine, "d7").set_balance(0.0)
