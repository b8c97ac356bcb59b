"""Request bodies, validated with marshmallow the way Routee's Bean Validation answers: the first
problem of each field, as `properties` {field path: message}, in the order the fields are declared.

doc: https://docs.routee.net/reference/send-a-viber-single-message (fields and limits),
doc: https://docs.routee.net/docs/other-viber-messaging-concept (supported layouts),
inferred: message wording is Hibernate Validator's default.
"""

from __future__ import annotations

import json
import re
from typing import ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from simulator.core import json_shape
from simulator.providers import validation
from simulator.providers.openapi import BOOLEAN, number, string
from simulator.providers.routee import errors
from simulator.providers.routee import messages as m

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
HTTPS = re.compile(r"^https://[^\s/]+\S*$")
FILE_TYPES = (
    "doc",
    "docx",
    "rtf",
    "dot",
    "dotx",
    "odt",
    "odf",
    "fodt",
    "txt",
    "info",
    "pdf",
    "xps",
    "pdax",
    "eps",
    "xls",
    "xlsx",
    "ods",
    "fods",
    "csv",
    "xlsm",
    "xltx",
)
ON_CHANGE, ON_COMPLETION = "OnChange", "OnCompletion"  # doc: reference/send-single-sms callback.strategy
STRATEGIES = (ON_CHANGE, ON_COMPLETION)
TTL_RANGE = (30, 86400)  # doc: "TTL range in seconds: 30 - 86400 seconds"
MAX_DEPTH = 1000  # inferred: Jackson's default maximum nesting depth
DEFAULT_TTL = 14 * 86400  # doc: "If it is not set, the default range is 14 days."
# SMS. sdk: a mirror of reference/send-single-sms ("Must be between 1-4320. By default Routee will attempt
# delivery for 72 hours."; `from` "numeric string with maximum length 16 characters) or an alphanumeric
# string (maximum length of 11 characters)"; label "The maximum length is 350 characters")
SMS_TTL_RANGE = (1, 4320)  # minutes
SMS_DEFAULT_TTL = 4320
MAX_ALPHA_SENDER, MAX_NUMERIC_SENDER = 11, 16
MAX_SMS_BODY = 1600  # doc: message-analysis "you can send messages containing up to 1600 characters"
# doc: supported layouts Text only, Image only, File only, Text + Button, Text + Image + Button; the campaign
# docs add video variants.
LAYOUTS = frozenset(
    {
        frozenset({"text"}),
        frozenset({"image"}),
        frozenset({"file"}),
        frozenset({"text", "action"}),
        frozenset({"text", "image", "action"}),
        frozenset({"video"}),
        frozenset({"text", "video"}),
        frozenset({"text", "video", "action"}),
    }
)


def decode(raw: bytes) -> dict:
    """The JSON object in the body; the bare validation error for anything else (inferred: Jackson)."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise errors.RouteeError(400, m.VALIDATION) from None
    # inferred: Jackson's own limit (StreamReadConstraints); a lone surrogate is text Routee cannot send on
    if not isinstance(value, dict) or json_shape.problem(value, MAX_DEPTH):
        raise errors.RouteeError(400, m.VALIDATION)
    return value


class _Field(fields.Field):
    """Missing and null fail alike (`absent`, Bean Validation's @NotNull/@NotEmpty text) when the field
    is required; an optional field loads as None."""

    def __init__(self, *, required: bool = False, absent: str = m.MAY_NOT_BE_EMPTY, **kwargs) -> None:
        if not required:
            kwargs.update(allow_none=True, load_default=None)
        super().__init__(required=required, error_messages={"required": absent, "null": absent}, **kwargs)


class Text(_Field):
    """A string, checked in Hibernate's order: type, blank, size, pattern, choices."""

    def __init__(
        self,
        *,
        not_blank: bool | None = None,  # default: when required
        low: int = 0,
        high: int | None = None,
        pattern: re.Pattern | None = None,
        pattern_message: str = "",
        choices: tuple[str, ...] = (),
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.not_blank = self.required if not_blank is None else not_blank
        self.low, self.high = low, high
        self.pattern, self.pattern_message = pattern, pattern_message
        self.choices = choices
        self.openapi = string(
            min_length=max(low, 1) if self.not_blank or low else None,
            max_length=high,
            pattern=pattern.pattern if pattern is not None else None,
            enum=choices,
        )

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise ValidationError(m.NOT_A_STRING)
        if self.not_blank and not value.strip():
            raise ValidationError(m.MAY_NOT_BE_EMPTY)
        if self.high is not None and not self.low <= len(value) <= self.high:
            raise ValidationError(m.SIZE.format(low=self.low, high=self.high))
        if self.pattern is not None and not self.pattern.match(value):
            raise ValidationError(self.pattern_message)
        if self.choices and value not in self.choices:
            raise ValidationError(m.ONE_OF.format(types=", ".join(self.choices)))
        return value


def _https(**kwargs) -> Text:
    """A non-blank https URL of at most 1000 characters (doc: imageURL, fileURL, videoURL limits)."""
    return Text(not_blank=True, high=1000, pattern=HTTPS, pattern_message=m.NOT_HTTPS, **kwargs)


class Sender(Text):
    """An SMS sender: at most 11 letters and digits, or at most 16 digits (a number, without its +)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        value = super()._deserialize(value, attr, data, **kwargs)
        high = MAX_NUMERIC_SENDER if value.isascii() and value.isdigit() else MAX_ALPHA_SENDER
        if len(value) > high:
            raise ValidationError(m.SIZE.format(low=1, high=high))
        return value


def _phone(**kwargs) -> Text:
    return Text(pattern=E164, pattern_message=m.NOT_E164, **kwargs)


class Number(_Field):
    """A JSON number (not a boolean) within [low, high]; kept as written (1 or 1.0)."""

    def __init__(self, low: int, high: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.low, self.high = low, high
        self.openapi = number(low, high)

    def _deserialize(self, value, attr, data, **kwargs) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(m.NOT_A_NUMBER)
        if not self.low <= value <= self.high:
            raise ValidationError(m.BETWEEN.format(low=self.low, high=self.high))
        return value


class Flag(_Field):
    openapi: ClassVar[dict] = BOOLEAN

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(m.NOT_A_BOOLEAN)
        return value


class Object(fields.Nested):
    """A nested object; missing, null or not an object all read "may not be null" (inferred)."""

    def __init__(self, nested: type[Schema], *, required: bool = False) -> None:
        kwargs = {} if required else {"allow_none": True, "load_default": None}
        absent = {"required": m.MAY_NOT_BE_NULL, "null": m.MAY_NOT_BE_NULL}
        super().__init__(nested, required=required, error_messages=absent, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError(m.MAY_NOT_BE_NULL)
        return super()._deserialize(value, attr, data, **kwargs)


class _Schema(Schema):
    class Meta:
        unknown = EXCLUDE  # Jackson in Spring ignores unknown properties


class ActionSchema(_Schema):
    caption = Text(required=True, low=1, high=30)
    targetUrl = Text(required=True, high=1000)


class FileSchema(_Schema):
    fileName = Text(required=True, low=1, high=25)
    fileType = Text(required=True, choices=FILE_TYPES)
    fileURL = _https(required=True)


class VideoSchema(_Schema):
    videoURL = _https(required=True)
    videoThumbnail = _https(required=True)
    fileSize = Number(1, 200, required=True, absent=m.MAY_NOT_BE_NULL)
    duration = Number(1, 600, required=True, absent=m.MAY_NOT_BE_NULL)


class ContentSchema(_Schema):
    text = Text(high=1000)
    imageURL = _https()
    action = Object(ActionSchema)
    viberFile = Object(FileSchema)
    viberVideo = Object(VideoSchema)


class CallbackSchema(_Schema):
    """inferred: the SMS API's `callback {url, strategy}`, accepted on Viber sends too."""

    url = Text(required=True, high=1000)
    strategy = Text(required=True, choices=STRATEGIES)


def _viber_schema(name: str, **first: fields.Field) -> type[Schema]:
    """A Viber send: the fields given first, then the ones single and campaign sends share."""
    return _Schema.from_dict(
        {
            **first,
            "senderInfoTrackingId": Text(required=True),
            "body": Object(ContentSchema, required=True),
            "ttl": Number(*TTL_RANGE),
            "callbackUrl": Text(high=1000),
            "inboundUrl": Text(high=1000),
            "callback": Object(CallbackSchema),
            "label": Text(high=350),
            "isSessionMessage": Flag(),
            "expireOnDelivery": Flag(),
        },
        name=name,
    )


ViberSendSchema = _viber_schema("ViberSendSchema", to=_phone(required=True))
# Recipients in `to` (contacts and groups are not simulated)
ViberCampaignSchema = _viber_schema(
    "ViberCampaignSchema",
    to=fields.List(
        _phone(required=True),
        required=True,
        validate=validate.Length(min=1, error=m.MAY_NOT_BE_EMPTY),
        error_messages={"required": m.MAY_NOT_BE_EMPTY, "null": m.MAY_NOT_BE_EMPTY, "invalid": m.NOT_A_LIST},
    ),
    campaignName=Text(high=255),
    scheduledDate=Text(),
)


class SmsSendSchema(_Schema):
    """POST /sms, fields in the order of the reference's request table."""

    sender = Sender(required=True, data_key="from")
    body = Text(required=True, high=MAX_SMS_BODY)
    to = _phone(required=True)
    flash = Flag()
    label = Text(high=350)
    callback = Object(CallbackSchema)
    ttl = Number(*SMS_TTL_RANGE)


_VIBER_SEND, _VIBER_CAMPAIGN, _SMS_SEND = ViberSendSchema(), ViberCampaignSchema(), SmsSendSchema()


def _dotted(path: tuple[str | int, ...]) -> str:
    """A field path as Routee spells it: "body.action.caption", "to[0]"."""
    head, *rest = path
    return str(head) + "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in rest)


def properties(messages: dict) -> dict[str, str]:
    """Routee's `properties`: the first message of each field path, in the order marshmallow found them."""
    found: dict[str, str] = {}
    for path, message in validation.problems(messages):
        found.setdefault(_dotted(path), message)
    return found


def _load(schema: Schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise errors.invalid(properties(exc.messages)) from None


# A message part and the `body` key that carries it
_PARTS = (("text", "text"), ("image", "imageURL"), ("action", "action"), ("file", "viberFile"), ("video", "viberVideo"))


def _check_layout(content: dict) -> None:
    """doc: only some combinations of text, image, button, file and video are a Viber message."""
    parts = {name for name, key in _PARTS if content[key]}
    if frozenset(parts) not in LAYOUTS:
        raise errors.RouteeError(400, m.BAD_LAYOUT)


def viber_send(data: dict) -> dict:
    """A valid POST /viber body (field errors first, then the layout rule)."""
    loaded = _load(_VIBER_SEND, data)
    _check_layout(loaded["body"])
    return loaded


def sms_send(data: dict) -> dict:
    """A valid POST /sms body (its `from` loads as "sender")."""
    return _load(_SMS_SEND, data)


def viber_campaign(data: dict) -> dict:
    """A valid POST /viber/campaign body (field errors first, then the layout rule)."""
    loaded = _load(_VIBER_CAMPAIGN, data)
    _check_layout(loaded["body"])
    return loaded
