"""Request bodies, validated the way D7's FastAPI (pydantic v1) does, on marshmallow.

Every field error is a `Problem` (pydantic v1's msg and type); `validate` turns marshmallow's nested
error dict into FastAPI's 422 items with `loc` paths like ["body","messages",0,"recipients"], in field
declaration order. Coercions follow pydantic v1: numbers become strings, "1"/"yes" become True, a
non-dict model value goes through dict() first.
"""

from __future__ import annotations

import email.message
import functools
import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validates_schema

from simulator.core.clock import LATEST
from simulator.providers.d7 import errors
from simulator.providers.d7 import messages as m
from simulator.providers.d7.errors import Problem
from simulator.providers.openapi import BOOLEAN, DATE_TIME, INTEGER, STRING, array, string

LABELS = ("PROMOTION", "TRANSACTION")  # doc: Send_Viber_Message label enum
DATA_CODINGS = ("text", "unicode", "auto")  # doc: Send_Message data_coding
MAX_VIBER_CONTENT = 1000  # doc: Send_Viber_Message "Limited to 1000 UTF-8 characters"

_REQUIRED = Problem(*m.FIELD_REQUIRED)
_NONE = Problem(*m.NONE_NOT_ALLOWED)
_TRUE = {"1", "on", "t", "true", "y", "yes"}  # pydantic v1 BOOL_TRUE
_FALSE = {"0", "off", "f", "false", "n", "no"}  # pydantic v1 BOOL_FALSE
_MAX_INT_DIGITS = 4300  # pydantic v1 refuses longer integer strings
# pydantic v1 datetime_re
_DATETIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})[T ]"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:\.(?P<microsecond>\d{1,6})\d{0,6})?)?"
    r"(?P<tzinfo>Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def _fail(problem: Problem) -> ValidationError:
    return ValidationError([problem])


def _clean(text: str) -> str:
    """inferred: lone surrogates (valid in JSON escapes) cannot be stored or sent on; D7 keeps U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def as_str(value: object) -> str:
    """pydantic v1 str_validator: strings, and numbers written out."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, int | float):
        return str(value)
    raise _fail(Problem(*m.NOT_A_STRING))


class _Field(fields.Field):
    default_error_messages: ClassVar[dict] = {"required": _REQUIRED, "null": _NONE}

    def __init__(self, *, required: bool = False, default: object = None, **kwargs) -> None:
        """Optional fields default to None and take null (Optional[X] = None); with another default, as
        pydantic v1 declares `x: X = default`, an explicit null is "none is not an allowed value"."""
        if not required:
            kwargs.update(allow_none=default is None, load_default=default)
        super().__init__(required=required, **kwargs)


class Str(_Field):
    def __init__(self, *, max_length: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.openapi = string(max_length=max_length)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = as_str(value)
        if self.max_length is not None and len(text) > self.max_length:
            msg, kind = m.TOO_LONG
            raise _fail(Problem(msg.format(limit_value=self.max_length), kind, {"limit_value": self.max_length}))
        return text


class Choice(_Field):
    """A pydantic Enum of strings."""

    def __init__(self, values: tuple[str, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.values = values
        self.openapi = string(enum=values)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str) and value in self.values:
            return value
        msg, kind = m.NOT_AN_ENUM_MEMBER
        permitted = ", ".join(f"'{item}'" for item in self.values)
        raise _fail(Problem(msg.format(permitted=permitted), kind, {"enum_values": list(self.values)}))


class Int(_Field):
    openapi: ClassVar[dict] = INTEGER

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and len(value) > _MAX_INT_DIGITS:
            raise _fail(Problem(*m.NOT_AN_INTEGER))
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            raise _fail(Problem(*m.NOT_AN_INTEGER)) from None


class Bool(_Field):
    openapi: ClassVar[dict] = BOOLEAN

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise _fail(Problem(*m.NOT_A_BOOLEAN))


class Instant(_Field):
    """pydantic v1 datetime: ISO text (seconds and zone optional) or a Unix time; kept as (given, epoch).

    An instant after the simulated clock's last one (clock.LATEST) could never come: refused like a
    validator on the model would refuse it.
    """

    openapi: ClassVar[dict] = DATE_TIME

    def _deserialize(self, value, attr, data, **kwargs) -> tuple[object, float]:
        try:
            epoch = _epoch(value)
        except (TypeError, ValueError, OverflowError, OSError):
            raise _fail(Problem(*m.NOT_A_DATETIME)) from None
        if epoch > LATEST:
            raise _fail(Problem(*m.TOO_FAR_AHEAD))
        return value, epoch


def _epoch(value: object) -> float:
    if isinstance(value, bool):
        raise TypeError("bool")
    if isinstance(value, str):
        match = _DATETIME.match(value)
        if match is None:
            return _unix(float(value))
        parts = match.groupdict()
        zone = parts.pop("tzinfo")
        micro = (parts.pop("microsecond") or "").ljust(6, "0")
        numbers = {key: int(text) for key, text in parts.items() if text is not None}
        tz = UTC
        if zone and zone != "Z":
            offset = int(zone[1:3]) * 60 + (int(zone[-2:]) if len(zone) > 3 else 0)
            tz = timezone(timedelta(minutes=-offset if zone[0] == "-" else offset))
        return datetime(**numbers, microsecond=int(micro or 0), tzinfo=tz).timestamp()
    if isinstance(value, int | float):
        return _unix(float(value))
    raise TypeError(type(value).__name__)


def _unix(number: float) -> float:
    if not math.isfinite(number):
        raise ValueError("not finite")
    seconds = number / 1000 if abs(number) > 2e10 else number  # pydantic v1: large numbers are milliseconds
    datetime.fromtimestamp(seconds, tz=UTC)  # raises for instants Python cannot represent
    return seconds


class Recipients(_Field):
    """List[str]; also a comma-separated string (the MS Power Platform connector's shape, spec §2.1)."""

    openapi: ClassVar[dict] = array(STRING, min_items=1)  # what a client should send (D7 also coerces)

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            raise _fail(Problem(*m.NOT_A_LIST))
        found, problems = [], {}
        for index, item in enumerate(value):
            try:
                if item is None:
                    raise _fail(_NONE)
                found.append(as_str(item))
            except ValidationError as exc:
                problems[index] = exc.messages
        if problems:
            raise ValidationError(problems)
        if not found:
            msg, kind = m.TOO_FEW_ITEMS
            raise _fail(Problem(msg.format(limit_value=1), kind, {"limit_value": 1}))
        return found


class Model(Schema):
    """A pydantic v1 model: unknown keys ignored, a non-dict value goes through dict() first."""

    class Meta:
        unknown = EXCLUDE

    error_messages: ClassVar[dict] = {"type": Problem(*m.NOT_A_DICT)}

    @pre_load
    def _as_dict(self, data, **kwargs):
        if isinstance(data, Mapping):
            return data
        try:
            return dict(data)
        except (TypeError, ValueError):
            return data  # the schema answers "value is not a valid dict"


def nested(schema: type[Model], *, required: bool = False) -> fields.Nested:
    options = {} if required else {"allow_none": True, "load_default": None}
    return fields.Nested(schema, required=required, error_messages={"required": _REQUIRED, "null": _NONE}, **options)


class ModelList(fields.List):
    """List[Model] with at least one item."""

    openapi: ClassVar[dict] = {"minItems": 1}  # apispec describes the list and its items

    default_error_messages: ClassVar[dict] = {"required": _REQUIRED, "null": _NONE, "invalid": Problem(*m.NOT_A_LIST)}

    def __init__(self, schema: type[Model]) -> None:
        super().__init__(nested(schema, required=True), required=True)

    def _deserialize(self, value, attr, data, **kwargs) -> list:
        items = super()._deserialize(value, attr, data, **kwargs)
        if not items:
            msg, kind = m.TOO_FEW_ITEMS
            raise _fail(Problem(msg.format(limit_value=1), kind, {"limit_value": 1}))
        return items


# Viber: doc: https://d7networks.com/docs/Viber/Send_Viber_Message/ ; sdk: direct7 0.0.16 viber.py


class Video(Model):
    duration = Int(required=True)
    fileSize = Int(required=True)  # D7's spelling
    thumbnail = Str(required=True)
    url = Str(required=True)


class ViberMessage(Model):
    channel = Choice((m.VIBER,), default=m.VIBER)  # inferred: never store a channel other than the one asked
    recipients = Recipients(required=True)
    content = Str(required=True, max_length=MAX_VIBER_CONTENT)
    label = Choice(LABELS, required=True)
    originator = Str()  # the MS connector puts these two per message (spec §2.1)
    call_back_url = Str()
    image = Str()
    file_name = Str()
    video = nested(Video)
    button_action = Str()
    button_caption = Str()
    client_ref = Str()

    @validates_schema
    def _promotion_only(self, data, **kwargs) -> None:
        if data["label"] != "TRANSACTION":
            return
        problems = {}
        if data.get("image"):
            problems["image"] = [Problem(m.IMAGE_NEEDS_PROMOTION, m.VALUE_ERROR_TYPE)]
        for key in ("button_action", "button_caption"):
            if data.get(key):
                problems[key] = [Problem(m.BUTTON_NEEDS_PROMOTION, m.VALUE_ERROR_TYPE)]
        if problems:
            raise ValidationError(problems)


class ViberGlobals(Model):
    originator = Str()  # required unless every message names its own, see ViberRequest
    call_back_url = Str()


class ViberRequest(Model):
    messages = ModelList(ViberMessage)
    message_globals = nested(ViberGlobals)

    @validates_schema
    def _originator(self, data, **kwargs) -> None:
        globals_ = data.get("message_globals")
        if globals_ and globals_.get("originator"):
            return
        if all(message.get("originator") for message in data["messages"]):
            return
        if globals_ is None:
            raise ValidationError({"message_globals": [_REQUIRED]})
        raise ValidationError({"message_globals": {"originator": [_REQUIRED]}})


# SMS: doc: https://d7networks.com/docs/SMS/Send-SMS/ ; sdk: direct7 0.0.16 sms.py


class SmsMessage(Model):
    channel = Choice(m.MESSAGE_CHANNELS, default=m.SMS)
    recipients = Recipients(required=True)
    content = Str(required=True)
    msg_type = Str()
    data_coding = Choice(DATA_CODINGS)


class SmsGlobals(Model):
    originator = Str(required=True)
    report_url = Str()
    schedule_time = Instant()
    tag = Str()
    num_lookup = Bool()


class SmsRequest(Model):
    messages = ModelList(SmsMessage)
    message_globals = nested(SmsGlobals, required=True)


def problems(messages: object, loc: list) -> list[dict]:
    """FastAPI's 422 items from marshmallow's nested errors."""
    if isinstance(messages, Problem):
        return [messages.item(loc)]
    if isinstance(messages, list):
        return [item for message in messages for item in problems(message, loc)]
    if isinstance(messages, dict):
        return [
            item
            for key, value in messages.items()
            for item in problems(value, loc if key == "_schema" else [*loc, key])
        ]
    return [Problem(str(messages), m.VALUE_ERROR_TYPE).item(loc)]  # a marshmallow message we did not foresee


def decode(raw: bytes, content_type: str | None) -> object:
    """The body as FastAPI reads it: JSON when the type says so (or says nothing), else the raw bytes.

    inferred: fastapi/routing.py get_request_handler. Invalid JSON is a 422 item at ["body", pos]; a body
    that cannot even be decoded (bad UTF-8, a 5000-digit number, nesting too deep) is FastAPI's 400.
    """
    if not raw:
        return None
    if content_type:
        parsed = email.message.Message()
        parsed["content-type"] = content_type
        subtype = parsed.get_content_subtype()
        is_json = parsed.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))
        if not is_json:
            return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        ctx = {"msg": exc.msg, "doc": _clean(exc.doc), "pos": exc.pos, "lineno": exc.lineno, "colno": exc.colno}
        raise errors.invalid([Problem(str(exc), m.JSON_DECODE_TYPE, ctx).item(["body", exc.pos])]) from None
    except (ValueError, RecursionError):
        raise errors.body_not_decodable() from None


@functools.cache
def _instance(schema: type[Model]) -> Model:
    """One schema object per model: building one (and its nested ones) costs more than loading."""
    return schema()


def validate(schema: type[Model], value: object) -> dict:
    """The validated body, or D7's 422."""
    if value is None:
        raise errors.invalid([_REQUIRED.item(["body"])])
    try:
        return _instance(schema).load(value)
    except ValidationError as exc:
        raise errors.invalid(problems(exc.messages, ["body"])) from None
