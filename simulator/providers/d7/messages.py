"""Every string D7 shows its clients, verbatim, with where it comes from."""

from __future__ import annotations

# Authentication (401). doc: https://d7networks.com/docs/Messages/Send_Message/ , .../docs/SMS/Send-SMS/
AUTH_CODE = "ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED"
AUTH_MESSAGE = (
    "It looks like your requests were failed due to a missing or invalid 'Access Token'. Sign up at "
    "https://app.d7networks.com and create an authentication token in the developer section."
)

# Reports (404). doc: seed 002_704e79d5efa74dcf.txt (Viber "Get Status")
VIBER_LOG_NOT_FOUND_CODE = "VIBER_MESSAGE_LOG_NOT_EXISTS"
VIBER_LOG_NOT_FOUND_MESSAGE = "Given viber message request id not exists in the system. Please Try Again!"
# doc: https://d7networks.com/docs/Messages/Get_Status/
MESSAGE_LOG_NOT_FOUND_CODE = "MESSAGE_LOG_NOT_EXISTS"
MESSAGE_LOG_NOT_FOUND_MESSAGE = "Given message request id not exists in the system. Please Try Again!"

# Send answer. doc: https://d7networks.com/docs/Messages/Send_Message/ example
ACCEPTED = "accepted"

# Channels, as requests name them and reports print them. sdk: direct7 0.0.16 sends "viber" / "sms".
SMS, VIBER = "sms", "viber"
# POST /messages/v1/send `channel`. doc: Send_Message "*channel Messaging Channel (SMS, WhatsApp, Viber,
# Telegram,etc)": a Viber message there is routed as Viber (stored and reported as Viber, listed by the
# message-log); WhatsApp and Telegram are not simulated, so they and any other value get pydantic's enum 422
# (inferred). sdk: D7's Go SDK README example (github d7networks/direct7-go-sdk direct7/sms.go, since v0.0.1),
# its Zabbix (github d7networks/zabbix d7sms.py) and Nagios (github d7networks/nagios d7sms.py) scripts send
# no channel and are answered 200: absent means sms; a declared default, so an explicit null is a 422.
MESSAGE_CHANNELS = (SMS, VIBER)

# Business-rule errors. sdk: direct7 0.0.16 client.py maps 402 -> InsufficientCreditError, 400 -> BadRequest;
# inferred: codes and messages are documented nowhere, so they follow the {"detail":{code,message}} envelope above.
INSUFFICIENT_CREDIT_CODE = "INSUFFICIENT_CREDIT"
INSUFFICIENT_CREDIT_MESSAGE = "Insufficient credit in your account. Please recharge your account and try again."
ACCOUNT_BLOCKED_CODE = "ACCOUNT_BLOCKED"  # inferred
ACCOUNT_BLOCKED_MESSAGE = "Your account is blocked. Please contact support@d7networks.com."  # inferred
INVALID_ORIGINATOR_CODE = "INVALID_ORIGINATOR"  # inferred
INVALID_ORIGINATOR_MESSAGE = "The originator is not approved for your account."  # inferred
INVALID_CONTENT_CODE = "INVALID_CONTENT"  # inferred
INVALID_CONTENT_MESSAGE = "The message content was rejected."  # inferred
INVALID_RECIPIENTS_CODE = "INVALID_RECIPIENTS"  # inferred
INVALID_RECIPIENTS_MESSAGE = "No valid recipients found in the request."  # inferred
INVALID_IMAGE_CODE = "INVALID_IMAGE"  # inferred
INVALID_IMAGE_MESSAGE = "The image could not be fetched or is not supported."  # inferred

# FastAPI / Starlette defaults. inferred: D7's error shapes are FastAPI's (spec §0)
NOT_FOUND = "Not Found"
METHOD_NOT_ALLOWED = "Method Not Allowed"
TOO_MANY_REQUESTS = "Too Many Requests"  # inferred: spec §8
SERVICE_UNAVAILABLE = "Service Unavailable"  # inferred
INTERNAL_ERROR = "Internal Server Error"  # inferred: Starlette ServerErrorMiddleware, text/plain
BODY_PARSE_ERROR = "There was an error parsing the body"  # inferred: FastAPI routing.py, body not decodable

# pydantic v1 validation messages (422 items). inferred: FastAPI on pydantic v1 (items carry only loc/msg/type)
FIELD_REQUIRED = ("field required", "value_error.missing")
NONE_NOT_ALLOWED = ("none is not an allowed value", "type_error.none.not_allowed")
NOT_A_STRING = ("str type expected", "type_error.str")
NOT_A_LIST = ("value is not a valid list", "type_error.list")
NOT_A_DICT = ("value is not a valid dict", "type_error.dict")
NOT_AN_INTEGER = ("value is not a valid integer", "type_error.integer")
NOT_A_BOOLEAN = ("value could not be parsed to a boolean", "type_error.bool")
NOT_A_DATETIME = ("invalid datetime format", "value_error.datetime")
NOT_AN_ENUM_MEMBER = ("value is not a valid enumeration member; permitted: {permitted}", "type_error.enum")
TOO_LONG = ("ensure this value has at most {limit_value} characters", "value_error.any_str.max_length")
TOO_FEW_ITEMS = ("ensure this value has at least {limit_value} items", "value_error.list.min_items")
# inferred: D7 documents no limit on schedule_time; the simulator's clock ends at 9000-01-01 (core/clock.py)
TOO_FAR_AHEAD = ("schedule_time must be before 9000-01-01T00:00:00Z", "value_error")
JSON_DECODE_TYPE = "value_error.jsondecode"
VALUE_ERROR_TYPE = "value_error"

# Viber content rules. doc: https://d7networks.com/docs/Viber/Send_Viber_Message/ (the field descriptions)
IMAGE_NEEDS_PROMOTION = 'Image can be sent only if label is set to "promotion".'
BUTTON_NEEDS_PROMOTION = 'Button can be sent only if message contains text and only if label is set to "promotion".'

# Report and callback status words: see statuses.py
