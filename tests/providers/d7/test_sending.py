"""D7's per-message record and the business rules in sending.py."""

from __future__ import annotations

from simulator.providers.d7.sending import D7Fields


def test_fields_round_trip_through_attrs_gives_equal_record() -> None:
    record = D7Fields(index=2, country="GR", parts=3, schedule_time="2026-01-05T12:52+05:30", label="PROMOTION")
    assert D7Fields.from_dict(record.to_dict()) == record


def test_fields_from_attrs_with_unknown_and_missing_keys_gives_defaults() -> None:
    assert D7Fields.from_dict({"callback_url": "http://x", "later": 1}) == D7Fields(callback_url="http://x")
