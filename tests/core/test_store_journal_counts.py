"""Journal counts kept in the store, in step with appends and trims, on every backend (memory and a real Redis)."""

from __future__ import annotations

import json
from collections import Counter

from simulator.core.journal import tally
from simulator.core.store.base import Charge
from tests.core.test_store_index import T0, message

LIMITS = (100, 3600.0)


def _request(provider: str, status: int, at: float = T0) -> dict:
    return {"kind": "request", "time": at, "provider": provider, "status": status, "path": "/send"}


def _webhook(status: int | None, at: float = T0) -> dict:
    return {"kind": "webhook", "time": at, "status": status, "url": "http://hooks/"}


def _entry(kind: str, at: float = T0) -> dict:
    return {"kind": kind, "time": at}


def _scanned(store, namespace: str) -> dict[str, int]:
    """What the counts must equal: the held entries, tallied one by one."""
    return dict(Counter(tally(entry) for entry in store.journal(namespace)))


def _append(store, entries: list[dict], limits: tuple[int, float] = LIMITS, now: float = T0) -> None:
    for entry in entries:
        store.append_journal("ns", [entry], *limits, now)


def test_tally_gives_the_labels_metrics_counts_by():
    assert json.loads(tally(_request("d7", 201))) == ["request", "d7", 201]
    assert json.loads(tally({"kind": "request", "time": T0})) == ["request", None, None]
    assert [json.loads(tally(_webhook(status))) for status in (200, 299, 300, 500, None)] == [
        ["webhook", "ok"],
        ["webhook", "ok"],
        ["webhook", "failed"],
        ["webhook", "failed"],
        ["webhook", "failed"],
    ]
    assert json.loads(tally(_entry("transition"))) == ["transition"]


def test_counts_follow_appends_of_several_kinds(store):
    assert store.journal_counts("ns") == {}
    _append(store, [_request("d7", 200), _request("d7", 200), _request("routee", 400), _webhook(204)])
    _append(store, [_webhook(None), _webhook(500), _entry("message"), _entry("transition"), _entry("transition")])
    assert store.journal_counts("ns") == {
        tally(_request("d7", 200)): 2,
        tally(_request("routee", 400)): 1,
        tally(_webhook(200)): 1,
        tally(_webhook(None)): 2,
        tally(_entry("message")): 1,
        tally(_entry("transition")): 2,
    }
    assert store.journal_counts("ns") == _scanned(store, "ns")


def test_counts_follow_the_trim_by_count(store):
    entries = [_request("d7", 200), _entry("message"), _webhook(200), _entry("message"), _entry("transition")]
    _append(store, entries, limits=(3, 3600.0))
    assert store.journal_counts("ns") == {tally(_webhook(200)): 1, tally(_entry("message")): 1, '["transition"]': 1}
    assert store.journal_counts("ns") == _scanned(store, "ns")
    _append(store, [_entry("clock")] * 3, limits=(3, 3600.0))
    assert store.journal_counts("ns") == {'["clock"]': 3} == _scanned(store, "ns")


def test_counts_follow_the_trim_by_age(store):
    _append(store, [_request("d7", 200, at=T0), _entry("message", at=T0), _entry("message", at=T0 + 50)], now=T0 + 50)
    _append(store, [_entry("transition", at=T0 + 70)], limits=(100, 30.0), now=T0 + 70)
    assert store.journal_counts("ns") == {'["message"]': 1, '["transition"]': 1} == _scanned(store, "ns")


def test_no_entries_kept_leaves_no_counts(store):
    _append(store, [_entry("message"), _entry("message")])
    _append(store, [_entry("transition")], limits=(0, 3600.0))
    assert store.journal("ns") == [] and store.journal_counts("ns") == {}
    _append(store, [_entry("clock")])
    assert store.journal_counts("ns") == {'["clock"]': 1}


def test_reset_of_one_namespace_forgets_its_counts_only(store):
    _append(store, [_entry("message"), _request("d7", 200)])
    store.append_journal("other", [_entry("clock")], *LIMITS, T0)
    store.reset("ns")
    assert store.journal_counts("ns") == {} and store.journal_counts("other") == {'["clock"]': 1}
    _append(store, [_entry("message")], limits=(1, 3600.0))
    assert store.journal_counts("ns") == {'["message"]': 1} == _scanned(store, "ns")
    store.reset()
    assert store.journal_counts("ns") == {} and store.journal_counts("other") == {}


def test_a_submit_counts_what_it_journals(store):
    _append(store, [_request("d7", 201)])
    entries = [_entry("message"), _entry("message"), _entry("transition")]
    assert store.submit("ns", [message("1"), message("2")], [], entries, LIMITS, T0, Charge("acct", 1.0, 10.0))[0]
    assert store.journal_counts("ns") == {
        tally(_request("d7", 201)): 1,
        '["message"]': 2,
        '["transition"]': 1,
    }
    assert store.journal_counts("ns") == _scanned(store, "ns")


def test_a_submit_counts_what_its_trim_drops(store):
    _append(store, [_request("d7", 201), _webhook(200)])
    store.submit("ns", [message("1")], [], [_entry("message"), _entry("transition")], (3, 3600.0), T0)
    assert store.journal_counts("ns") == {tally(_webhook(200)): 1, '["message"]': 1, '["transition"]': 1}
    store.submit("ns", [message("2")], [], [_entry("message", at=T0 + 60)], (3, 30.0), T0 + 60)
    assert store.journal_counts("ns") == {'["message"]': 1} == _scanned(store, "ns")


def test_a_refused_submit_counts_nothing(store):
    store.set_balance("ns", "acct", 0.1)
    refused = store.submit("ns", [message("1")], [], [_entry("message")], LIMITS, T0, Charge("acct", 0.25, 10.0))
    assert refused == (False, 0.1) and store.journal_counts("ns") == {}


def test_redis_entries_journalled_before_counts_were_kept_leave_without_a_count(redis_store):
    old = {"kind": "message", "time": T0}
    redis_store._client.rpush(redis_store._key("ns", "journal"), f"{T0!r}\t{json.dumps(old)}")
    redis_store.append_journal("ns", [_entry("transition")], 100, 3600.0, T0)
    assert redis_store.journal_counts("ns") == {'["transition"]': 1}
    redis_store.append_journal("ns", [_entry("clock")], 2, 3600.0, T0)
    assert redis_store.journal("ns") == [_entry("transition"), _entry("clock")]
    assert redis_store.journal_counts("ns") == _scanned(redis_store, "ns")
    redis_store.append_journal("ns", [_entry("clock")], 2, 3600.0, T0)
    assert redis_store.journal_counts("ns") == {'["clock"]': 2}
