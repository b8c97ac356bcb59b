"""Seeded randomness: the only place that touches `random`, `uuid` and Faker.

Same seed and same calls give the same ids and texts, so whole runs are reproducible.
"""

from __future__ import annotations

import random
import re
import threading
import uuid
from collections.abc import Callable

from faker import Faker

_FAKER_FIELD = re.compile(r"\{faker\.([a-z_]+)\}")


class Ids:
    """Seeded ids and texts.

    `draws`, when given, numbers every draw from a counter that several processes share. With a seed,
    each draw then comes from a generator seeded with (seed, number), so workers sharing one store
    never repeat each other's ids and a run stays reproducible.
    """

    def __init__(self, seed: int | None = None, draws: Callable[[], int] | None = None) -> None:
        self._lock = threading.Lock()
        self._draws = draws
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self.seed = seed
            self._random = random.Random(seed)
            # A Faker costs ~70 KB and a few ms to build; most namespaces never fill a Faker text, so
            # it is built at the first one, seeded as it would have been here (see `_faker_instance`).
            self._faker: Faker | None = None
            self._faker_seed: int | str | None = seed

    def _next(self) -> None:
        """Move to the next shared draw (caller holds the lock); a no-op for a process-local stream."""
        if self._draws is None or self.seed is None:
            return
        seed = f"{self.seed}:{self._draws()}"
        self._random.seed(seed)
        self._faker_seed = seed
        if self._faker is not None:
            self._faker.seed_instance(seed)

    def _faker_instance(self) -> Faker:
        """The namespace's Faker (caller holds the lock), built on first use."""
        if self._faker is None:
            self._faker = Faker()
            self._faker.seed_instance(self._faker_seed)
        return self._faker

    def uuid4(self) -> str:
        with self._lock:
            self._next()
            return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def uuid1(self, timestamp: float) -> str:
        """A time-based UUID (version 1) at `timestamp` with a seeded node and sequence."""
        with self._lock:
            self._next()
            node = self._random.getrandbits(48)
            clock_seq = self._random.getrandbits(14)
        intervals = int(timestamp * 10_000_000) + 0x01B21DD213814000
        return str(
            uuid.UUID(
                fields=(
                    intervals & 0xFFFFFFFF,
                    (intervals >> 32) & 0xFFFF,
                    (intervals >> 48) & 0x0FFF | 0x1000,
                    (clock_seq >> 8) | 0x80,
                    clock_seq & 0xFF,
                    node,
                )
            )
        )

    def digits(self, length: int) -> str:
        with self._lock:
            self._next()
            first = str(self._random.randint(1, 9))
            return first + "".join(str(self._random.randint(0, 9)) for _ in range(length - 1))

    def hex(self, length: int) -> str:
        with self._lock:
            self._next()
            return "".join(self._random.choice("0123456789abcdef") for _ in range(length))

    def uniform(self) -> float:
        """A number in [0, 1) for probability splits."""
        with self._lock:
            self._next()
            return self._random.random()

    def fake(self, field: str) -> str:
        with self._lock:
            self._next()
            generator = getattr(self._faker_instance(), field, None)
            if generator is None or not callable(generator) or field.startswith("_"):
                raise ValueError(f"unknown Faker field {field!r}")
            return str(generator())

    def render(self, template: str) -> str:
        """Fill `{faker.<field>}` placeholders, e.g. "{faker.sentence}"."""
        return _FAKER_FIELD.sub(lambda match: self.fake(match.group(1)), template)


def faker_fields_in(template: str) -> list[str]:
    return _FAKER_FIELD.findall(template)


_REFERENCE_FAKER = Faker()


def is_faker_field(field: str) -> bool:
    return not field.startswith("_") and callable(getattr(_REFERENCE_FAKER, field, None))
