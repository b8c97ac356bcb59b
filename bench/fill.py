"""Fill a simulator with many stored messages quickly: straight through the engine, not over HTTP.

The messages look like D7 SMS sends (one request id per message, the attributes D7 keeps), each
on the default scenario, so lookups at scale measure what a load test of a notification pipeline
leaves behind.
"""

from __future__ import annotations

from dataclasses import replace

from simulator.core.services import Engine, Submission

PROVIDER = "d7"
TEXT = "Your code is {code:04d}. It expires in 10 minutes."  # a fresh string each, as sends make


def recipient(number: int) -> str:
    # +97152... numbers: no magic-number scenario matches them, so each gets the default scenario
    return f"97152{number % 10_000_000:07d}"


# Every this many messages the clock moves on so their transitions fire, as they would on a real clock.
BATCH = 1000


def fill(engine: Engine, count: int, namespace: str = "default", start: int = 0) -> None:
    """Submit `count` D7-like messages, one request each, then let every transition fire.

    Works on a frozen clock (advanced past each batch's transitions) or a running one.
    """
    services = engine.services(namespace)
    account = replace(engine.accounts.demo(PROVIDER), balance=float("inf"))
    for number in range(start, start + count):
        if number % BATCH == 0:
            services.clock.advance(5)
        now = services.now()
        request_id = services.ids.uuid4()
        services.submit(
            [
                Submission(
                    provider=PROVIDER,
                    id=services.ids.uuid1(now),
                    account=account,
                    channel="sms",
                    recipient=recipient(number),
                    sender="".join(("Sign", "OTP")),  # a fresh string each, as parsing JSON makes
                    text=TEXT.format(code=number % 10_000),
                    cost=0.0,
                    group=request_id,
                    attrs={
                        "index": 0,
                        "country": "AE",
                        "parts": 1,
                        "schedule_time": None,
                        "tag": None,
                        "callback_url": None,
                        "callback_format": "form",
                    },
                )
            ]
        )
