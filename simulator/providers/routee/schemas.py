"""Request validation with Routee's Bean-Validation-style messages: field path -> message, in field order.

doc: https://docs.routee.net/reference/send-a-viber-single-message (fields and limits),
doc: https://docs.routee.net/docs/other-viber-messaging-concept (supported layouts),
inferred: message wording is Hibernate Validator's default.
"""

from __future__ import annotations

import json
import re

from simulator.core import json_shape
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
TTL_RANGE = (30, 86400)  # doc: "TTL range in seconds: 30 - 86400 seconds"
MAX_DEPTH = 1000  # inferred: Jackson's default maximum nesting depth
DEFAULT_TTL = 14 * 86400  # doc: "If it is not set, the default range is 14 days."
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


class Checker:
    """Collects the first problem of each field, in the order the fields are checked."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.problems: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.setdefault(path, message)

    def string(self, value, path: str, *, required=False, low=0, high=None, pattern=None, pattern_message="") -> bool:
        if value is None:
            if required:
                self.fail(path, m.MAY_NOT_BE_EMPTY)
            return False
        if not isinstance(value, str):
            self.fail(path, m.NOT_A_STRING)
            return False
        if required and not value.strip():
            self.fail(path, m.MAY_NOT_BE_EMPTY)
            return False
        if high is not None and not low <= len(value) <= high:
            self.fail(path, m.SIZE.format(low=low, high=high))
            return False
        if pattern is not None and not pattern.match(value):
            self.fail(path, pattern_message)
            return False
        return True

    def number(self, value, path: str, low: float, high: float) -> bool:
        if value is None:
            return False
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, m.NOT_A_NUMBER)
            return False
        if not low <= value <= high:
            self.fail(path, m.BETWEEN.format(low=low, high=high))
            return False
        return True

    def boolean(self, value, path: str) -> None:
        if value is not None and not isinstance(value, bool):
            self.fail(path, m.NOT_A_BOOLEAN)

    def done(self) -> None:
        if self.problems:
            raise errors.invalid(self.problems)


def _https(check: Checker, value, path: str, required: bool = True) -> None:
    check.string(value, path, required=required, high=1000, pattern=HTTPS, pattern_message=m.NOT_HTTPS)


def _content(check: Checker, body) -> set[str]:
    """Validate `body` and return which parts it has (text, image, action, file, video)."""
    if body is None:
        check.fail("body", m.MAY_NOT_BE_NULL)
        return set()
    if not isinstance(body, dict):
        check.fail("body", m.MAY_NOT_BE_NULL)
        return set()
    parts = set()
    if check.string(body.get("text"), "body.text", high=1000) and body["text"]:
        parts.add("text")
    if body.get("imageURL") is not None:
        _https(check, body.get("imageURL"), "body.imageURL")
        parts.add("image")
    action = body.get("action")
    if action is not None:
        parts.add("action")
        if not isinstance(action, dict):
            check.fail("body.action", m.MAY_NOT_BE_NULL)
        else:
            check.string(action.get("caption"), "body.action.caption", required=True, low=1, high=30)
            check.string(action.get("targetUrl"), "body.action.targetUrl", required=True, high=1000)
    viber_file = body.get("viberFile")
    if viber_file is not None:
        parts.add("file")
        if not isinstance(viber_file, dict):
            check.fail("body.viberFile", m.MAY_NOT_BE_NULL)
        else:
            check.string(viber_file.get("fileName"), "body.viberFile.fileName", required=True, low=1, high=25)
            if check.string(viber_file.get("fileType"), "body.viberFile.fileType", required=True) and (
                viber_file["fileType"] not in FILE_TYPES
            ):
                check.fail("body.viberFile.fileType", m.ONE_OF.format(types=", ".join(FILE_TYPES)))
            _https(check, viber_file.get("fileURL"), "body.viberFile.fileURL")
    video = body.get("viberVideo")
    if video is not None:
        parts.add("video")
        if not isinstance(video, dict):
            check.fail("body.viberVideo", m.MAY_NOT_BE_NULL)
        else:
            _https(check, video.get("videoURL"), "body.viberVideo.videoURL")
            _https(check, video.get("videoThumbnail"), "body.viberVideo.videoThumbnail")
            for key, high in (("fileSize", 200), ("duration", 600)):
                if video.get(key) is None:
                    check.fail(f"body.viberVideo.{key}", m.MAY_NOT_BE_NULL)
                else:
                    check.number(video.get(key), f"body.viberVideo.{key}", 1, high)
    return parts


STRATEGIES = ("OnChange", "OnCompletion")  # doc: reference/send-single-sms callback.strategy


def _callback(check: Checker, callback) -> None:
    """inferred: the SMS API's `callback {url, strategy}`, accepted on Viber sends too."""
    if callback is None:
        return
    if not isinstance(callback, dict):
        check.fail("callback", m.MAY_NOT_BE_NULL)
        return
    check.string(callback.get("url"), "callback.url", required=True, high=1000)
    if check.string(callback.get("strategy"), "callback.strategy", required=True) and (
        callback["strategy"] not in STRATEGIES
    ):
        check.fail("callback.strategy", m.ONE_OF.format(types=", ".join(STRATEGIES)))


def _common(check: Checker, data: dict) -> set[str]:
    check.string(data.get("senderInfoTrackingId"), "senderInfoTrackingId", required=True)
    parts = _content(check, data.get("body"))
    check.number(data.get("ttl"), "ttl", *TTL_RANGE)
    for key in ("callbackUrl", "inboundUrl"):
        check.string(data.get(key), key, high=1000)
    _callback(check, data.get("callback"))
    check.string(data.get("label"), "label", high=350)
    check.boolean(data.get("isSessionMessage"), "isSessionMessage")
    check.boolean(data.get("expireOnDelivery"), "expireOnDelivery")
    return parts


def _layout(parts: set[str]) -> None:
    if frozenset(parts) not in LAYOUTS:
        raise errors.RouteeError(400, m.BAD_LAYOUT)


def single(data: dict) -> dict:
    """A valid POST /viber body (field errors first, then the layout rule)."""
    check = Checker(data)
    check.string(data.get("to"), "to", required=True, pattern=E164, pattern_message=m.NOT_E164)
    parts = _common(check, data)
    check.done()
    _layout(parts)
    return data


def campaign(data: dict) -> dict:
    """A valid POST /viber/campaign body; recipients in `to` (contacts and groups are not simulated)."""
    check = Checker(data)
    recipients = data.get("to")
    if recipients is None or recipients == []:
        check.fail("to", m.MAY_NOT_BE_EMPTY)
    elif not isinstance(recipients, list):
        check.fail("to", m.NOT_A_LIST)
    else:
        for index, number in enumerate(recipients):
            check.string(number, f"to[{index}]", required=True, pattern=E164, pattern_message=m.NOT_E164)
    check.string(data.get("campaignName"), "campaignName", high=255)
    check.string(data.get("scheduledDate"), "scheduledDate")
    parts = _common(check, data)
    check.done()
    _layout(parts)
    return data
