"""The fields of each `data[]` item type, validated with marshmallow.

Each field fails with the provider text a client would see for it; `load` reports the first failing
field in declaration order, so the order of fields below is the order checks happen. Unknown keys
are ignored, as PHP ignores keys it never reads.
"""

from __future__ import annotations

import functools
import re
from typing import ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validates_schema

from simulator.providers import php_json
from simulator.providers.jsonphp import messages
from simulator.providers.jsonphp.errors import ItemFailed, RequestRefused
from simulator.providers.openapi import BOOLEAN, INTEGER, STRING, array, one_of, string
from simulator.providers.validation import first_error

JSON_TYPE = "application/json"  # doc: "Requests must contain header Content-Type: application/json"
INT64 = 2**63
_PHONE = re.compile(r"^\+?(\d{10,15})$")  # inferred: international numbers, clients send 380971234567
VIBER_TYPES = ("text", "image", "text+link", "text+image+link")  # sdk: Prihod/alphasms-client ViberRequest.php
PIPELINE_CHANNELS = ("voice", "telegram", "viber", "rcs", "sms")  # doc: docs page "Multi channel"


def envelope(method: str, mimetype: str, raw: bytes) -> dict:
    """The decoded body, or the whole request refused as invalid."""
    if method != "POST" or mimetype != JSON_TYPE:
        raise RequestRefused(messages.INVALID_REQUEST)
    try:
        body = php_json.decode(raw)
    except php_json.DecodeError:
        raise RequestRefused(messages.INVALID_REQUEST) from None
    if not isinstance(body, dict):
        raise RequestRefused(messages.INVALID_REQUEST)
    return body


class _Field(fields.Field):
    """A field whose every failure (missing, null, wrong) is one provider text: `error`, else the default."""

    default_error = messages.INVALID_REQUEST

    def __init__(self, error: str | None = None, **kwargs) -> None:
        text = error or self.default_error
        super().__init__(error_messages={"required": text, "null": text, "invalid": text}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not self.valid(value):
            raise self.make_error("invalid")
        return value

    def valid(self, value: object) -> bool:
        return True


class ClientId(_Field):
    """doc: "Unique message identifier in the client system", a number; clients also send strings.
    Kept with its JSON type, so it is echoed back as it came. Integers beyond 64 bits and floats
    PHP would print differently (exponents, infinity) are refused."""

    openapi: ClassVar[dict] = one_of(INTEGER, STRING)

    def valid(self, value: object) -> bool:
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return -INT64 <= value < INT64
        if isinstance(value, float):
            # PHP and Python print floats alike only in plain notation (no exponent)
            return value == 0 or 1e-4 <= abs(value) < 1e15
        return isinstance(value, str)


class Phone(_Field):
    """A number or a digit string (optionally +); kept as digits."""

    default_error = messages.INVALID_PHONE
    openapi: ClassVar[dict] = one_of(INTEGER, STRING)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        match = _PHONE.match(str(value)) if not isinstance(value, bool) and isinstance(value, int | str) else None
        if match is None:
            raise self.make_error("invalid")
        return match.group(1)


class Text(_Field):
    """A non-blank string."""

    default_error = messages.EMPTY_MESSAGE
    openapi: ClassVar[dict] = STRING

    def valid(self, value: object) -> bool:
        return isinstance(value, str) and bool(value.strip())


class Signature(Text):
    default_error = messages.ALPHA_NAME


class Lifetime(_Field):
    """Seconds, a positive number or digit string."""

    openapi: ClassVar[dict] = {**INTEGER, "minimum": 1}  # what a client should send

    def _deserialize(self, value, attr, data, **kwargs) -> float:
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < INT64:
            raise self.make_error("invalid")
        return float(value)


class Hook(_Field):
    openapi: ClassVar[dict] = STRING

    def valid(self, value: object) -> bool:
        return isinstance(value, str)


class OneOf(_Field):
    def __init__(self, choices: tuple[str, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = choices
        self.openapi = string(enum=choices)

    def valid(self, value: object) -> bool:
        return value in self.choices


class Flag(_Field):
    openapi: ClassVar[dict] = BOOLEAN

    def valid(self, value: object) -> bool:
        return isinstance(value, bool)


class _Nested(fields.Nested):
    def __init__(self, nested, **kwargs) -> None:
        error = messages.INVALID_REQUEST
        super().__init__(nested, error_messages={"required": error, "null": error, "type": error}, **kwargs)


class _Item(Schema):
    error_messages = {"type": messages.INVALID_REQUEST}  # noqa: RUF012 (marshmallow's class attribute)

    class Meta:
        unknown = EXCLUDE


def _require(schema: Schema, data: dict, names: tuple[str, ...]) -> None:
    """Schema-level: fields only some variants need, each failing with its own text."""
    for name in names:
        if name not in data:
            raise ValidationError(schema.fields[name].error_messages["required"], name)


class SmsSchema(_Item):
    # doc: docs page "Send SMS"; sdk: wearesho-team/alphasms-message-delivery Service.php
    id = ClientId(required=True)
    phone = Phone(required=True)
    sms_signature = Signature(required=True)
    sms_message = Text(required=True)
    sms_lifetime = Lifetime()
    hook = Hook()


# What each viber_type needs, checked in this order (sdk: Prihod/alphasms-client ViberRequest.php).
_VIBER_NEEDS: dict[str, tuple[str, ...]] = {
    "text": ("viber_message",),
    "image": ("viber_image",),
    "text+link": ("viber_message", "viber_link", "viber_button"),
    "text+image+link": ("viber_message", "viber_link", "viber_button", "viber_image"),
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
        _require(self, data, _VIBER_NEEDS[data["viber_type"]])


class _SmsFallback(Schema):
    """The SMS a Viber or RCS message falls back to; listed first among the bases, its fields check last."""

    sms_signature = Signature(required=True)
    sms_message = Text(required=True)
    sms_lifetime = Lifetime()


class ViberSmsSchema(_SmsFallback, ViberSchema):
    """sdk: Prihod/alphasms-client src/Request/ViberSMSRequest.php"""


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


class RcsSmsSchema(_SmsFallback, RcsSchema):
    """sdk: Prihod/alphasms-client src/Request/RCSSMSRequest.php"""


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
    """The channels to try, in order: distinct known names, at least one."""

    openapi: ClassVar[dict] = array(string(enum=PIPELINE_CHANNELS), min_items=1, unique=True)

    def valid(self, value: object) -> bool:
        if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
            return False
        return len(set(value)) == len(value) and set(value) <= set(PIPELINE_CHANNELS)


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
        _require(self, data, tuple(data["pipeline"]))


class StatusSchema(_Item):
    # doc: seeds 000/001
    id = ClientId(required=True)


class HlrSchema(_Item):
    # doc: docs page "HLR"
    phone = Phone(required=True)

    @post_load(pass_original=True)
    def _as_sent(self, data: dict, original: dict, **kwargs) -> dict:
        return {**data, "phone_as_sent": original["phone"]}  # the answer echoes the number as it came


class BalanceSchema(_Item):
    pass  # doc: docs page "Balance check": `{"type":"balance"}`


def echoed_id(item: dict) -> object:
    """The item's `id` as a failed item's answer echoes it: only an id that is valid."""
    try:
        return ClientId().deserialize(item.get("id"))
    except ValidationError:
        return None


@functools.cache
def _instance(schema: type[Schema]) -> Schema:
    """One object per schema: building one costs more than loading an item with it."""
    return schema()


def load(schema: type[Schema], item: dict) -> dict:
    """The item's fields, or ItemFailed with the first failing field's text."""
    present = {key: value for key, value in item.items() if value is not None}  # PHP isset(): null is absent
    try:
        return _instance(schema).load(present)
    except ValidationError as exc:
        raise ItemFailed(str(first_error(exc.messages)[1])) from None
