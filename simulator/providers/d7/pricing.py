"""What a D7 message costs: the destination country, the number of parts and the price per part.

All prices live in PRICES (USD per part). doc: seed 002_704e79d5efa74dcf.txt shows an AE Viber message at
0.0004; doc: docs/Messages/Get_Status shows an SMS of 4 parts costing 0.0004 (0.0001 a part). The other
countries are inferred, plausible list prices.
"""

from __future__ import annotations

import math

from simulator.providers import sms_parts as sms_parts_rule

# dial code -> (ISO 3166 alpha-2, Viber price, SMS price per part)
PRICES: dict[str, tuple[str, float, float]] = {
    "971": ("AE", 0.0004, 0.0001),
    "966": ("SA", 0.0005, 0.0002),
    "974": ("QA", 0.0005, 0.0002),
    "965": ("KW", 0.0005, 0.0002),
    "973": ("BH", 0.0005, 0.0002),
    "968": ("OM", 0.0005, 0.0002),
    "962": ("JO", 0.0006, 0.0003),
    "20": ("EG", 0.0006, 0.0003),
    "91": ("IN", 0.0002, 0.0001),
    "92": ("PK", 0.0003, 0.0002),
    "880": ("BD", 0.0003, 0.0002),
    "94": ("LK", 0.0003, 0.0002),
    "63": ("PH", 0.0004, 0.0002),
    "62": ("ID", 0.0004, 0.0002),
    "380": ("UA", 0.0008, 0.0004),
    "375": ("BY", 0.0008, 0.0004),
    "48": ("PL", 0.0009, 0.0005),
    "49": ("DE", 0.0012, 0.0007),
    "44": ("GB", 0.0011, 0.0006),
    "33": ("FR", 0.0012, 0.0007),
    "39": ("IT", 0.0011, 0.0006),
    "34": ("ES", 0.0011, 0.0006),
    "1": ("US", 0.0010, 0.0005),
}
DEFAULT_PRICE = (None, 0.0010, 0.0005)  # inferred: an unknown country pays the dearest common price

MAX_VIBER_PART = 1000  # doc: Send_Viber_Message "Sending a long message over 1000 characters will be split"
# doc: Send-SMS ">160 GSM chars split into 153-char parts", "unicode >70 split into 63-char parts"
SMS_PART_SIZES = sms_parts_rule.PartSizes(gsm_single=160, gsm_part=153, unicode_single=70, unicode_part=63)


def country_of(recipient: str) -> tuple[str | None, float, float]:
    """(ISO country, Viber price, SMS price) for a `+`-prefixed number: the longest known dial code wins."""
    digits = recipient.lstrip("+")
    for length in (3, 2, 1):
        found = PRICES.get(digits[:length])
        if found:
            return found
    return DEFAULT_PRICE


def sms_parts(text: str, coding: str) -> int:
    """Parts of an SMS by D7's rule; `coding` is the request's data_coding (text, unicode or auto)."""
    gsm = None if coding == "auto" else coding == "text"
    return sms_parts_rule.count(text, SMS_PART_SIZES, gsm)


def viber_parts(text: str) -> int:
    return max(1, math.ceil(len(text) / MAX_VIBER_PART))
