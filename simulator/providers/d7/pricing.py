"""What a D7 message costs: the number of parts and the price per part in the destination country.

All prices live in PRICES (USD per part). doc: seed 002_704e79d5efa74dcf.txt shows an AE Viber message at
0.0004; doc: docs/Messages/Get_Status shows an SMS of 4 parts costing 0.0004 (0.0001 a part). The other
countries are inferred, plausible list prices.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from simulator.providers import sms_parts as sms_parts_rule


class Prices(NamedTuple):
    viber: float
    sms: float


# ISO 3166 alpha-2, as simulator.providers.numbers gives it -> prices per part
PRICES: dict[str, Prices] = {
    "AE": Prices(0.0004, 0.0001),
    "SA": Prices(0.0005, 0.0002),
    "QA": Prices(0.0005, 0.0002),
    "KW": Prices(0.0005, 0.0002),
    "BH": Prices(0.0005, 0.0002),
    "OM": Prices(0.0005, 0.0002),
    "JO": Prices(0.0006, 0.0003),
    "EG": Prices(0.0006, 0.0003),
    "IN": Prices(0.0002, 0.0001),
    "PK": Prices(0.0003, 0.0002),
    "BD": Prices(0.0003, 0.0002),
    "LK": Prices(0.0003, 0.0002),
    "PH": Prices(0.0004, 0.0002),
    "ID": Prices(0.0004, 0.0002),
    "UA": Prices(0.0008, 0.0004),
    "BY": Prices(0.0008, 0.0004),
    "PL": Prices(0.0009, 0.0005),
    "DE": Prices(0.0012, 0.0007),
    "GB": Prices(0.0011, 0.0006),
    "FR": Prices(0.0012, 0.0007),
    "IT": Prices(0.0011, 0.0006),
    "ES": Prices(0.0011, 0.0006),
    "US": Prices(0.0010, 0.0005),
}
DEFAULT_PRICES = Prices(0.0010, 0.0005)  # inferred: any other country pays the dearest common price


MAX_VIBER_PART = 1000  # doc: Send_Viber_Message "Sending a long message over 1000 characters will be split"
# doc: Send-SMS ">160 GSM chars split into 153-char parts", "unicode >70 split into 63-char parts"
SMS_PART_SIZES = sms_parts_rule.PartSizes(gsm_single=160, gsm_part=153, unicode_single=70, unicode_part=63)


def price(country: str | None, channel: str) -> float:
    """USD per part on `channel` ("viber" or "sms") to a number in `country`."""
    return getattr(PRICES.get(country or "", DEFAULT_PRICES), channel)


def sms_parts(text: str, coding: str) -> int:
    """Parts of an SMS by D7's rule; `coding` is the request's data_coding (text, unicode or auto)."""
    gsm = None if coding == "auto" else coding == "text"
    return sms_parts_rule.count(text, SMS_PART_SIZES, gsm)


def viber_parts(text: str) -> int:
    return max(1, math.ceil(len(text) / MAX_VIBER_PART))
