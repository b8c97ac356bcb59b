"""Request validation (marshmallow) with the messages the real service answers.

Types are checked per field with Yii2's default messages; the rules that span fields (blank
fields, the paired parameters, dates, lifetime ranges) run in one schema validator, so every
problem of a request is reported together, as a Yii2 model does. "Blank" means absent or null;
an empty string or list counts as given and goes on to the business checks ("" text -> 462).
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates_schema

from simulator.providers.smsclub import messages as msg
from simulator.providers.smsclub.localtime import kyiv
from simulator.providers.validation import first_per_field

MAX_PHONES = 500  # doc: seed 004 "should not exceed 500" (SIM: the recommended number is the hard limit)
MAX_SMS_PHONES = 100  # doc: https://smsclub.mobi/en/api "up to 100 per request"
MAX_LIFETIME = 86_400  # doc: seed 004 says "860,00", a typo for 86 400
MIN_LIFETIME_SINGLE = 60  # doc: seed 004
MIN_LIFETIME_BULK = 3_600  # doc: seed 004
MAX_BUTTON_TEXT = 30  # inferred: Viber's limit for a button caption
SCHEDULE_HOURS = (8, 20)  # doc: seed 004 "from 8:00 to 20:00"
LAST_UNIX_SECOND = 253_402_300_799  # 9999-12-31T23:59:59Z; later "dates" are not dates

# The order in which a Viber request's errors are listed (inferred: the order of a Yii2 model's rules).
VIBER_ERROR_ORDER = (
    "sender",
    "phones",
    "message",
    "chat_id",
    "is_2way",
    "lifetime",
    "picture_url",
    "button_txt",
    "button_url",
    "senderSms",
    "messageSms",
    msg.KEY_BUTTON,
    msg.KEY_SMS_PAIR,
    msg.KEY_DATE,
)


class InvalidRequest(Exception):
    """Validation failed; `errors` maps each key to its messages, in the order SMS Club lists them."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


# Fields


class _Labelled(fields.Field):
    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(load_default=None, **kwargs)
        self.label = label

    def invalid(self, template: str, **values) -> ValidationError:
        return ValidationError(template.format(label=self.label, **values))


class Text(_Labelled):
    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise self.invalid(msg.NOT_STRING)
        return value


class Identifier(_Labelled):
    """An id clients send as a string or a number; kept as a string."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not is_identifier(value):
            raise self.invalid(msg.NOT_STRING)
        return str(value)


class Integer(_Labelled):
    """Yii2 IntegerValidator: an integer or a string of digits."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        number = whole_number(value)
        if number is None:
            raise self.invalid(msg.NOT_INTEGER)
        return number


class Flag(_Labelled):
    """Yii2 BooleanValidator (non-strict): true, false, 1, 0, "1", "0"."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if value is True or value == 1 or value == "1":
            return True
        if value is False or value == 0 or value == "0":
            return False
        raise self.invalid(msg.NOT_BOOLEAN)


class Phones(fields.Field):
    """An array of numbers (strings or integers, as public clients send them [Prihod/smsclubmobi-client])."""

    def __init__(self, limit: int, **kwargs) -> None:
        super().__init__(load_default=None, **kwargs)
        self.limit = limit

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if not isinstance(value, list) or not all(is_identifier(item) for item in value):
            raise ValidationError(msg.PHONES_ARRAY)
        if len(value) > self.limit:
            raise ValidationError(msg.PHONES_LIMIT.format(count=self.limit))
        return [str(item) for item in value]


class Ids(_Labelled):
    """An array of message ids; items that cannot be ids are skipped (they match no message)."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if not isinstance(value, list):
            raise self.invalid(msg.NOT_ARRAY)
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


def _blank(original: dict, required: dict[str, str], problems: dict[str, list[str]]) -> None:
    for name, label in required.items():
        if original.get(name) is None:
            problems[name] = [msg.BLANK.format(label=label)]


class _Base(Schema):
    class Meta:
        unknown = EXCLUDE

    ERROR_ORDER: tuple[str, ...] = ()

    def request(self, params: dict):
        """The validated request; InvalidRequest with every problem otherwise."""
        return self.load_params(params)

    def load_params(self, params: dict) -> dict:
        try:
            return self.load(params)
        except ValidationError as exc:
            first = first_per_field(exc.messages, self.ERROR_ORDER)  # as a Yii2 model lists them: rule order
            raise InvalidRequest({key: [str(message)] for key, message in first.items()}) from exc


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
    ERROR_ORDER = VIBER_ERROR_ORDER

    sender = Text("Sender")
    phones = Phones(MAX_PHONES)
    message = Text("Message")
    lifetime = Integer("Lifetime")
    picture_url = Text("Picture Url")
    button_txt = Text("Button Txt")
    button_url = Text("Button Url")
    senderSms = Text("Sender Sms")
    messageSms = Text("Message Sms")
    mgr_plan_date = fields.Raw(load_default=None)
    mgr_end_time = fields.Raw(load_default=None)
    is_2way = Flag("Is 2way")
    chat_id = Identifier("Chat Id")

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _rules(self, data: dict, original: dict, **kwargs) -> None:
        problems: dict[str, list[str]] = {}
        into_chat = bool(data.get("is_2way")) and given(data.get("chat_id"))
        required = (
            {"message": "Message"} if into_chat else {"sender": "Sender", "phones": "Phones", "message": "Message"}
        )
        _blank(original, required, problems)
        self._lifetime(data, problems)
        if given(data.get("button_txt")) != given(data.get("button_url")):
            problems[msg.KEY_BUTTON] = [msg.BUTTON_PAIR]
        if given(data.get("button_txt")) and len(data["button_txt"]) > MAX_BUTTON_TEXT:
            problems["button_txt"] = [msg.TOO_LONG.format(label="Button Txt", max=MAX_BUTTON_TEXT)]
        if given(data.get("senderSms")) != given(data.get("messageSms")):
            problems[msg.KEY_SMS_PAIR] = [msg.SMS_PAIR]
        date_error = schedule_error(data.get("mgr_plan_date"), data.get("mgr_end_time"))
        if date_error:
            problems[msg.KEY_DATE] = [date_error]
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def _lifetime(data: dict, problems: dict[str, list[str]]) -> None:
        lifetime = data.get("lifetime")
        if lifetime is None:
            return
        bulk = len(data.get("phones") or ()) > 1
        minimum = MIN_LIFETIME_BULK if bulk else MIN_LIFETIME_SINGLE
        if lifetime < minimum:
            problems["lifetime"] = [msg.TOO_SMALL.format(label="Lifetime", min=minimum)]
        elif lifetime > MAX_LIFETIME:
            problems["lifetime"] = [msg.TOO_BIG.format(label="Lifetime", max=MAX_LIFETIME)]

    def request(self, params: dict) -> ViberSend:
        data = self.load_params(params)
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
    local = kyiv(start)
    opens, closes = SCHEDULE_HOURS
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    if not opens * 3600 <= seconds <= closes * 3600:
        return msg.SCHEDULE_HOURS
    return None


# POST /vibers/status


class ViberStatusSchema(_Base):
    messageIds = Ids("Message Ids")

    @validates_schema(skip_on_field_errors=True, pass_original=True)
    def _rules(self, data: dict, original: dict, **kwargs) -> None:
        problems: dict[str, list[str]] = {}
        _blank(original, {"messageIds": "Message Ids"}, problems)
        if problems:
            raise ValidationError(problems)


# GET /vibers/chat


class ChatQuerySchema(_Base):
    chat_id = Identifier("Chat Id")

    @validates_schema(skip_on_field_errors=True, pass_original=True)
    def _rules(self, data: dict, original: dict, **kwargs) -> None:
        if not given(original.get("chat_id")):
            raise ValidationError({"chat_id": [msg.BLANK.format(label="Chat Id")]})


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

    ERROR_ORDER = ("phone", "message", "src_addr", "lifetime")

    phone = Phones(MAX_SMS_PHONES)
    message = Text("Message")
    src_addr = Text("Src Addr")
    lifetime = Integer("Lifetime")  # sdk: Prihod/smsclubmobi-client SMSRequest

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _rules(self, data: dict, original: dict, **kwargs) -> None:
        problems: dict[str, list[str]] = {}
        _blank(original, {"phone": "Phone", "message": "Message", "src_addr": "Src Addr"}, problems)
        if problems:
            raise ValidationError(problems)

    def request(self, params: dict) -> SmsSend:
        data = self.load_params(params)
        return SmsSend(data["src_addr"], [(phone, data["message"]) for phone in data["phone"]], data["lifetime"])


class PersonalMessages(fields.Field):
    """[{"phone": "...", "message": "..."}, ...] [github smsclub/php json_sms/send_personal.php]."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[tuple[str, str]]:
        if not isinstance(value, list) or not all(
            isinstance(item, dict) and is_identifier(item.get("phone")) and isinstance(item.get("message"), str)
            for item in value
        ):
            raise ValidationError(msg.PHONES_ARRAY)
        if len(value) > MAX_SMS_PHONES:
            raise ValidationError(msg.PHONES_LIMIT.format(count=MAX_SMS_PHONES))
        return [(str(item["phone"]), item["message"]) for item in value]


class SmsPersonalSchema(_Base):
    """POST /v2/sms/send: one text per number."""

    ERROR_ORDER = ("data_message", "src_addr")

    data_message = PersonalMessages(load_default=None)
    src_addr = Text("Src Addr")

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _rules(self, data: dict, original: dict, **kwargs) -> None:
        problems: dict[str, list[str]] = {}
        _blank(original, {"data_message": "Data Message", "src_addr": "Src Addr"}, problems)
        if problems:
            raise ValidationError(problems)

    def request(self, params: dict) -> SmsSend:
        data = self.load_params(params)
        return SmsSend(data["src_addr"], data["data_message"])


class SmsStatusSchema(_Base):
    """POST /sms/status {"id_sms": [...]}."""

    id_sms = Ids("Id Sms")

    @validates_schema(skip_on_field_errors=True, pass_original=True)
    def _rules(self, data: dict, original: dict, **kwargs) -> None:
        problems: dict[str, list[str]] = {}
        _blank(original, {"id_sms": "Id Sms"}, problems)
        if problems:
            raise ValidationError(problems)
