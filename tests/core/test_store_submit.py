"""A send's one write to the store, all or nothing, on every backend (memory and a real Redis)."""

from __future__ import annotations

from simulator.core.store.base import Charge, MessageQuery
from tests.core.test_store_index import T0, message

LIMITS = (100, 3600.0)


def _entry(kind: str, key: str) -> dict:
    return {"kind": kind, "time": T0, "message": key}


def test_submit_charges_stores_schedules_and_journals_together(store):
    messages = [message("1", group="g"), message("2", group="g")]
    jobs = [(T0 + 3, {"kind": "event", "message": "p:1"}), (T0 + 1, {"kind": "event", "message": "p:2"})]
    entries = [_entry("message", "p:1"), _entry("message", "p:2")]
    assert store.submit("ns", messages, jobs, entries, LIMITS, T0, Charge("acct", 0.25, 10.0)) == (True, 9.75)
    assert store.balance("ns", "acct", 10.0) == 9.75
    assert [m.key for m in store.query("ns", MessageQuery(group="g"), T0, oldest_first=True).messages] == ["p:1", "p:2"]
    assert store.query("ns", MessageQuery(status="pending"), T0).total == 2
    assert store.pending_jobs("ns") == 2 and store.next_due("ns") == T0 + 1
    assert store.journal("ns") == entries


def test_submit_the_balance_cannot_cover_changes_nothing(store):
    store.set_balance("ns", "acct", 0.1)
    jobs = [(T0 + 1, {"kind": "event", "message": "p:1"})]
    refused = store.submit("ns", [message("1")], jobs, [_entry("message", "p:1")], LIMITS, T0, Charge("acct", 0.25, 10))
    assert refused == (False, 0.1)
    assert store.balance("ns", "acct", 10.0) == 0.1
    assert store.get_message("ns", "p:1") is None and store.count_messages("ns") == 0
    assert store.pending_jobs("ns") == 0 and store.journal("ns") == []


def test_submit_without_a_charge_leaves_balances_alone(store):
    assert store.submit("ns", [message("1")], [], [], LIMITS, T0) == (True, None)
    assert store.balance("ns", "acct", 10.0) == 10.0 and store.count_messages("ns") == 1


def test_submit_keeps_the_journal_within_its_limits(store):
    entries = [_entry("message", f"p:{number}") for number in range(5)]
    store.submit("ns", [message("1")], [], entries, (3, 3600.0), T0)
    assert [entry["message"] for entry in store.journal("ns")] == ["p:2", "p:3", "p:4"]
