"""Reading marshmallow's error dicts, the same way for every provider.

marshmallow reports problems as nested dicts (field -> messages, list index -> messages, `_schema` for
a schema validator's own) in the order it found them: fields in declaration order, then schema
validators. Providers differ in how much of that they show (json.php: the first problem; SMS Club:
the first message of each field; D7: every problem with its location), not in how it is read, so the
reading lives here. Messages are left as they are (strings, or a provider's own problem objects).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

Path = tuple[str | int, ...]
SCHEMA_KEY = "_schema"  # marshmallow's key for errors a schema validator raised without naming a field


def problems(messages: object, path: Path = ()) -> Iterator[tuple[Path, object]]:
    """Every message with the field path it belongs to, in marshmallow's order (`_schema` adds nothing)."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from problems(value, path if key == SCHEMA_KEY else (*path, key))
    elif isinstance(messages, list):
        for value in messages:
            yield from problems(value, path)
    else:
        yield path, messages


def first_error(messages: object) -> tuple[Path, object]:
    """The first problem marshmallow found: the first failing field in declaration order."""
    return next(problems(messages), ((), ""))


def first_per_field(messages: dict, order: Sequence[str] = ()) -> dict[str, object]:
    """The first message of each top-level field; fields named in `order` first, in that order."""
    rank = {key: index for index, key in enumerate(order)}
    keys = sorted(messages, key=lambda key: rank.get(key, len(order)))  # stable: unranked keys stay as found
    return {key: first_error(messages[key])[1] for key in keys}
