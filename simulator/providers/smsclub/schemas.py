"""Request parameters as SMS Club (PHP + Yii2) reads them, validated with marshmallow.

Bodies: JSON is decoded like PHP's json_decode behind Yii2's JsonParser (a syntax error is a 400 Yii
error; a body that is not a JSON object carries no parameters); form bodies like PHP's $_POST
(`phones[]=…` becomes a list); any other content type carries no parameters, as in Yii2, whose JSON
parser is registered for application/json only.

Validation: each field checks its type with Yii2's default message, labelled as Yii2 labels the
attribute (generated from its name, so no label is written here); the rules that span fields run in
one schema validator, so every problem of a request is reported together, as a Yii2 model does,
listed in rule order: the fields as declared, then the schema's own keys. "Blank" means absent or
null; an empty string or list counts as given and goes on to the business checks ("" text -> 462).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validates_schema
from werkzeug.datastructures import MultiDict

from simulator.providers import php_json
from simulator.providers.openapi import BOOLEAN, INTEGER, STRING, array, one_of
from simulator.providers.smsclub import messages as msg
from simulator.providers.validation import first_per_field

MAX_PHONES = 500  # doc: seed 004 "should not exceed 500" (SIM: the recommended number is the hard limit)
MAX_SMS_PHONES = 100  # doc: https://smsclub.mobi/en/api "up to 100 per request"
MAX_SMS_IDS = 100  # doc: https://smsclub.mobi/en/api id_sms "the limit is not more than 100"
MAX_LIFETIME = 86_400  # doc: seed 004 says "860,00", a typo for 86 400
MIN_LIFETIME_SINGLE = 60  # doc: seed 004
MIN_LIFETIME_BULK = 3_600  # doc: seed 004
MAX_BUTTON_TEXT = 30  # inferred: Viber's limit for a button caption
SCHEDULE_HOURS = (8, 20)  # doc: seed 004 "from 8:00 to 20:00"
LAST_UNIX_SECOND = 253_402_300_799  # 9999-12-31T23:59:59Z; later "dates" are not dates
LOCAL_TIME = ZoneInfo(msg.TIME_ZONE)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")  # what PHP reads into $_POST
_LIST_KEY = re.compile(r"^([^\[\]]+)\[[^\[\]]*\]$")
# inferred: Yii2 BaseJson::$jsonErrorMessages; PHP errors it does not list become "Unknown JSON decoding error."
_JSON_ERRORS = {
    php_json.SYNTAX: msg.JSON_SYNTAX,
    php_json.CTRL_CHAR: msg.JSON_CTRL_CHAR,
    php_json.DEPTH: msg.JSON_DEPTH,
    php_json.UTF8: msg.JSON_UTF8,
    php_json.UTF16: msg.JSON_UNKNOWN,
}


class InvalidJson(Exception):
    """The body is JSON PHP would not decode; `reason` is Yii2's words for why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidRequest(Exception):
    """Validation failed; `errors` maps each key to its messages, in the order SMS Club lists them."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


# Bodies


def form_params(form: MultiDict) -> dict:
    """A form body's parameters as PHP's $_POST holds them."""
    result: dict = {}
    for key, values in form.lists():
        match = _LIST_KEY.match(key)
        if match:
            result.setdefault(match.group(1), []).extend(values)
        else:
            result[key] = values[-1]
    return result


def json_params(mimetype: str, raw: bytes) -> dict:
    """Any other body's parameters (JSON ones only); InvalidJson for JSON that PHP would not decode."""
    if "json" not in mimetype or not raw.strip():
        return {}
    try:
        document = php_json.decode(raw)
    except php_json.DecodeError as exc:
        raise InvalidJson(_JSON_ERRORS[exc.error]) from exc
    return document if isinstance(document, dict) else {}


# Fields


def label(attribute: str) -> str:
    """Yii2's generated attribute label (Model::generateAttributeLabel, Inflector::camel2words, Yii 2.0
    before 2.0.16): a space before each capital that follows a non-capital, `-_.` as spaces, then
    lower case and PHP's ucwords: messageIds -> "Message Ids", is_2way -> "Is 2way"."""
    spaced = re.sub(r"(?<![A-Z])[A-Z]", r" \g<0>", attribute)
    words = re.sub(r"[-_.]", " ", spaced).strip().lower()
    return " ".join(word[:1].upper() + word[1:] for word in words.split(" "))


class _Field(fields.Field):
    """A Yii2 attribute: optional (None when absent) unless required; its messages carry its label."""

    default_error_messages = {"required": msg.BLANK, "null": msg.BLANK}  # noqa: RUF012 (marshmallow's attribute)

    def __init__(self, **kwargs) -> None:
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", None)
        super().__init__(**kwargs)

    @property
    def label(self) -> str:
        return label(self.name)

    def make_error(self, key: str, **kwargs) -> ValidationError:
        return super().make_error(key, label=self.label, **kwargs)

    def message(self, key: str, **kwargs) -> str:
        """The text of one of this field's errors, for a rule checked outside the field."""
        return str(self.make_error(key, **kwargs).messages[0])


class Text(_Field):
    default_error_messages = {"invalid": msg.NOT_STRING}  # noqa: RUF012
    openapi: ClassVar[dict] = STRING  # what a client should send (Yii2 also coerces)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return value


class Identifier(_Field):
    """An id clients send as a string or a number; kept as a string."""

    default_error_messages = {"invalid": msg.NOT_STRING}  # noqa: RUF012
    openapi: ClassVar[dict] = one_of(STRING, INTEGER)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not is_identifier(value):
            raise self.make_error("invalid")
        return str(value)


class Integer(_Field):
    """Yii2 IntegerValidator: an integer or a string of digits."""

    default_error_messages = {"invalid": msg.NOT_INTEGER, "too_small": msg.TOO_SMALL, "too_big": msg.TOO_BIG}  # noqa: RUF012
    openapi: ClassVar[dict] = INTEGER

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        number = whole_number(value)
        if number is None:
            raise self.make_error("invalid")
        return number


class Flag(_Field):
    """Yii2 BooleanValidator (non-strict): true, false, 1, 0, "1", "0"."""

    default_error_messages = {"invalid": msg.NOT_BOOLEAN}  # noqa: RUF012
    openapi: ClassVar[dict] = BOOLEAN

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if value is True or value == 1 or value == "1":
            return True
        if value is False or value == 0 or value == "0":
            return False
        raise self.make_error("invalid")


class _Limited(_Field):
    """An array with at most `limit` items (SMS Club's own limit message)."""

    default_error_messages = {"invalid": msg.PHONES_ARRAY, "too_many": msg.PHONES_LIMIT}  # noqa: RUF012
    openapi_item: ClassVar[dict] = STRING

    def __init__(self, limit: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.limit = limit
        self.openapi = array(self.openapi_item, max_items=limit)

    def _deserialize(self, value, attr, data, **kwargs) -> list:
        if not isinstance(value, list) or not all(self.valid_item(item) for item in value):
            raise self.make_error("invalid")
        if len(value) > self.limit:
            raise self.make_error("too_many", count=self.limit)
        return [self.item(item) for item in value]

    def valid_item(self, item: object) -> bool:
        return is_identifier(item)

    def item(self, item: object) -> object:
        return str(item)


class Phones(_Limited):
    """An array of numbers (strings or integers, as public clients send them [Prihod/smsclubmobi-client])."""


class PersonalMessages(_Limited):
    """[{"phone": "...", "message": "..."}, ...] [github smsclub/php json_sms/send_personal.php]."""

    openapi_item: ClassVar[dict] = {
        "type": "object",
        "properties": {"phone": STRING, "message": STRING},
        "required": ["phone", "message"],
    }

    def valid_item(self, item: object) -> bool:
        return isinstance(item, dict) and is_identifier(item.get("phone")) and isinstance(item.get("message"), str)

    def item(self, item: object) -> tuple[str, str]:
        return str(item["phone"]), item["message"]


class Ids(_Field):
    """An array of message ids, at most `limit` when given; items that cannot be ids are skipped (they
    match no message)."""

    default_error_messages = {"invalid": msg.NOT_ARRAY, "too_many": msg.IDS_LIMIT}  # noqa: RUF012

    def __init__(self, limit: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.limit = limit
        self.openapi = array(STRING, max_items=limit)

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if not isinstance(value, list):
            raise self.make_error("invalid")
        if self.limit is not None and len(value) > self.limit:
            raise self.make_error("too_many", count=self.limit)
        return [str(item) for item in value if is_identifier(item)]


def is_identifier(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, str | int)


def whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    return None


def given(value: object) -> bool:
    return value not in (None, "")


class _Base(Schema):
    class Meta:
        unknown = EXCLUDE

    RULE_KEYS: tuple[str, ...] = ()  # the keys of the schema's own rules, listed after the fields

    def request(self, params: dict):
        """The validated request; InvalidRequest with every problem otherwise."""
        try:
            return self.load(params)
        except ValidationError as exc:
            first = first_per_field(exc.messages, (*self.fields, *self.RULE_KEYS))
            raise InvalidRequest({key: [str(message)] for key, message in first.items()}) from exc

    def blank(self, original: dict, names: tuple[str, ...], problems: dict[str, list[str]]) -> None:
        """Yii2's RequiredValidator, for fields only some requests need."""
        for name in names:
            if original.get(name) is None:
                problems[name] = [self.fields[name].message("required")]


# POST /vibers/send


@dataclass(frozen=True)
class ViberSend:
    sender: str | None
    phones: list[str]
    message: str
    lifetime: int | None = None
    picture_url: str | None = None
    button_txt: str | None = None
    button_url: str | None = None
    sender_sms: str | None = None
    message_sms: str | None = None
    plan_date: int | None = None
    end_time: int | None = None
    two_way: bool = False
    chat_id: str | None = None


class ViberSendSchema(_Base):
    # Declared in the order of the model's rules (inferred): the order its errors are listed in.
    sender = Text()
    phones = Phones(MAX_PHONES)
    message = Text(required=True)
    chat_id = Identifier()
    is_2way = Flag()
    lifetime = Integer()
    picture_url = Text()
    button_txt = Text()
    button_url = Text()
    senderSms = Text()
    messageSms = Text()
    mgr_plan_date = fields.Raw(load_default=None)
    mgr_end_time = fields.Raw(load_default=None)
    RULE_KEYS = (msg.KEY_BUTTON, msg.KEY_SMS_PAIR, msg.KEY_DATE)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _rules(self, data: dict, original: dict, **kwargs) -> None:
        problems: dict[str, list[str]] = {}
        if not (data.get("is_2way") and given(data.get("chat_id"))):  # into an existing chat: its number and sender
            self.blank(original, ("sender", "phones"), problems)
        self._lifetime(data, problems)
        if given(data.get("button_txt")) != given(data.get("button_url")):
            problems[msg.KEY_BUTTON] = [msg.BUTTON_PAIR]
        if given(data.get("button_txt")) and len(data["button_txt"]) > MAX_BUTTON_TEXT:
            problems["button_txt"] = [msg.TOO_LONG.format(label=self.fields["button_txt"].label, max=MAX_BUTTON_TEXT)]
        if given(data.get("senderSms")) != given(data.get("messageSms")):
            problems[msg.KEY_SMS_PAIR] = [msg.SMS_PAIR]
        date_error = schedule_error(data.get("mgr_plan_date"), data.get("mgr_end_time"))
        if date_error:
            problems[msg.KEY_DATE] = [date_error]
        if problems:
            raise ValidationError(problems)

    def _lifetime(self, data: dict, problems: dict[str, list[str]]) -> None:
        lifetime = data.get("lifetime")
        if lifetime is None:
            return
        field = self.fields["lifetime"]
        minimum = MIN_LIFETIME_BULK if len(data.get("phones") or ()) > 1 else MIN_LIFETIME_SINGLE
        if lifetime < minimum:
            problems["lifetime"] = [field.message("too_small", min=minimum)]
        elif lifetime > MAX_LIFETIME:
            problems["lifetime"] = [field.message("too_big", max=MAX_LIFETIME)]

    @post_load
    def _request(self, data: dict, **kwargs) -> ViberSend:
        plan, end = data["mgr_plan_date"], data["mgr_end_time"]
        return ViberSend(
            sender=data["sender"],
            phones=data["phones"] or [],
            message=data["message"],
            lifetime=data["lifetime"],
            picture_url=data["picture_url"] or None,
            button_txt=data["button_txt"] or None,
            button_url=data["button_url"] or None,
            sender_sms=data["senderSms"] or None,
            message_sms=data["messageSms"] or None,
            plan_date=whole_number(plan) if given(plan) else None,
            end_time=whole_number(end) if given(end) else None,
            two_way=bool(data["is_2way"]),
            chat_id=data["chat_id"] or None,
        )


def schedule_error(plan: object, end: object) -> str | None:
    """The first problem with a mailing window, or None [seed 004 date messages]."""
    if not given(plan) and not given(end):
        return None
    if given(plan) != given(end):
        return msg.DATES_TOGETHER
    start, finish = whole_number(plan), whole_number(end)
    if start is None or finish is None or not 0 <= start <= LAST_UNIX_SECOND or not 0 <= finish <= LAST_UNIX_SECOND:
        return msg.UNIX_DATE
    if finish < start:
        return msg.END_BEFORE_START
    local = datetime.fromtimestamp(start, tz=LOCAL_TIME)
    opens, closes = SCHEDULE_HOURS
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    if not opens * 3600 <= seconds <= closes * 3600:
        return msg.SCHEDULE_HOURS
    return None


# POST /vibers/status


class ViberStatusSchema(_Base):
    messageIds = Ids(required=True)

    @post_load
    def _ids(self, data: dict, **kwargs) -> list[str]:
        return data["messageIds"]


# GET /vibers/chat


class ChatQuerySchema(_Base):
    chat_id = Identifier(required=True)

    @pre_load
    def _empty_is_blank(self, data: dict, **kwargs) -> dict:
        return {key: value for key, value in data.items() if value != ""}  # a query parameter given empty

    @post_load
    def _chat_id(self, data: dict, **kwargs) -> str:
        return data["chat_id"]


def page_number(raw: str | None) -> int:
    """The 1-based page; anything that is not a positive number is the first page (inferred)."""
    number = whole_number(raw)
    return number if number is not None and number >= 1 else 1


# SMS JSON API


@dataclass(frozen=True)
class SmsSend:
    sender: str
    items: list[tuple[str, str]]  # (phone, text)
    lifetime: int | None = None


class SmsSendSchema(_Base):
    """POST /sms/send {"phone":[...],"message":"...","src_addr":"..."} [https://smsclub.mobi/en/api]."""

    phone = Phones(MAX_SMS_PHONES, required=True)
    message = Text(required=True)
    src_addr = Text(required=True)
    lifetime = Integer()  # sdk: Prihod/smsclubmobi-client SMSRequest

    @post_load
    def _request(self, data: dict, **kwargs) -> SmsSend:
        return SmsSend(data["src_addr"], [(phone, data["message"]) for phone in data["phone"]], data["lifetime"])


class SmsPersonalSchema(_Base):
    """POST /v2/sms/send: one text per number."""

    data_message = PersonalMessages(MAX_SMS_PHONES, required=True)
    src_addr = Text(required=True)

    @post_load
    def _request(self, data: dict, **kwargs) -> SmsSend:
        return SmsSend(data["src_addr"], data["data_message"])


class SmsStatusSchema(_Base):
    """POST /sms/status {"id_sms": [...]}."""

    id_sms = Ids(MAX_SMS_IDS, required=True)

    @post_load
    def _ids(self, data: dict, **kwargs) -> list[str]:
        return data["id_sms"]
