"""Request parameters as the real service (PHP + Yii2) reads them.

JSON bodies are decoded like PHP's json_decode behind Yii2's JsonParser: a syntax error is a 400
Yii error, a body that is not a JSON object carries no parameters. Form bodies are read like PHP's
$_POST (`phones[]=…` becomes a list). Any other content type carries no parameters, as in Yii2,
whose JSON parser is registered for application/json only.
"""

from __future__ import annotations

import json
import re

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.providers.smsclub import errors
from simulator.providers.smsclub import messages as msg

PHP_MAX_DEPTH = 512  # inferred: json_decode's default depth
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_LIST_KEY = re.compile(r"^([^\[\]]+)\[[^\[\]]*\]$")


def params() -> dict:
    """The request's body parameters; raises the Yii2 400 for JSON that PHP would not decode."""
    mimetype = request.mimetype or ""
    try:
        if mimetype in _FORM_TYPES:
            return _form()
        if "json" not in mimetype:
            return {}
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge as exc:
        raise errors.http(413, msg.PAYLOAD_TOO_LARGE) from exc
    return _json(raw)


def _form() -> dict:
    result: dict = {}
    for key, values in request.form.lists():
        match = _LIST_KEY.match(key)
        if match:
            result.setdefault(match.group(1), []).extend(values)
        else:
            result[key] = values[-1]
    return result


def _reject_constant(name: str):
    raise ValueError(name)  # PHP has no NaN/Infinity literals


def _json(raw: bytes) -> dict:
    if not raw.strip():
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.invalid_json(msg.JSON_UTF8) from exc
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        reason = msg.JSON_CTRL_CHAR if exc.msg.startswith("Invalid control character") else msg.JSON_SYNTAX
        raise errors.invalid_json(reason) from exc
    except ValueError as exc:
        raise errors.invalid_json(msg.JSON_SYNTAX) from exc
    except RecursionError as exc:
        raise errors.invalid_json(msg.JSON_DEPTH) from exc
    problem = _php_problem(document)
    if problem:
        raise errors.invalid_json(problem)
    return document if isinstance(document, dict) else {}


def _php_problem(document: object) -> str | None:
    """What PHP's decoder would refuse that Python's accepts: deep nesting, lone UTF-16 surrogates."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > PHP_MAX_DEPTH:
                return msg.JSON_DEPTH
            items = list(value.items()) if isinstance(value, dict) else [(None, item) for item in value]
            for key, item in items:
                if isinstance(key, str) and _has_surrogate(key):
                    return msg.JSON_UNKNOWN
                stack.append((item, depth + 1))
        elif isinstance(value, str) and _has_surrogate(value):
            return msg.JSON_UNKNOWN  # PHP: JSON_ERROR_UTF16, which Yii2 does not name
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
