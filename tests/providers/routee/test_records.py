"""Routee's per-message records survive the store's JSON round trip unchanged."""

from __future__ import annotations

import json

from simulator.providers.routee.sending import SmsFields, ViberFields


def test_viber_fields_through_json_are_equal():
    fields = ViberFields(
        country="GR",
        ttl=3600,
        callback_url="https://example.com/cb",
        image_url="https://example.com/a.png",
        action_caption="Go",
        action_target="https://example.com",
        video_size=1.5,
        campaign_name="c",
    )
    assert ViberFields.from_dict(json.loads(json.dumps(fields.to_dict()))) == fields


def test_sms_fields_through_json_are_equal():
    fields = SmsFields(country="GR", ttl=60, part_ids=["a", "b"], part_price=0.035, operator="Cosmote", label="x")
    assert SmsFields.from_dict(json.loads(json.dumps(fields.to_dict()))) == fields
