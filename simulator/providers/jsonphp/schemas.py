"""The fields of each `data[]` item type, validated with marshmallow.

Each field fails with the provider text a client would see for it; `load` reports the first failing
field in declaration order, so the order of fields below is the order checks happen. Unknown keys
are ignored, as PHP ignores keys it never reads.
"""

from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates_schema

from simulator.providers.jsonphp import messages
from simulator.providers.jsonphp.errors import ItemFailed
from simulator.providers.validation import first_error

INT64 = 2**63
_PHONE = re.compile(r"^\+?(\d{10,15})$")  # inferred: international numbers, clients send 380971234567
VIBER_TYPES = ("text", "image", "text+link", "text+image+link")  # sdk: Prihod/alphasms-client ViberRequest.php
PIPELINE_CHANNELS = ("voice", "telegram", "viber", "rcs", "sms")  # doc: docs page "Multi channel"


class _Field(fields.Field):
    """A field whose every failure (missing, null, wrong) is one provider text."""

    def __init__(self, error: str = messages.INVALID_REQUEST, **kwargs) -> None:
        super().__init__(error_messages={"required": error, "null": error, "invalid": error}, **kwargs)
        self.error = error

    def _deserialize(self, value, attr, data, **kwargs):
        result = self.convert(value)
        if result is None:
            raise ValidationError(self.error)
        return result

    def convert(self, value):
        return value


class ClientId(_Field):
    """doc: "Unique message identifier in the client system", a number; clients also send strings.
    Kept with its JSON type, so it is echoed back as it came. Integers beyond 64 bits and floats
    PHP would print differently (exponents, infinity) are refused."""

    def convert(self, value):
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value if -INT64 <= value < INT64 else None
        if isinstance(value, float):
            # PHP and Python print floats alike only in plain notation (no exponent)
            return value if value == 0 or 1e-4 <= abs(value) < 1e15 else None
        return value if isinstance(value, str) else None


class Phone(_Field):
    """A number or a digit string (optionally +); kept as digits."""

    def __init__(self, **kwargs) -> None:
        super().__init__(messages.INVALID_PHONE, **kwargs)

    def convert(self, value):
        if isinstance(value, bool) or not isinstance(value, int | str):
            return None
        match = _PHONE.match(str(value))
        return match.group(1) if match else None


class Text(_Field):
    """A non-blank string."""

    def __init__(self, error: str = messages.EMPTY_MESSAGE, **kwargs) -> None:
        super().__init__(error, **kwargs)

    def convert(self, value):
        return value if isinstance(value, str) and value.strip() else None


class Signature(Text):
    def __init__(self, **kwargs) -> None:
        super().__init__(messages.ALPHA_NAME, **kwargs)


class Lifetime(_Field):
    """Seconds, a positive number or digit string."""

    def convert(self, value):
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value) if 0 < value < INT64 else None


class Hook(_Field):
    def convert(self, value):
        return value if isinstance(value, str) else None


class OneOf(_Field):
    def __init__(self, choices: tuple[str, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def convert(self, value):
        return value if value in self.choices else None


class Flag(_Field):
    def convert(self, value):
        return value if isinstance(value, bool) else None


class _Nested(fields.Nested):
    def __init__(self, nested, **kwargs) -> None:
        error = messages.INVALID_REQUEST
        super().__init__(nested, error_messages={"required": error, "null": error, "type": error}, **kwargs)


class _Item(Schema):
    error_messages = {"type": messages.INVALID_REQUEST}  # noqa: RUF012 (marshmallow's class attribute)

    class Meta:
        unknown = EXCLUDE


def _require(data: dict, needed: dict[str, str]) -> None:
    """Schema-level: fields that only some variants need, each with its own text."""
    for name, error in needed.items():
        if name not in data:
            raise ValidationError(error, name)


class SmsSchema(_Item):
    # doc: docs page "Send SMS"; sdk: wearesho-team/alphasms-message-delivery Service.php
    id = ClientId(required=True)
    phone = Phone(required=True)
    sms_signature = Signature(required=True)
    sms_message = Text(required=True)
    sms_lifetime = Lifetime()
    hook = Hook()


_VIBER_NEEDS: dict[str, dict[str, str]] = {
    "text": {"viber_message": messages.EMPTY_MESSAGE},
    "image": {"viber_image": messages.INVALID_IMAGE},
    "text+link": {
        "viber_message": messages.EMPTY_MESSAGE,
        "viber_link": messages.INVALID_REQUEST,
        "viber_button": messages.INVALID_REQUEST,
    },
    "text+image+link": {
        "viber_message": messages.EMPTY_MESSAGE,
        "viber_link": messages.INVALID_REQUEST,
        "viber_button": messages.INVALID_REQUEST,
        "viber_image": messages.INVALID_IMAGE,
    },
}


class ViberSchema(_Item):
    # sdk: Prihod/alphasms-client src/Request/ViberRequest.php
    id = ClientId(required=True)
    phone = Phone(required=True)
    viber_type = OneOf(VIBER_TYPES, required=True)
    viber_signature = Signature(required=True)
    viber_message = Text()
    viber_image = Text(messages.INVALID_IMAGE)
    viber_link = Text(messages.INVALID_REQUEST)
    viber_button = Text(messages.INVALID_REQUEST)
    viber_lifetime = Lifetime()
    hook = Hook()

    @validates_schema
    def _per_viber_type(self, data: dict, **kwargs) -> None:
        _require(data, _VIBER_NEEDS[data["viber_type"]])


class ViberSmsSchema(ViberSchema):
    # sdk: Prihod/alphasms-client src/Request/ViberSMSRequest.php
    sms_signature = Signature(required=True)
    sms_message = Text(required=True)
    sms_lifetime = Lifetime()


class RcsSchema(_Item):
    # sdk: Prihod/alphasms-client src/Request/RCSRequest.php
    id = ClientId(required=True)
    phone = Phone(required=True)
    rcs_signature = Signature(required=True)
    rcs_message = Text(required=True)
    rcs_image = Text(messages.INVALID_IMAGE)
    rcs_link = Text(messages.INVALID_REQUEST)
    rcs_button = Text(messages.INVALID_REQUEST)
    rcs_lifetime = Lifetime()
    hook = Hook()


class RcsSmsSchema(RcsSchema):
    # sdk: Prihod/alphasms-client src/Request/RCSSMSRequest.php
    sms_signature = Signature(required=True)
    sms_message = Text(required=True)
    sms_lifetime = Lifetime()


class TelegramSchema(_Item):
    # doc: docs page "telegram"
    id = ClientId(required=True)
    phone = Phone(required=True)
    message = Text(required=True)
    telegram_lifetime = Lifetime()
    hook = Hook()


class VoiceParams(_Item):
    gender = Text(messages.INVALID_REQUEST, required=True)
    language = Text(messages.INVALID_REQUEST, required=True)
    name = Text(messages.INVALID_REQUEST, required=True)


class VoiceSchema(_Item):
    # doc: docs page "voice"
    id = ClientId(required=True)
    phone = Phone(required=True)
    message = Text(required=True)
    voice = _Nested(VoiceParams)
    dtmf = Flag()
    hook = Hook()


class CallOtpSchema(_Item):
    # sdk: wearesho-team/alphasms-message-delivery src/VoiceOtp/Request.php sends an id;
    # sdk: Prihod/alphasms-client src/Request/VoiceOTPRequest.php (an HLRRequest) sends only the phone
    id = ClientId()
    phone = Phone(required=True)


class _PipelineVoice(_Item):
    message = Text(required=True)
    voice = _Nested(VoiceParams)
    dtmf = Flag()


class _PipelineText(_Item):
    message = Text(required=True)


class _PipelineViber(_Item):
    type = OneOf(VIBER_TYPES, required=True)
    signature = Signature(required=True)
    message = Text(required=True)


class _PipelineSigned(_Item):
    signature = Signature(required=True)
    message = Text(required=True)


class _Pipeline(_Field):
    def convert(self, value):
        if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
            return None
        if len(set(value)) != len(value) or not set(value) <= set(PIPELINE_CHANNELS):
            return None
        return value


class PipelineSchema(_Item):
    # doc: docs page "Multi channel"
    pipeline = _Pipeline(required=True)
    id = ClientId(required=True)
    phone = Phone(required=True)
    voice = _Nested(_PipelineVoice)
    telegram = _Nested(_PipelineText)
    viber = _Nested(_PipelineViber)
    rcs = _Nested(_PipelineSigned)
    sms = _Nested(_PipelineSigned)
    hook = Hook()

    @validates_schema
    def _channel_options(self, data: dict, **kwargs) -> None:
        _require(data, {channel: messages.INVALID_REQUEST for channel in data["pipeline"]})


class StatusSchema(_Item):
    # doc: seeds 000/001
    id = ClientId(required=True)


class EchoedPhone(Phone):
    """A valid phone kept exactly as sent (number or string), for answers that echo it."""

    def convert(self, value):
        return value if super().convert(value) is not None else None


class HlrSchema(_Item):
    # doc: docs page "HLR"
    phone = EchoedPhone(required=True)


class BalanceSchema(_Item):
    pass  # doc: docs page "Balance check": `{"type":"balance"}`


def load(schema: type[Schema], item: dict) -> dict:
    """The item's fields, or ItemFailed with the first failing field's text."""
    present = {key: value for key, value in item.items() if value is not None}  # PHP isset(): null is absent
    try:
        return schema().load(present)
    except ValidationError as exc:
        raise ItemFailed(str(first_error(exc.messages)[1])) from None
