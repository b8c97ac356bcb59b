"""How many parts an SMS text takes, shared by the providers that bill per part.

GSM 03.38: a text made only of GSM-7 characters counts in septets (extended characters take two);
any other text counts in UCS-2 code units. Each provider supplies its own part sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")  # each takes two septets (escape + character)


@dataclass(frozen=True)
class PartSizes:
    gsm_single: int = 160
    gsm_part: int = 153
    unicode_single: int = 70
    unicode_part: int = 67


STANDARD = PartSizes()


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


def count(text: str, sizes: PartSizes = STANDARD, gsm: bool | None = None) -> int:
    """Parts of `text`; `gsm` forces the coding (None: GSM-7 when every character allows it)."""
    if is_gsm7(text) if gsm is None else gsm:
        units = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
        single, multi = sizes.gsm_single, sizes.gsm_part
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = sizes.unicode_single, sizes.unicode_part
    return 1 if units <= single else math.ceil(units / multi)
