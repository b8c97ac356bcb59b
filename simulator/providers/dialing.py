"""Which country a phone number dials: the longest known international prefix wins.

inferred: ITU-T E.164 country codes; only the countries the simulated providers are used with most.
"""

from __future__ import annotations

COUNTRIES = {
    "1": "US",
    "7": "RU",
    "20": "EG",
    "30": "GR",
    "31": "NL",
    "32": "BE",
    "33": "FR",
    "34": "ES",
    "36": "HU",
    "39": "IT",
    "40": "RO",
    "41": "CH",
    "43": "AT",
    "44": "GB",
    "45": "DK",
    "46": "SE",
    "47": "NO",
    "48": "PL",
    "49": "DE",
    "90": "TR",
    "91": "IN",
    "351": "PT",
    "353": "IE",
    "357": "CY",
    "359": "BG",
    "370": "LT",
    "371": "LV",
    "372": "EE",
    "373": "MD",
    "374": "AM",
    "375": "BY",
    "380": "UA",
    "420": "CZ",
    "421": "SK",
    "966": "SA",
    "971": "AE",
    "972": "IL",
    "974": "QA",
    "995": "GE",
}


def country(number: str) -> str | None:
    digits = "".join(char for char in number if char.isdigit())
    for length in (3, 2, 1):
        if digits[:length] in COUNTRIES:
            return COUNTRIES[digits[:length]]
    return None
