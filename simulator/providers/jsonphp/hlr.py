"""HLR lookups: which Ukrainian network a number belongs to, and whether it was ported.

doc: docs page "HLR" shows one answer: 380971234567, Kyivstar prefix 97, ported to "Vodafone Ukraine
(fka MTS)" prefix 66, imsi 255010000000000, mccmnc 25501. That number stays the ported example; every
other number is answered from its operator code, not ported (inferred), with the IMSI's subscriber
digits zeroed as in the example.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.providers.jsonphp import messages
from simulator.providers.jsonphp.errors import ItemFailed

COUNTRY = {"name": "Ukraine", "prefix": 380}  # doc: docs page "HLR"


@dataclass(frozen=True)
class Network:
    name: str
    mccmnc: int


KYIVSTAR = Network("Kyivstar", 25503)  # doc: name; inferred: MCC-MNC 255-03
VODAFONE = Network("Vodafone Ukraine (fka MTS)", 25501)  # doc: name and 25501
LIFECELL = Network("lifecell", 25506)  # inferred: ITU MCC-MNC list
TRIMOB = Network("3Mob", 25507)  # inferred: ITU MCC-MNC list

# inferred: Ukrainian mobile operator codes (the two digits after 380)
OPERATORS: dict[int, Network] = {
    **dict.fromkeys((39, 67, 68, 77, 96, 97, 98), KYIVSTAR),
    **dict.fromkeys((50, 66, 75, 95, 99), VODAFONE),
    **dict.fromkeys((63, 73, 93), LIFECELL),
    91: TRIMOB,
}
# doc: docs page "HLR": the example number was ported to Vodafone, prefix 66
PORTED: dict[str, int] = {"380971234567": 66}


def lookup(phone: object, digits: str) -> dict:
    """The item `data` for `phone` (echoed as sent); ItemFailed for a number outside Ukraine."""
    if not (digits.startswith("380") and len(digits) == 12 and int(digits[3:5]) in OPERATORS):
        raise ItemFailed(messages.INVALID_PHONE)
    origin_prefix = int(digits[3:5])
    ported_prefix = PORTED.get(digits)
    current = OPERATORS[ported_prefix if ported_prefix is not None else origin_prefix]
    return {
        "phone": phone,
        "status": "DELIVERED",
        "imsi": current.mccmnc * 10**10,
        "mccmnc": current.mccmnc,
        "ported": ported_prefix is not None,
        "network": {
            "origin": _network(OPERATORS[origin_prefix], origin_prefix),
            "ported": _network(current, ported_prefix) if ported_prefix is not None else None,
        },
    }


def _network(network: Network, prefix: int) -> dict:
    return {"name": network.name, "prefix": prefix, "country": dict(COUNTRY)}
