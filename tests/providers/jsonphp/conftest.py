"""Helpers for json.php tests: post an envelope and read the decoded answer."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

URL = "/jsonphp/api/json.php"
KEY = "sim-jsonphp-demo-key"
JSON = {"Content-Type": "application/json"}


def sms(client_id: object = 100500, phone: object = 380971234567, **fields) -> dict:
    return {
        "type": "sms",
        "id": client_id,
        "phone": phone,
        "sms_signature": "SMSTest",
        "sms_message": "Message text to be sent via SMS",
        **fields,
    }


def viber(client_id: object = 100500, phone: object = 380971234567, **fields) -> dict:
    return {
        "type": "viber",
        "id": client_id,
        "phone": phone,
        "viber_type": "text",
        "viber_signature": "ViberTest",
        "viber_message": "Hi",
        **fields,
    }


def status(client_id: object = 100500) -> dict:
    return {"type": "status", "id": client_id}


@pytest.fixture
def call(client: FlaskClient) -> Callable[..., dict]:
    """POST `items` as one envelope; the decoded response body."""

    def post(*items: object, auth: object = KEY) -> dict:
        response = client.post(URL, data=json.dumps({"auth": auth, "data": list(items)}), headers=JSON)
        assert response.status_code == 200
        return response.get_json()

    return post


@pytest.fixture
def item(call: Callable[..., dict]) -> Callable[..., dict]:
    """POST one item; its answer."""

    def post(one: object) -> dict:
        return call(one)["data"][0]

    return post
