"""Marshmallow fields the control API's schemas share."""

from __future__ import annotations

from marshmallow import ValidationError, fields

from simulator.core.clock import parse_duration


class Duration(fields.Field):
    """A duration ("250ms", "2s", 1.5) loaded as seconds, at most `maximum`."""

    def __init__(self, maximum: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.maximum = maximum

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if seconds > self.maximum:
            raise ValidationError(f"at most {self.maximum:g}s")
        return seconds
