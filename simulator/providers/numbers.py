"""Phone numbers for every provider, read with libphonenumber's metadata (the `phonenumbers` library).

One question a provider asks: which number does this text dial, and in which country? `parse` answers
with the E.164 digits and the ISO 3166 country, for international numbers (`+` optional) and, given a
region, that region's national form too (SMS Club's `0980000001`). Only valid numbers count, except the
simulator's reserved test numbers (scenarios/magic.yaml, README "magic numbers"), which always work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, carrier

_TEXT = re.compile(r"^\+?[\d\s().-]+$")  # digits with the usual separators; no letters, no extensions
_UNKNOWN = {"ZZ", "001"}  # libphonenumber's "no region" and "non-geographic entity"
MAX_DIGITS = 15  # ITU-T E.164

# Reserved test numbers, as E.164 digits: kept working even where libphonenumber calls them invalid
# (+380 90 000000 05 has one digit too many for Ukraine) or where its metadata may change.
RESERVED = (
    re.compile(r"\d{2,}000000\d\d"),  # scenarios/magic.yaml, every provider: a country code, a digit, 000000NN
    re.compile(r"9715000001\d\d"),  # D7's own numbers (README)
    re.compile(r"380990\d{6}"),  # SMS Club's 380 99 0xx xxxx and json.php's 380990000101…
    re.compile(r"3069000001\d\d"),  # Routee's own numbers (README)
)


@dataclass(frozen=True)
class Number:
    digits: str  # country code and national number: 380980000001
    country: str | None  # ISO 3166 alpha-2; None for non-geographic numbers (+800, +882 …)

    @property
    def e164(self) -> str:
        return "+" + self.digits


def parse(text: object, region: str | None = None) -> Number | None:
    """The number `text` dials, or None when it is not a valid one.

    `text` is international (`+` optional: D7 and SMS Club clients send 380971234567), or, when `region`
    (ISO alpha-2) is given, a national number of that region (0980000001 in "UA").
    """
    if not isinstance(text, str):
        return None
    return _remembered(text, region) if len(text) <= _REMEMBERED_LENGTH else _parse(text, region)


# Every send parses its recipients; libphonenumber takes ~0.1 ms a number, and tests and load runs send
# to the same few numbers over and over. A Number is immutable, so a reading can be shared; only short
# texts are kept, so that hostile input cannot fill memory.
_REMEMBERED_LENGTH = 32


def _parse(text: str, region: str | None) -> Number | None:
    if not _TEXT.match(text.strip()):
        return None
    digits = re.sub(r"\D", "", text)
    candidates = [text] if region is not None and not text.strip().startswith("+") else []
    candidates.append("+" + digits)
    read = [number for number in (_read(candidate, region) for candidate in candidates) if number is not None]
    # A valid reading wins over a reserved one: 971500000001 in "UA" is the UAE number, not a Ukrainian 000000NN.
    for number in read:
        if phonenumbers.is_valid_number(number):
            return Number(_digits(number), _iso(phonenumbers.region_code_for_number(number)))
    for number in read:
        if any(block.fullmatch(_digits(number)) for block in RESERVED) and _assigned(number):
            return Number(_digits(number), _iso(phonenumbers.region_code_for_country_code(number.country_code)))
    return None


_remembered = functools.lru_cache(maxsize=65536)(_parse)


def country(text: str) -> str | None:
    """The ISO country of an international number, or None when it is not a valid number."""
    found = parse(text)
    return found.country if found else None


def operator(number: Number) -> str | None:
    """The mobile operator the number's block was assigned to (libphonenumber's carrier data), or None."""
    return carrier.name_for_number(phonenumbers.parse(number.e164), "en") or None


def _read(candidate: str, region: str | None) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except NumberParseException:
        return None
    return number if len(_digits(number)) <= MAX_DIGITS else None


def _digits(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:]


def _assigned(number: PhoneNumber) -> bool:
    return phonenumbers.region_code_for_country_code(number.country_code) != "ZZ"


def _iso(region: str | None) -> str | None:
    return None if region is None or region in _UNKNOWN else region
