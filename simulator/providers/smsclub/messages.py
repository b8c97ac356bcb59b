"""Every SMS Club string a client can see, verbatim, with where it comes from.

SEED = the SMS Club "Viber API JSON" page, /work/shared/seeds/004_7db3c15c05db70a9.txt (English
column, the texts shown since 09.09.2022). Yii2 = defaults of the Yii2 framework the real service
runs on (pluralised routes, `{"field":["msg"]}` errors), see providers/smsclub.md §0.
"""

from __future__ import annotations

# Error keys of the Viber envelope {"errorRequest":{"errors":{<key>:[<message>]}}}.
KEY_ACCOUNT = "account"  # doc: SEED error examples
KEY_SYSTEM = "systemError"  # doc: SEED error examples
KEY_NO_MONEY = "noMoney"  # doc: SEED error examples
KEY_PHONES_NONE_VALID = "anyCorrectPhones"  # doc: SEED error examples
KEY_TEXT = "text"  # doc: SEED error examples
KEY_IMAGE = "upload_img"  # doc: SEED error examples
KEY_SENDER = "sender"  # doc: SEED error examples
KEY_SMS_PAIR = "SMS"  # doc: SEED error examples
KEY_SENDER_SMS = "senderSms"  # inferred: the request field the 466 error is about
KEY_MESSAGE_SMS = "messageSms"  # inferred: the request field the 467 error is about
KEY_BUTTON = "button"  # inferred: no example shows the key of the button pair error
KEY_DATE = "date"  # inferred: no example shows the key of the date errors
KEY_PHONES = "phones"  # inferred: the request field
KEY_LIFETIME = "lifetime"  # inferred: the request field
KEY_CHAT = "chat_id"  # inferred: the request field

# doc: SEED RU→EN table
ACCOUNT_UNAVAILABLE = "Distribution of SMS-mailings from this account is not available"
SMS_PAIR = 'Fields: "Alpha-name (SMS)" and "Message text (SMS)" should be filled together or not filled at all'
BUTTON_PAIR = "The button field {button_txt} and its URL {button_url} must be filled both or not filled in at all"
SENDER_SMS_INCORRECT = "Sender name is incorrect (SMS)"
SENDER_INCORRECT = "Sender name is incorrect"
IMAGE_FAILED = "Failed to load image."
TEXT_INCORRECT = "Incorrect text."  # also for the SMS text (467): inferred, no own message documented
NO_VALID_NUMBERS = "No valid numbers found."
DATES_TOGETHER = "Date parameters must be present or absent together"
SCHEDULE_HOURS = "Distributions can be scheduled from 8:00 to 20:00"
UNIX_DATE = "Incorrect unix date format"
END_BEFORE_START = "The mailing end date is less than the mailing start date"
PHONES_ARRAY = "Invalid array of numbers"
PHONES_LIMIT = "The number of messages in one request should not exceed {count} numbers"  # {count} filled in
NO_MONEY = "Not enough money. It is necessary to refill the balance"
SYSTEM_ERROR = "Sorry, a system error has occurred, please contact support."

# inferred: Yii2 validator default messages with generated attribute labels ("messageIds" -> "Message Ids")
BLANK = "{label} cannot be blank."
NOT_STRING = "{label} must be a string."
NOT_INTEGER = "{label} must be an integer."
NOT_ARRAY = "{label} must be an array."
NOT_BOOLEAN = '{label} must be either "1" or "0".'
TOO_SMALL = "{label} must be no less than {min}."
TOO_BIG = "{label} must be no greater than {max}."
TOO_LONG = "{label} should contain at most {max} characters."
CHAT_NOT_FOUND = "Chat not found."  # inferred: unknown chat_id is not documented

# inferred: Yii2 HttpException bodies in production mode (name, message)
UNAUTHORIZED = ("Unauthorized", "Your request was made with invalid credentials.")
BEARER_CHALLENGE = 'Bearer realm="api"'  # inferred: Yii2 HttpBearerAuth::challenge
TOO_MANY_REQUESTS = ("Too Many Requests", "Rate limit exceeded.")
NOT_FOUND = ("Not Found", "Page not found.")
METHOD_NOT_ALLOWED = (
    "Method Not Allowed",
    "Method Not Allowed. This URL can only handle the following request methods: {methods}.",
)
BAD_REQUEST = "Bad Request"
INVALID_JSON = "Invalid JSON data in request body: {reason}"  # inferred: Yii2 JsonParser
# inferred: Yii2 BaseJson::$jsonErrorMessages (schemas.py maps PHP's errors to them)
JSON_SYNTAX = "Syntax error."
JSON_DEPTH = "The maximum stack depth has been exceeded."
JSON_CTRL_CHAR = "Control character error, possibly incorrectly encoded."
JSON_UTF8 = "Malformed UTF-8 characters, possibly incorrectly encoded."
JSON_UNKNOWN = "Unknown JSON decoding error."
PAYLOAD_TOO_LARGE = ("Payload Too Large", "Request body is too large.")  # inferred: no documented limit
UNAVAILABLE = ("Service Unavailable", "Service is temporarily unavailable.")  # doc: SEED "500x" row
INTERNAL_ERROR = ("Internal Server Error", "An internal server error occurred.")

# Viber statuses. doc: SEED "Getting a response" lists (main, additional, SMS)
PENDING = "Pending"
SENT = "Sent"
DELIVERED = "Delivered"
EXPIRED = "Expired"
UNDELIVERABLE = "Undeliverable"
REJECTED = "Rejected"
READ = "Read"
BLOCKED_BY_RECIPIENT = "Blocked by the recipient"
NOT_REGISTERED = "Not registered"
UNSUPPORTED_DEVICE = "Mailing lists are not supported"
BLACK_LIST = "Black list"
SPAMMING = "Spamming"
CENSORSHIP = "Censorship"
INVALID_RECIPIENT = "Invalid number of the recipient"
PROHIBITED_OPERATOR = "Prohibited operator"

# Chat message types. doc: SEED Viber2Way chat example ("outcoming" spelled as the service does)
OUTGOING = "outcoming"
INCOMING = "incoming"

# SMS JSON API (https://smsclub.mobi/en/api)
SMS_ENROUTE = "ENROUTE"  # doc: https://smsclub.mobi/en/api
SMS_DELIVERED = "DELIVRD"  # doc: https://smsclub.mobi/en/api
SMS_EXPIRED = "EXPIRED"  # inferred: SMPP delivery receipt stat
SMS_UNDELIVERED = "UNDELIV"  # inferred: SMPP delivery receipt stat
SMS_REJECTED = "REJECTD"  # inferred: SMPP delivery receipt stat
SMS_SENDER_INCORRECT = "Некорректное Альфа Имя"  # public: a C# SmsClub integration quoting the live answer
SMS_KEY_SENDER = "src_addr"  # inferred: the request field
SMS_KEY_PHONES = "phone"  # inferred: the request field
SMS_KEY_MESSAGE = "message"  # inferred: the request field
SMS_KEY_DATA = "data_message"  # inferred: the request field
SMS_KEY_IDS = "id_sms"  # inferred: the request field
# inferred: /sms/status takes at most 100 ids (doc: https://smsclub.mobi/en/api "the limit is not more than
# 100"), its answer to more is not published; SMS Club's own sentence for a per-request limit (SEED) is used
IDS_LIMIT = PHONES_LIMIT
SMS_REJECTED_NUMBER = "Invalid number of the recipient"  # inferred: reused from the Viber additional statuses
SMS_BLACKLISTED_NUMBER = "Black list"  # inferred: reused from the Viber additional statuses
CURRENCY_FORMAT = "{:.4f}"  # inferred: a decimal(…,4) column printed by PHP, e.g. "84.3000"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # doc: SEED Viber2Way chat examples
TIME_ZONE = "Europe/Kyiv"  # inferred: dates are printed, and mailing hours checked, in Kyiv time
