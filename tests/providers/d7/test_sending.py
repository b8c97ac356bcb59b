"""D7's per-message record as the stores keep it."""

from __future__ import annotations

import json

from simulator.providers.d7.responses import MESSAGE_LOG
from simulator.providers.d7.sending import D7Fields


def test_fields_through_json_as_redis_keeps_them_give_equal_record() -> None:
    record = D7Fields(log=MESSAGE_LOG, index=2, country="GR", parts=3, schedule_time="2026-01-05T12:52+05:30", tag="t")
    assert D7Fields.from_dict(json.loads(json.dumps(record.to_dict()))) == record


def test_an_error_reads_in_a_log_as_it_always_did():
    """D7Error writes its text when it is logged rather than when it is raised (most are answered and forgotten):
    the same text."""
    from simulator.providers.d7 import errors

    error = errors.message_log_not_found()
    assert (error.status, str(error)) == (404, f"404 {error.detail!r}")
    assert str(error).startswith("404 {'code': ")
