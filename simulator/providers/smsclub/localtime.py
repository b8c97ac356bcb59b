"""SMS Club's local time: dates are printed and mailing hours checked in Kyiv time (inferred)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")


def kyiv(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=KYIV)


def printed(timestamp: float) -> str:
    """`YYYY-MM-DD HH:MM:SS` as in the chat examples [seed 004]."""
    return kyiv(timestamp).strftime("%Y-%m-%d %H:%M:%S")
