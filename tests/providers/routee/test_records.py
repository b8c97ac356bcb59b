"""Routee's per-message record survives the store's JSON round trip unchanged."""

from __future__ import annotations

import json

from simulator.providers.routee import records


def test_viber_record_through_json_is_equal():
    record = records.Viber(
        country="GR",
        ttl=3600,
        application="default",
        callback_url="https://example.com/cb",
        image_url="https://example.com/a.png",
        action_caption="Go",
        action_target="https://example.com",
        video_size=1.5,
        campaign_name="c",
        index=2,
    )
    assert records.Viber.from_dict(json.loads(json.dumps(record.to_dict()))) == record
