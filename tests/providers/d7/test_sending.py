"""D7's per-message record as the stores keep it."""

from __future__ import annotations

import json

from simulator.providers.d7.responses import MESSAGE_LOG
from simulator.providers.d7.sending import D7Fields


def test_fields_through_json_as_redis_keeps_them_give_equal_record() -> None:
    record = D7Fields(log=MESSAGE_LOG, index=2, country="GR", parts=3, schedule_time="2026-01-05T12:52+05:30", tag="t")
    assert D7Fields.from_dict(json.loads(json.dumps(record.to_dict()))) == record
